import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventRelay } from '../events/event-relay.service';
import { insertOutbox, type OutboxEvent } from '../events/outbox-sql';
import { RegionsService } from '../regions/regions.service';
import { poolEvent } from '../events/pool-payloads';
import { ITEM_COLUMNS, type PoolItemRow } from './pool-records';
import { endLiveClaims, lockItem, promotedEvents, promoteWaitlist, settleItem, updateReturning } from './pool-writes';

interface TimerRow {
  id: string;
  kind: 'item_expiry' | 'claim_start' | 'lottery_draw';
  itemId: number;
  claimId: number | null;
}

/** Timers fired per transaction; each instance sweeps with SKIP LOCKED, so a timer fires once. */
const BATCH = 50;

/**
 * Fires due pool timers (rows in `pool_timers`, like the SLA timers): an item past neededBy
 * expires, a claim not started by its deadline expires (a no-show, the slot freed and the wait
 * list promoted), a popular item's lottery is drawn. The interval (SLA_SWEEP_MS) only triggers
 * work; tests call sweepOnce() after moving the clock.
 */
@Injectable()
export class PoolSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('pool');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly regions: RegionsService,
    private readonly relay: EventRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.slaSweepMs > 0) {
      this.timer = setInterval(() => {
        if (!this.running) this.sweepOnce().catch((err: unknown) => this.logger.error({ msg: 'pool sweep failed', err: String(err) }));
      }, this.config.slaSweepMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /** Fires everything due now; returns how many timers fired. */
  sweepOnce(): Promise<number> {
    if (this.running) return this.running.then(() => this.sweepOnce());
    this.running = this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const fired = await this.db.transaction(async (tx) => {
        const now = this.clock.now();
        const due: TimerRow[] = await tx.query(
          `SELECT id::text, kind, item_id AS "itemId", claim_id AS "claimId" FROM pool_timers
            WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now, BATCH],
        );
        await lockInOrder(tx, due);
        const events: OutboxEvent[] = [];
        for (const t of due) events.push(...(await this.fire(tx, t, now)));
        if (due.length) await tx.query('UPDATE pool_timers SET fired_at = $2 WHERE id = ANY($1::bigint[])', [due.map((t) => t.id), now]);
        await insertOutbox(tx, events);
        return due.length;
      });
      total += fired;
      if (fired) this.relay.committed();
      if (fired < BATCH) return total;
    }
  }

  private async fire(tx: EntityManager, t: TimerRow, now: Date): Promise<OutboxEvent[]> {
    const item = await lockItem(tx, t.itemId);
    if (!item) return [];
    switch (t.kind) {
      case 'item_expiry':
        return this.expireItem(tx, item, now);
      case 'claim_start':
        return this.expireClaim(tx, item, t.claimId!, now);
      case 'lottery_draw':
        return this.draw(tx, item, now);
    }
  }

  /** neededBy passed: a draft or an item nobody holds expires; finished claims make it done; running ones finish. */
  private async expireItem(tx: EntityManager, item: PoolItemRow, now: Date): Promise<OutboxEvent[]> {
    if (item.status !== 'draft' && item.status !== 'open' && item.status !== 'claimed') return [];
    if (item.status === 'draft') {
      const after = await settleItem(tx, item, now, { status: 'expired' });
      return [poolEvent('pool.expired', this.regions, { item: after, fromStatus: item.status, action: 'expire', actorId: null, at: now })];
    }
    await tx.query(`UPDATE pool_claims SET status = 'lost', ended_at = $2 WHERE item_id = $1 AND status IN ('entered','waitlisted')`, [
      item.id,
      now,
    ]);
    const after = await settleItem(tx, item, now);
    if (after.status === 'expired') await endLiveClaims(tx, item.id, 'lost', now);
    if (after.status === item.status) return [];
    const type = after.status === 'expired' ? 'pool.expired' : 'pool.completed';
    return [poolEvent(type, this.regions, { item: after, fromStatus: item.status, action: 'expire', actorId: null, at: now })];
  }

  /** Not started by its deadline: the claim expires, the volunteer gets a no-show, the slot goes to the wait list. */
  private async expireClaim(tx: EntityManager, item: PoolItemRow, claimId: number, now: Date): Promise<OutboxEvent[]> {
    const rows: { id: number; volunteerId: number }[] = await updateReturning(
      tx,
      `UPDATE pool_claims SET status = 'expired', ended_at = $2
        WHERE id = $1 AND status = 'active' AND started_at IS NULL RETURNING id, volunteer_id AS "volunteerId"`,
      [claimId, now],
    );
    const claim = rows[0];
    if (!claim) return [];
    await tx.query('UPDATE volunteers SET no_shows = no_shows + 1, updated_at = $2 WHERE id = $1', [claim.volunteerId, now]);
    const promoted = await promoteWaitlist(tx, item, now);
    const after = await settleItem(tx, item, now);
    return [
      poolEvent('pool.claim_expired', this.regions, {
        item: after,
        fromStatus: item.status,
        action: 'expire_claim',
        claim: { ...claim, status: 'expired' },
        actorId: null,
        at: now,
      }),
      ...promotedEvents(this.regions, after, item.status, promoted, now),
    ];
  }

  /**
   * The lottery window closed: entries were given a random key when they came in; the first
   * (free slots) eligible ones win, the rest go on the wait list in the same drawn order.
   */
  private async draw(tx: EntityManager, item: PoolItemRow, now: Date): Promise<OutboxEvent[]> {
    if (item.status !== 'open') return [];
    await tx.query(`UPDATE pool_claims SET status = 'waitlisted' WHERE item_id = $1 AND status = 'entered'`, [item.id]);
    const promoted = await promoteWaitlist(tx, item, now);
    const after = await settleItem(tx, item, now);
    const [drawn] = (await tx.query(`SELECT ${ITEM_COLUMNS} FROM pool_items p WHERE p.id = $1`, [item.id])) as PoolItemRow[];
    return [
      poolEvent('pool.drawn', this.regions, { item: drawn ?? after, fromStatus: item.status, action: 'draw', actorId: null, at: now }),
      ...promoted.map((claim) =>
        poolEvent('pool.claimed', this.regions, { item: after, fromStatus: item.status, action: 'draw', claim, actorId: null, at: now }),
      ),
    ];
  }
}

/**
 * The rows the batch will change, locked up front in the order every path that holds both takes
 * them (a suspension, a capped claim): the no-show volunteers first, then the items by id. Locking
 * them as the timers come (item, then its volunteer) could deadlock with a suspension.
 */
async function lockInOrder(tx: EntityManager, due: readonly TimerRow[]): Promise<void> {
  if (!due.length) return;
  const claimIds = due.filter((t) => t.kind === 'claim_start' && t.claimId !== null).map((t) => t.claimId!);
  if (claimIds.length) {
    await tx.query(
      `SELECT v.id FROM volunteers v WHERE v.id IN (SELECT volunteer_id FROM pool_claims WHERE id = ANY($1::int[]))
        ORDER BY v.id FOR NO KEY UPDATE`,
      [claimIds],
    );
  }
  await tx.query('SELECT id FROM pool_items WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [[...new Set(due.map((t) => t.itemId))]]);
}
