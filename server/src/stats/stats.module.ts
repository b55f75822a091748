import { Controller, Get, Module, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import type { SlaStats, StatsOverview } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { SlaStatsService } from './sla-stats.service';
import { StatsService } from './stats.service';

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

class SlaStatsQueryDto extends OverviewQuery {
  @ApiPropertyOptional({ description: '部门 Only this department (department leads: their own, the default)', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  departmentId?: number;

  @ApiPropertyOptional({ description: 'Issues reported at or after this instant (ISO 8601)', example: '2026-11-01T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Issues reported before this instant (ISO 8601)', example: '2026-12-01T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiTags('stats')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly slaStats: SlaStatsService,
  ) {}

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

  /** SLA KPIs for a region subtree (and a department), over issues reported in [from, to). */
  @Get('sla')
  @Roles('viewer', 'dispatcher', 'admin', 'dept_lead')
  @ApiOperation({
    summary: '时限考核 SLA KPIs',
    description:
      '结案率, 按期结案率 (holds and approved extensions excluded), average and p90 time per stage, overdue now, returns and reopens per department. ' +
      'Roles: viewer, dispatcher, admin (region subtree in scope); dept_lead (own department only).',
  })
  @ApiOkResponse({ description: 'The KPIs, as `SlaStats`' })
  @ApiValidationFailed('from: from must be a valid ISO 8601 date string')
  @ApiErrorResponse(403, "The caller's role may not read statistics", {
    FORBIDDEN_ROLE: 'This needs one of the roles: viewer, dispatcher, admin, dept_lead',
  })
  @ApiErrorResponse(404, "The region or department is outside the caller's scope", { NOT_FOUND: 'Region 2 not found' })
  sla(@CurrentActor() actor: Actor, @Query() query: SlaStatsQueryDto): Promise<SlaStats> {
    return this.slaStats.sla(actor, query);
  }
}

@Module({ controllers: [StatsController], providers: [StatsService, SlaStatsService], exports: [StatsService] })
export class StatsModule {}
