import { Controller, Get, Module, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { StatsOverview } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { StatsApplier } from './stats-applier.service';
import { StatsService } from './stats.service';
import { WallStatsService } from './wall-stats.service';

class OverviewQuery {
  @ApiPropertyOptional({
    description:
      "区域 The region whose subtree to count, within the caller's scope; when left out, the caller's own region (the root region for admins)",
    type: 'integer',
    minimum: 1,
    example: 2,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  regionId?: number;
}

@ApiTags('stats')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** The wall snapshot for a region subtree: counts per status, in total and today. */
  @Get('overview')
  @Roles('viewer', 'dispatcher', 'admin')
  @ApiOperation({
    summary: '大屏概览 Wall overview',
    description: 'Counts per status for a region subtree, in total and today. Roles: viewer, dispatcher, admin.',
  })
  @ApiOkResponse({ description: 'The counts, as `StatsOverview`: `{ regionId, asOf, day, total, today }`' })
  @ApiValidationFailed('regionId: regionId must not be less than 1')
  @ApiErrorResponse(403, "The caller's role may not read statistics", {
    FORBIDDEN_ROLE: 'This needs one of the roles: viewer, dispatcher, admin',
  })
  @ApiErrorResponse(404, "The region does not exist or is outside the caller's scope", { NOT_FOUND: 'Region 2 not found' })
  overview(@CurrentActor() actor: Actor, @Query() query: OverviewQuery): Promise<StatsOverview> {
    return this.stats.overview(actor, query.regionId);
  }
}

@Module({
  controllers: [StatsController],
  providers: [StatsService, StatsApplier, WallStatsService],
  exports: [StatsService, StatsApplier, WallStatsService],
})
export class StatsModule {}
