import { Controller, Get, Module, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { StatsOverview } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { StatsService } from './stats.service';

class OverviewQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
}

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** The wall snapshot for a region subtree: counts per status, in total and today. */
  @Get('overview')
  @Roles('viewer', 'dispatcher', 'admin')
  overview(@CurrentActor() actor: Actor, @Query() query: OverviewQuery): Promise<StatsOverview> {
    return this.stats.overview(actor, query.regionId);
  }
}

@Module({ controllers: [StatsController], providers: [StatsService], exports: [StatsService] })
export class StatsModule {}
