import { Controller, Get, Module, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { KPI_GROUPINGS, type KpiGrouping, type KpiQuery, type KpiReport, type SlaStats, type StatsOverview } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { EventsModule } from '../events/events.module';
import { ScopeModule } from '../scope/scope.module';
import { StatsApplier } from './stats-applier.service';
import { SlaStatsService } from './sla-stats.service';
import { StatsService } from './stats.service';
import { KpiService } from './kpi.service';
import { kpiWorkbook } from './kpi-xlsx';
import { WallStatsService } from './wall-stats.service';
import { IsId } from '../common/id';

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
  @IsId()
  regionId?: number;
}

class SlaStatsQueryDto extends OverviewQuery {
  @ApiPropertyOptional({ description: '部门 Only this department (department leads: their own, the default)', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
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

class KpiQueryDto extends SlaStatsQueryDto implements KpiQuery {
  @ApiPropertyOptional({ description: '分组 One row per department (default), street or month', enum: KPI_GROUPINGS })
  @IsOptional()
  @IsIn(KPI_GROUPINGS)
  groupBy?: KpiGrouping;
}

@ApiTags('stats')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly slaStats: SlaStatsService,
    private readonly kpi: KpiService,
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

  /** 考核 KPIs per department, street or month, over issues reported in [from, to) (default: this month so far). */
  @Get('kpi')
  @Roles('viewer', 'dispatcher', 'admin', 'dept_lead')
  @ApiOperation({
    summary: '考核指标 KPIs',
    description:
      '受理量, 结案量, 结案率, 按期结案率 (holds and approved extensions excluded), 满意率 (evaluations ≥ 4), average and p90 handling time, ' +
      '退回率, 返工率, 督办数, overdue now; per department, street or month, ranked, with the total. ' +
      'Roles: viewer, dispatcher, admin (region subtree in scope); dept_lead (own department only).',
  })
  @ApiOkResponse({ description: 'The KPIs, as `KpiReport`' })
  @ApiValidationFailed('groupBy must be one of the following values: department, street, month')
  @ApiErrorResponse(403, "The caller's role may not read KPIs", {
    FORBIDDEN_ROLE: 'This needs one of the roles: viewer, dispatcher, admin, dept_lead',
  })
  @ApiErrorResponse(404, "The region or department is outside the caller's scope", { NOT_FOUND: 'Department 3 not found' })
  @ApiErrorResponse(422, 'from is not before to, or the period is longer than 400 days', { KPI_RANGE_INVALID: 'from must be before to' })
  kpiReport(@CurrentActor() actor: Actor, @Query() query: KpiQueryDto): Promise<KpiReport> {
    return this.kpi.report(actor, query);
  }

  /** The same KPIs as an Excel workbook: one sheet per grouping (按部门, 按街道, 按月), Chinese headers. */
  @Get('kpi.xlsx')
  @Roles('viewer', 'dispatcher', 'admin', 'dept_lead')
  @ApiOperation({
    summary: '考核指标导出 KPIs as xlsx',
    description:
      'One sheet per grouping (department, street, month), Chinese headers, the total last. Same scope and parameters as `/stats/kpi` (groupBy ignored).',
  })
  @ApiOkResponse({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  @ApiErrorResponse(404, "The region or department is outside the caller's scope", { NOT_FOUND: 'Department 3 not found' })
  @ApiErrorResponse(422, 'from is not before to, or the period is longer than 400 days', { KPI_RANGE_INVALID: 'from must be before to' })
  async kpiXlsx(@CurrentActor() actor: Actor, @Query() query: KpiQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const reports = await Promise.all(
      // eslint-disable-next-line gridline/no-spread-then-extend -- three per spreadsheet download
      (['department', 'street', 'month'] as const).map((groupBy) => this.kpi.report(actor, { ...query, groupBy })),
    );
    const first = reports[0]!;
    const period = `${first.from} — ${first.to}`;
    const name = `kpi-${first.from.slice(0, 10)}-${first.to.slice(0, 10)}.xlsx`;
    await reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'private, no-store')
      .send(kpiWorkbook(reports, period));
  }
}

@Module({
  imports: [ScopeModule, EventsModule],
  controllers: [StatsController],
  providers: [StatsService, SlaStatsService, KpiService, StatsApplier, WallStatsService],
  exports: [StatsService, StatsApplier, WallStatsService],
})
export class StatsModule {}
