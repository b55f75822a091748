import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ISSUE_STATUSES, type IssueStatus, type StatsOverview, type StatusCounts } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService, dayIn, startOfDayIn } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RegionsService } from '../regions/regions.service';

const zero = (): Record<IssueStatus, number> => Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;

/**
 * The wall's snapshot, counted from the issues table. Correct, and fine for a district's
 * volume; the realtime issue replaces these COUNTs with roll-ups kept by the transitions.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The region to show: the one asked for (if in scope), else the caller's own, else the root. */
  resolveRegion(actor: Actor, regionId: number | undefined): number {
    const root = regionId ?? actor.regionIds[0] ?? this.regions.all().find((r) => r.parentId === null)?.id;
    if (root === undefined) throw new AppException('NOT_FOUND', 'There are no regions yet');
    const inScope = actor.role === 'admin' || this.regions.isWithinAny(root, actor.regionIds);
    if (!this.regions.get(root) || !inScope) throw new AppException('NOT_FOUND', `Region ${root} not found`);
    return root;
  }

  async overview(actor: Actor, regionId: number | undefined): Promise<StatsOverview> {
    const root = this.resolveRegion(actor, regionId);
    const now = this.clock.now();
    const dayStart = startOfDayIn(this.config.timeZone, now);
    const params: unknown[] = [dayStart];
    const where = this.regions.subtreeCondition([root], params);
    const rows: { status: IssueStatus; total: number; today: number; resolved_today: number; closed_today: number }[] = await this.db.query(
      `SELECT status,
              count(*)::int AS total,
              (count(*) FILTER (WHERE reported_at >= $1))::int AS today,
              (count(*) FILTER (WHERE resolved_at >= $1))::int AS resolved_today,
              (count(*) FILTER (WHERE closed_at >= $1))::int AS closed_today
         FROM issues i WHERE ${where} GROUP BY status`,
      params,
    );
    const total: StatusCounts = { total: 0, byStatus: zero() };
    const today: StatsOverview['today'] = { total: 0, byStatus: zero(), resolved: 0, closed: 0 };
    for (const r of rows) {
      total.byStatus[r.status] = r.total;
      total.total += r.total;
      today.byStatus[r.status] = r.today;
      today.total += r.today;
      today.resolved += r.resolved_today;
      today.closed += r.closed_today;
    }
    return { regionId: root, asOf: now.toISOString(), day: dayIn(this.config.timeZone, now), total, today };
  }
}
