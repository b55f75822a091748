import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { POOL_WALL_CLAIMS, type PoolWallSummary } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { ClockService } from '../common/clock.service';
import { ScopeService } from '../scope/scope.service';
import { maskName } from './mask-name';
import { POOL_FLOWS_SQL, POOL_LATEST_CLAIMS_SQL, type PoolFlowsRow, type PoolLatestClaimRow } from './pool-summary.sql';

/** The wall's 点单 · 派单 · 接单 figures: a region subtree in the caller's statistics scope (404 otherwise). */
@Injectable()
export class PoolSummaryService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly scope: ScopeService,
  ) {}

  async summary(actor: Actor, regionId: number | undefined): Promise<PoolWallSummary> {
    const scoped = this.scope.stats(actor, { regionId });
    const now = this.clock.now();
    const dayStart = this.clock.startOfDay(now);
    const [flows, claims] = await Promise.all([
      this.db.query(POOL_FLOWS_SQL, [scoped.regionId, dayStart]) as Promise<PoolFlowsRow[]>,
      this.db.query(POOL_LATEST_CLAIMS_SQL, [scoped.regionId, POOL_WALL_CLAIMS]) as Promise<PoolLatestClaimRow[]>,
    ]);
    const f = flows[0]!;
    return {
      regionId: scoped.regionId,
      day: this.clock.dayOf(now),
      asOf: now.toISOString(),
      today: {
        raised: f.raised_today,
        published: f.published_today,
        claimed: f.claimed_today,
        done: f.done_today,
        confirmed: f.confirmed_today,
      },
      total: { raised: f.raised, published: f.published, claimed: f.claimed, done: f.done, confirmed: f.confirmed },
      hoursToday: f.hours_today,
      hoursTotal: f.hours_total,
      latestClaims: claims.map((c) => ({
        claimId: c.claimId,
        itemId: c.itemId,
        kind: c.kind,
        title: c.title,
        communityId: c.communityId,
        communityName: c.communityName,
        volunteer: maskName(c.volunteerName),
        isPartyMember: c.isPartyMember,
        claimedAt: c.claimedAt.toISOString(),
      })),
    };
  }
}
