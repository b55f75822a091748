import { Injectable } from '@nestjs/common';
import type { IssueStatus, StatsOverview, StatusCounts } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { ScopeService } from '../scope/scope.service';
import { WallStatsService } from './wall-stats.service';

/** The REST wall overview (`GET /stats/overview`), in its original shape, from the roll-ups. */
@Injectable()
export class StatsService {
  constructor(
    private readonly scope: ScopeService,
    private readonly wall: WallStatsService,
  ) {}

  /**
   * Read from the roll-ups (WallStatsService), not from the issues table: they trail commits by
   * at most one applier tick (StatsApplier), so a caller that must see its own write first
   * waits for `StatsApplier.drain()`.
   */
  async overview(actor: Actor, regionId: number | undefined): Promise<StatsOverview> {
    const root = this.scope.stats(actor, { regionId }).regionId;
    const stats = await this.wall.read(root);
    const sum = (m: Record<IssueStatus, number>) => Object.values(m).reduce((a, b) => a + b, 0);
    const total: StatusCounts = { total: sum(stats.stock), byStatus: stats.stock };
    const byStatus = stats.reportedTodayByStatus;
    const today: StatsOverview['today'] = { total: sum(byStatus), byStatus, resolved: stats.today.resolved, closed: stats.today.closed };
    return { regionId: root, asOf: stats.asOf, day: stats.day, total, today };
  }
}
