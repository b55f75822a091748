import { Injectable } from '@nestjs/common';
import type { IssueStatus, StatsOverview, StatusCounts } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { RegionsService } from '../regions/regions.service';
import { WallStatsService } from './wall-stats.service';

/** The REST wall overview (`GET /stats/overview`), in its original shape, from the roll-ups. */
@Injectable()
export class StatsService {
  constructor(
    private readonly regions: RegionsService,
    private readonly wall: WallStatsService,
  ) {}

  /** The region to show: the one asked for (if in scope), else the caller's own, else the root. */
  resolveRegion(actor: Actor, regionId: number | undefined): number {
    const root = regionId ?? actor.regionIds[0] ?? this.regions.all().find((r) => r.parentId === null)?.id;
    if (root === undefined) throw new AppException('NOT_FOUND', 'There are no regions yet');
    const inScope = actor.role === 'admin' || this.regions.isWithinAny(root, actor.regionIds);
    if (!this.regions.get(root) || !inScope) throw new AppException('NOT_FOUND', `Region ${root} not found`);
    return root;
  }

  /**
   * Read from the roll-ups (WallStatsService), not from the issues table: they trail commits by
   * at most one applier tick (StatsApplier), so a caller that must see its own write first
   * waits for `StatsApplier.drain()`.
   */
  async overview(actor: Actor, regionId: number | undefined): Promise<StatsOverview> {
    const root = this.resolveRegion(actor, regionId);
    const stats = await this.wall.read(root);
    const sum = (m: Record<IssueStatus, number>) => Object.values(m).reduce((a, b) => a + b, 0);
    const total: StatusCounts = { total: sum(stats.stock), byStatus: stats.stock };
    const byStatus = stats.reportedTodayByStatus;
    const today: StatsOverview['today'] = { total: sum(byStatus), byStatus, resolved: stats.today.resolved, closed: stats.today.closed };
    return { regionId: root, asOf: stats.asOf, day: stats.day, total, today };
  }
}
