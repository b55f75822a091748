import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { PoolClaimResult, PoolClaimStatus, PoolItemView, VolunteerStatus } from '@gridline/shared';
import { AttachmentStorage } from '../attachments/attachment-storage.service';
import type { UploadedPhoto } from '../attachments/upload-reader';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { EventRelay } from '../events/event-relay.service';
import { insertOutbox } from '../events/outbox-sql';
import { RegionsService } from '../regions/regions.service';
import { poolScopeOf } from '../scope/pool-scope';
import { poolEvent } from '../events/pool-payloads';
import { ITEM_COLUMNS, type PoolItemRow } from './pool-records';
import { PoolItemsService, type PoolCaller } from './pool-items.service';
import { promotedEvents, promoteWaitlist, readItem, settleItem, START_BY_SQL, updateReturning } from './pool-writes';

/**
 * The one statement that hands out a slot (ADR 0032). The guarded UPDATE takes a slot only while
 * one is free (`claimed_count < quota`, also a CHECK) and the item is open, out of its lottery
 * window and not past neededBy; the claim row, its start timer and its outbox event are inserted
 * from its RETURNING, in the same (autocommit) statement. Concurrent claims queue on the item's row lock for the length of this
 * statement only; PostgreSQL re-checks the WHERE against the row a winner committed, so the
 * (quota+1)-th sees a full item and updates nothing — it is refused at once, no retry, no wait.
 * A second live claim of the same volunteer breaks `pool_claims_one_live` and undoes the slot.
 *
 * The volunteer's row is read FOR KEY SHARE before the item's is locked: a suspension (which holds
 * it FOR UPDATE while it ends the volunteer's claims) makes the claim wait and then see the new
 * status, so no claim slips in behind a suspension. Key-share locks do not block each other nor
 * plain updates of the row (the no-show counter), so the burst pays nothing for it.
 * Always one row: the claim id (null when no slot was taken) and whether the volunteer was approved.
 */
const CLAIM_SQL = `
WITH vol AS (
  SELECT v.id FROM volunteers v WHERE v.id = $2 AND v.status = 'approved' FOR KEY SHARE
), slot AS (
  UPDATE pool_items p
     SET claimed_count = p.claimed_count + 1,
         status = CASE WHEN p.claimed_count + 1 >= p.quota THEN 'claimed' ELSE 'open' END,
         version = p.version + 1,
         updated_at = $3
   WHERE p.id = $1 AND EXISTS (SELECT 1 FROM vol) AND p.status = 'open' AND p.claimed_count < p.quota
     AND (p.lottery_ends_at IS NULL OR p.lottery_ends_at <= $3)
     AND (p.needed_by IS NULL OR p.needed_by > $3)
  RETURNING p.id, p.status, p.version, p.claimed_count, ${START_BY_SQL('$3')} AS start_by
), claim AS (
  INSERT INTO pool_claims (item_id, volunteer_id, status, claimed_at, start_by)
  SELECT id, $2, 'active', $3, start_by FROM slot
  RETURNING id, item_id, start_by
), timer AS (
  INSERT INTO pool_timers (kind, item_id, claim_id, due_at) SELECT 'claim_start', item_id, id, start_by FROM claim
), event AS (
  INSERT INTO event_outbox (type, occurred_at, data)
  SELECT 'pool.claimed', $3, $4::jsonb || jsonb_build_object('status', slot.status, 'toStatus', slot.status, 'version', slot.version,
                                                             'claimedCount', slot.claimed_count, 'claimId', claim.id)
    FROM slot, claim
)
SELECT (SELECT id FROM claim) AS "claimId", EXISTS (SELECT 1 FROM vol) AS approved`;

/** Everything a claim's checks read, in one query: the item, the caller's registration and place on it, their claims this week. */
const CLAIM_CONTEXT_SQL = `
SELECT ${ITEM_COLUMNS},
       v.id AS "volunteerId", v.community_id AS "volunteerCommunityId", v.status AS "volunteerStatus", v.weekly_cap AS "weeklyCap",
       (SELECT c.status FROM pool_claims c WHERE c.item_id = p.id AND c.volunteer_id = v.id
           AND c.status IN ('entered','waitlisted','active','done') LIMIT 1) AS "existingStatus",
       CASE WHEN v.weekly_cap IS NULL THEN 0 ELSE (
         SELECT count(*)::int FROM pool_claims w WHERE w.volunteer_id = v.id AND w.status IN ('active','done','confirmed')
            AND w.claimed_at > $3::timestamptz - interval '7 days') END AS "weekUsed"
  FROM pool_items p LEFT JOIN volunteers v ON v.user_id = $2
 WHERE p.id = $1`;

interface ClaimContext extends PoolItemRow {
  volunteerId: number | null;
  volunteerCommunityId: number | null;
  volunteerStatus: VolunteerStatus | null;
  weeklyCap: number | null;
  existingStatus: PoolClaimStatus | null;
  weekUsed: number;
}

/** Claims in the last 7 days that used a slot (the weekly cap counts these). */
const WEEK_CLAIMS_SQL = `
SELECT count(*)::int AS n FROM pool_claims
 WHERE volunteer_id = $1 AND status IN ('active','done','confirmed') AND claimed_at > $2::timestamptz - interval '7 days'`;

const isUniqueViolation = (err: unknown): boolean =>
  err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23505';

/** 接单 and what follows it: claim, wait list, start, withdraw, complete (with photos), confirm (hours credited). */
@Injectable()
export class PoolClaimsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly regions: RegionsService,
    private readonly items: PoolItemsService,
    private readonly relay: EventRelay,
    private readonly storage: AttachmentStorage,
  ) {}

  /**
   * A slot, a lottery entry (a popular item in its window), or the caller's existing place.
   * `created` is false when the place existed already (200, nothing written).
   */
  async claim(actor: Actor, id: number): Promise<PoolClaimResult & { created: boolean }> {
    // One read for everything the checks need (the item, the caller's registration, their place, their week).
    const [ctx] = (await this.db.query(CLAIM_CONTEXT_SQL, [id, actor.id, this.clock.now()])) as ClaimContext[];
    const volunteer = ctx?.volunteerId
      ? { id: ctx.volunteerId, communityId: ctx.volunteerCommunityId!, status: ctx.volunteerStatus! }
      : null;
    const c: PoolCaller = { actor, volunteer, scope: poolScopeOf(actor, volunteer) };
    const item = this.items.visible(c, ctx ?? null, id);
    if (ctx!.existingStatus) {
      const s = ctx!.existingStatus;
      return {
        ...(await this.result(actor, id, s === 'active' || s === 'done' ? 'won' : s === 'entered' ? 'entered' : 'waitlisted')),
        created: false,
      };
    }
    const now = this.clock.now();
    if (item.popular && item.status === 'open' && item.lotteryEndsAt && item.lotteryEndsAt > now) return this.enter(c, item, now);
    await this.items.allow(this.db, c, item, 'claim', []);
    if (ctx!.weeklyCap !== null && ctx!.weekUsed >= ctx!.weeklyCap) {
      throw new AppException('WEEKLY_CAP_REACHED', `At most ${ctx!.weeklyCap} claims in 7 days`, {
        weeklyCap: ctx!.weeklyCap,
        used: ctx!.weekUsed,
      });
    }
    // The event's fields that the claim cannot change; the statement adds the item's state after it.
    const base = poolEvent('pool.claimed', this.regions, {
      item,
      fromStatus: 'open',
      action: 'claim',
      claim: { id: 0, volunteerId: volunteer!.id, status: 'active' },
      actorId: actor.id,
      at: now,
    });
    const params = [id, volunteer!.id, now, JSON.stringify(base.data)];
    let won: { claimId: number | null; approved: boolean };
    try {
      won =
        ctx!.weeklyCap === null
          ? ((await this.db.query(CLAIM_SQL, params)) as (typeof won)[])[0]!
          : await this.db.transaction((tx) => this.claimWithinCap(tx, volunteer!.id, now, params));
    } catch (err) {
      // The same volunteer's claim won a moment ago (a double tap): theirs is the answer.
      if (isUniqueViolation(err)) return { ...(await this.result(actor, id, 'won')), created: false };
      throw err;
    }
    // Suspended (or no longer registered) between the checks and the statement.
    if (!won.approved) {
      const [v] = (await this.db.query('SELECT status FROM volunteers WHERE id = $1', [volunteer!.id])) as { status: VolunteerStatus }[];
      throw new AppException('VOLUNTEER_NOT_APPROVED', `Volunteer ${volunteer!.id} is ${v?.status ?? 'gone'}`, { status: v?.status });
    }
    if (won.claimId !== null) {
      // Committed (one autocommit statement, its outbox row included): wake the relay.
      this.relay.committed();
      return { ...(await this.result(actor, id, 'won')), created: true };
    }
    // The same volunteer's other request took the last slot a moment ago: theirs is the answer.
    if (await this.liveClaimOf(c, id)) return { ...(await this.result(actor, id, 'won')), created: false };
    // Nothing updated: the item is full (the usual case under a burst) unless it closed meanwhile.
    const now2 = await readItem(this.db, id);
    const closed = !now2 || (now2.neededBy !== null && now2.neededBy <= now) || (now2.lotteryEndsAt !== null && now2.lotteryEndsAt > now);
    if (now2 && !closed && (now2.status === 'claimed' || now2.status === 'open')) {
      throw new AppException('POOL_FULL', `Every slot of pool item ${id} is taken`, { quota: now2.quota, waitlist: true });
    }
    throw new AppException('POOL_ACTION_NOT_ALLOWED', `Cannot claim a pool item that is ${now2?.status ?? 'gone'}`, {
      status: now2?.status,
    });
  }

  /**
   * A capped volunteer's claim: their row locked (FOR NO KEY UPDATE: their other claims wait, the
   * burst of others does not), the week counted after the lock with a fresh snapshot, then the
   * one claim statement in the same transaction. Concurrent claims of one volunteer on different
   * items so take turns, and the cap holds however they arrive.
   */
  private async claimWithinCap(
    tx: EntityManager,
    volunteerId: number,
    now: Date,
    params: unknown[],
  ): Promise<{ claimId: number | null; approved: boolean }> {
    const [v] = (await tx.query('SELECT weekly_cap AS "weeklyCap" FROM volunteers WHERE id = $1 FOR NO KEY UPDATE', [volunteerId])) as {
      weeklyCap: number | null;
    }[];
    if (v && v.weeklyCap !== null) {
      const [used] = (await tx.query(WEEK_CLAIMS_SQL, [volunteerId, now])) as { n: number }[];
      if (used!.n >= v.weeklyCap) {
        throw new AppException('WEEKLY_CAP_REACHED', `At most ${v.weeklyCap} claims in 7 days`, { weeklyCap: v.weeklyCap, used: used!.n });
      }
    }
    return ((await tx.query(CLAIM_SQL, params)) as { claimId: number | null; approved: boolean }[])[0]!;
  }

  /** A popular item's lottery window: the claim is an entry; the draw at the window's end picks the winners. */
  private async enter(c: PoolCaller, item: PoolItemRow, now: Date): Promise<PoolClaimResult & { created: boolean }> {
    await this.items.allow(this.db, c, item, 'claim');
    await this.checkCap(c, now);
    const rows: { id: number }[] = await this.db.query(
      `INSERT INTO pool_claims (item_id, volunteer_id, status, claimed_at, queue_key) VALUES ($1, $2, 'entered', $3, random())
       ON CONFLICT (item_id, volunteer_id) WHERE status IN ('entered','waitlisted','active','done') DO NOTHING RETURNING id`,
      [item.id, c.volunteer!.id, now],
    );
    return { ...(await this.result(c.actor, item.id, 'entered')), created: rows.length > 0 };
  }

  /** All slots taken: a place on the wait list, promoted when a slot frees (withdrawal, a no-show). */
  async waitlist(actor: Actor, id: number): Promise<PoolClaimResult & { created: boolean }> {
    const c = await this.items.caller(actor);
    const item = this.items.visible(c, await readItem(this.db, id), id);
    const existing = await this.liveClaimOf(c, id);
    if (existing) return { ...(await this.result(actor, id, existing.status === 'waitlisted' ? 'waitlisted' : 'won')), created: false };
    const now = this.clock.now();
    let created = false;
    await this.db.transaction(async (tx) => {
      const [locked] = (await tx.query(`SELECT ${ITEM_COLUMNS} FROM pool_items p WHERE p.id = $1 FOR UPDATE`, [id])) as PoolItemRow[];
      await this.items.allow(tx, c, locked ?? item, 'waitlist');
      const rows: { id: number }[] = await tx.query(
        `INSERT INTO pool_claims (item_id, volunteer_id, status, claimed_at, queue_key)
         VALUES ($1, $2, 'waitlisted', $3, extract(epoch FROM $3::timestamptz))
         ON CONFLICT (item_id, volunteer_id) WHERE status IN ('entered','waitlisted','active','done') DO NOTHING RETURNING id`,
        [id, c.volunteer!.id, now],
      );
      if (!rows[0]) return;
      created = true;
      const claim = { id: rows[0].id, volunteerId: c.volunteer!.id, status: 'waitlisted' as const };
      await insertOutbox(tx, [
        poolEvent('pool.waitlisted', this.regions, {
          item: locked!,
          fromStatus: locked!.status,
          action: 'waitlist',
          claim,
          actorId: actor.id,
          at: now,
        }),
      ]);
    });
    if (created) this.relay.committed();
    return { ...(await this.result(actor, id, 'waitlisted')), created };
  }

  /** 开始服务: the claimer is on it (a claim not started by its deadline expires as a no-show). */
  start(actor: Actor, id: number): Promise<PoolItemView> {
    return this.items.transition(actor, id, 'start', async (tx, item, now, c) => {
      const claim = await this.activeClaimOf(tx, c, id);
      if (claim.startedAt) return [];
      await tx.query('UPDATE pool_claims SET started_at = $2 WHERE id = $1', [claim.id, now]);
      await tx.query(`UPDATE pool_timers SET fired_at = $2 WHERE claim_id = $1 AND kind = 'claim_start' AND fired_at IS NULL`, [
        claim.id,
        now,
      ]);
      const after = await this.bump(tx, item.id, now);
      return [
        poolEvent('pool.started', this.regions, {
          item: after,
          fromStatus: item.status,
          action: 'start',
          claim: { ...claim, status: 'active' },
          actorId: actor.id,
          at: now,
        }),
      ];
    });
  }

  /** Before done: the slot frees, the next on the wait list takes it. */
  withdraw(actor: Actor, id: number): Promise<PoolItemView> {
    return this.items.transition(actor, id, 'withdraw', async (tx, item, now, c) => {
      const claim = await this.activeClaimOf(tx, c, id);
      await tx.query(`UPDATE pool_claims SET status = 'withdrawn', ended_at = $2 WHERE id = $1`, [claim.id, now]);
      await tx.query(`UPDATE pool_timers SET fired_at = $2 WHERE claim_id = $1 AND fired_at IS NULL`, [claim.id, now]);
      const promoted = await promoteWaitlist(tx, item, now);
      const after = await settleItem(tx, item, now);
      return [
        poolEvent('pool.withdrawn', this.regions, {
          item: after,
          fromStatus: item.status,
          action: 'withdraw',
          claim: { ...claim, status: 'withdrawn' },
          actorId: actor.id,
          at: now,
        }),
        ...promotedEvents(this.regions, after, item.status, promoted, now),
      ];
    });
  }

  /** Done, with a note and photos (the same photo pipeline as issues: sniffed, re-encoded without metadata, thumbnailed). */
  async complete(actor: Actor, id: number, note: string, uploads: UploadedPhoto[]): Promise<PoolItemView> {
    // Refusals that need no photo come first, so a refused request stores nothing.
    const c = await this.items.caller(actor);
    const before = this.items.visible(c, await readItem(this.db, id), id);
    await this.items.allow(this.db, c, before, 'complete');
    const stored = await this.storage.keep(uploads.map((u, i) => this.storage.check(u, i)));
    try {
      return await this.items.transition(actor, id, 'complete', async (tx, item, now, cc) => {
        const claim = await this.activeClaimOf(tx, cc, id);
        await tx.query(
          `UPDATE pool_claims SET status = 'done', note = $2, completed_at = $3, started_at = COALESCE(started_at, $3) WHERE id = $1`,
          [claim.id, note, now],
        );
        await tx.query(`UPDATE pool_timers SET fired_at = $2 WHERE claim_id = $1 AND fired_at IS NULL`, [claim.id, now]);
        for (const p of stored) {
          await tx.query(
            `INSERT INTO pool_photos (claim_id, mime_type, size_bytes, sha256, storage_key, thumb_key, width, height, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [claim.id, p.mimeType, p.sizeBytes, p.sha256, p.storageKey, p.thumbKey, p.width, p.height, now],
          );
        }
        const after = await settleItem(tx, item, now);
        return [
          poolEvent('pool.completed', this.regions, {
            item: after,
            fromStatus: item.status,
            action: 'complete',
            claim: { ...claim, status: 'done' },
            actorId: actor.id,
            at: now,
          }),
        ];
      });
    } catch (err) {
      await this.storage.discard(stored);
      throw err;
    }
  }

  /** Confirmed by the raiser or the community, with a score: each finished claim's hours go into the ledger. */
  confirm(actor: Actor, id: number, score: number, comment: string | null = null): Promise<PoolItemView> {
    return this.items.transition(actor, id, 'confirm', async (tx, item, now) => {
      const claims: { id: number; volunteerId: number }[] = await updateReturning(
        tx,
        `UPDATE pool_claims SET status = 'confirmed', score = $2 WHERE item_id = $1 AND status = 'done' RETURNING id, volunteer_id AS "volunteerId"`,
        [id, score],
      );
      await tx.query(
        `INSERT INTO volunteer_hours (volunteer_id, community_id, item_id, claim_id, hours, credited_by, at)
         SELECT volunteer_id, $2, item_id, id, $3, $4, $5 FROM pool_claims WHERE id = ANY($1::int[])`,
        [claims.map((cl) => cl.id), item.communityId, item.hours, actor.id, now],
      );
      await endLiveWaiting(tx, id, now);
      const [after] = (await updateReturning(
        tx,
        `UPDATE pool_items p SET status = 'confirmed', confirmed_at = $2, score = $3, confirm_comment = $4, version = p.version + 1,
                updated_at = $2
          WHERE p.id = $1 RETURNING ${ITEM_COLUMNS}`,
        [id, now, score, comment],
      )) as PoolItemRow[];
      return [
        poolEvent('pool.confirmed', this.regions, { item: after!, fromStatus: item.status, action: 'confirm', actorId: actor.id, at: now }),
      ];
    });
  }

  private async checkCap(c: PoolCaller, now: Date): Promise<void> {
    const [cap] = (await this.db.query('SELECT weekly_cap AS "weeklyCap" FROM volunteers WHERE id = $1', [c.volunteer!.id])) as {
      weeklyCap: number | null;
    }[];
    if (!cap || cap.weeklyCap === null) return;
    const [used] = (await this.db.query(WEEK_CLAIMS_SQL, [c.volunteer!.id, now])) as { n: number }[];
    if (used!.n >= cap.weeklyCap) {
      throw new AppException('WEEKLY_CAP_REACHED', `At most ${cap.weeklyCap} claims in 7 days`, {
        weeklyCap: cap.weeklyCap,
        used: used!.n,
      });
    }
  }

  private async liveClaimOf(c: PoolCaller, itemId: number): Promise<{ id: number; status: string } | null> {
    if (!c.volunteer) return null;
    const rows: { id: number; status: string }[] = await this.db.query(
      `SELECT id, status FROM pool_claims WHERE item_id = $1 AND volunteer_id = $2 AND status IN ('entered','waitlisted','active','done')`,
      [itemId, c.volunteer.id],
    );
    return rows[0] ?? null;
  }

  private async activeClaimOf(
    tx: EntityManager,
    c: PoolCaller,
    itemId: number,
  ): Promise<{ id: number; volunteerId: number; startedAt: Date | null }> {
    const rows: { id: number; volunteerId: number; startedAt: Date | null }[] = await tx.query(
      `SELECT id, volunteer_id AS "volunteerId", started_at AS "startedAt" FROM pool_claims
        WHERE item_id = $1 AND volunteer_id = $2 AND status = 'active' FOR UPDATE`,
      [itemId, c.volunteer?.id ?? 0],
    );
    if (!rows[0]) throw new AppException('POOL_ACTION_NOT_ALLOWED', `No active claim of yours on pool item ${itemId}`);
    return rows[0];
  }

  private async bump(tx: EntityManager, id: number, now: Date): Promise<PoolItemRow> {
    const [after] = (await updateReturning(
      tx,
      `UPDATE pool_items p SET version = p.version + 1, updated_at = $2 WHERE p.id = $1 RETURNING ${ITEM_COLUMNS}`,
      [id, now],
    )) as PoolItemRow[];
    return after!;
  }

  private async result(actor: Actor, id: number, outcome: PoolClaimResult['outcome']): Promise<PoolClaimResult> {
    const item = await this.items.detail(actor, id);
    return { outcome, claim: item.myClaim!, item };
  }
}

/** The item is finished: wait-list places and lottery entries that never got a slot end. */
async function endLiveWaiting(tx: EntityManager, itemId: number, now: Date): Promise<void> {
  await tx.query(`UPDATE pool_claims SET status = 'lost', ended_at = $2 WHERE item_id = $1 AND status IN ('entered','waitlisted')`, [
    itemId,
    now,
  ]);
}
