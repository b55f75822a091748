import type { EntityManager } from 'typeorm';
import type { PoolClaimStatus, PoolItemStatus } from '@gridline/shared';
import type { OutboxEvent } from '../events/outbox-sql';
import type { RegionTree } from '../scope/issue-scope';
import { poolEvent } from '../events/pool-payloads';
import { ITEM_COLUMNS, settledStatus, type PoolItemRow } from './pool-records';

/**
 * The statements every pool transition shares. Every multi-row change locks the item row first
 * (then claims), so two changes of one item never deadlock; the claim itself is one guarded
 * UPDATE of the slot counter (pool-claims.service.ts, ADR 0032).
 */

/** An UPDATE … RETURNING as a CTE: TypeORM answers a bare one with [rows, count], a SELECT with rows. */
export async function updateReturning<T>(db: Pick<EntityManager, 'query'>, update: string, params: unknown[]): Promise<T[]> {
  return (await db.query(`WITH changed AS (${update}) SELECT * FROM changed`, params)) as T[];
}

export async function lockItem(tx: EntityManager, id: number): Promise<PoolItemRow | null> {
  const rows: PoolItemRow[] = await tx.query(`SELECT ${ITEM_COLUMNS} FROM pool_items p WHERE p.id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

export async function readItem(db: Pick<EntityManager, 'query'>, id: number): Promise<PoolItemRow | null> {
  const rows: PoolItemRow[] = await db.query(`SELECT ${ITEM_COLUMNS} FROM pool_items p WHERE p.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The claim's start deadline: its item's start window, never after the item's neededBy. */
export const START_BY_SQL = (now: string) =>
  `LEAST(${now}::timestamptz + make_interval(mins => p.start_within_minutes), COALESCE(p.needed_by, 'infinity'::timestamptz))`;

/**
 * Moves wait-listed volunteers into free slots (in list order), skipping anyone no longer
 * approved or over their weekly cap (their place is `lost`). Returns the promoted claims.
 * The item row must be locked by the caller.
 */
export async function promoteWaitlist(
  tx: EntityManager,
  item: PoolItemRow,
  now: Date,
): Promise<{ id: number; volunteerId: number; status: PoolClaimStatus }[]> {
  const promoted: { id: number; volunteerId: number; status: PoolClaimStatus }[] = [];
  for (;;) {
    const [free] = (await tx.query(
      `SELECT p.quota - count(c.id) FILTER (WHERE c.status IN ('active','done'))::int AS free
         FROM pool_items p LEFT JOIN pool_claims c ON c.item_id = p.id WHERE p.id = $1 GROUP BY p.id`,
      [item.id],
    )) as { free: number }[];
    if (!free || free.free <= 0) return promoted;
    const next: { id: number; volunteerId: number; eligible: boolean }[] = await tx.query(
      `SELECT c.id, c.volunteer_id AS "volunteerId",
              (v.status = 'approved' AND (v.weekly_cap IS NULL OR (
                 SELECT count(*) FROM pool_claims w WHERE w.volunteer_id = v.id AND w.status IN ('active','done','confirmed')
                    AND w.claimed_at > $2::timestamptz - interval '7 days') < v.weekly_cap)) AS eligible
         FROM pool_claims c JOIN volunteers v ON v.id = c.volunteer_id
        WHERE c.item_id = $1 AND c.status = 'waitlisted'
        ORDER BY c.queue_key, c.id LIMIT 1`,
      [item.id, now],
    );
    const head = next[0];
    if (!head) return promoted;
    if (!head.eligible) {
      await tx.query(`UPDATE pool_claims SET status = 'lost', ended_at = $2 WHERE id = $1`, [head.id, now]);
      continue;
    }
    await activateClaim(tx, head.id, now);
    promoted.push({ id: head.id, volunteerId: head.volunteerId, status: 'active' });
  }
}

/** A lottery entry or wait-list place becomes a slot: its start deadline and timer. */
export async function activateClaim(tx: EntityManager, claimId: number, now: Date): Promise<void> {
  await tx.query(
    `WITH c AS (
       UPDATE pool_claims c SET status = 'active', claimed_at = $2, start_by = ${START_BY_SQL('$2')}
         FROM pool_items p WHERE c.id = $1 AND p.id = c.item_id RETURNING c.id, c.item_id, c.start_by)
     INSERT INTO pool_timers (kind, item_id, claim_id, due_at) SELECT 'claim_start', item_id, id, start_by FROM c
     ON CONFLICT (kind, item_id, COALESCE(claim_id, 0)) DO UPDATE SET due_at = EXCLUDED.due_at, fired_at = NULL`,
    [claimId, now],
  );
}

/**
 * Recounts the item's slots from its claims and settles its status (settledStatus); bumps the
 * version. Returns the item as it is now. The item row must be locked by the caller.
 */
export async function settleItem(
  tx: EntityManager,
  item: PoolItemRow,
  now: Date,
  extra: { status?: PoolItemStatus } = {},
): Promise<PoolItemRow> {
  const [counts] = (await tx.query(
    `SELECT count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status = 'done')::int AS done
       FROM pool_claims WHERE item_id = $1`,
    [item.id],
  )) as { active: number; done: number }[];
  const pastNeededBy = item.neededBy !== null && item.neededBy <= now;
  const status = extra.status ?? settledStatus(item.status, { quota: item.quota, ...counts!, pastNeededBy });
  const rows = await updateReturning<PoolItemRow>(
    tx,
    `UPDATE pool_items p SET claimed_count = $2, status = $3, version = p.version + 1, updated_at = $4
      WHERE p.id = $1 RETURNING ${ITEM_COLUMNS}`,
    [item.id, counts!.active + counts!.done, status, now],
  );
  return rows[0]!;
}

/** Live places end with the item (cancelled, expired): nothing left to claim, promote or start. */
export async function endLiveClaims(tx: EntityManager, itemId: number, status: 'cancelled' | 'lost', now: Date): Promise<void> {
  await tx.query(
    `UPDATE pool_claims SET status = CASE WHEN status IN ('entered','waitlisted') THEN 'lost' ELSE $2 END, ended_at = $3
      WHERE item_id = $1 AND status IN ('entered','waitlisted','active')`,
    [itemId, status, now],
  );
  await tx.query('UPDATE pool_timers SET fired_at = $2 WHERE item_id = $1 AND fired_at IS NULL', [itemId, now]);
}

/** Events for promoted claims: each one a `pool.promoted` of the item after the change. */
export function promotedEvents(
  regions: RegionTree,
  item: PoolItemRow,
  fromStatus: PoolItemStatus,
  promoted: readonly { id: number; volunteerId: number; status: PoolClaimStatus }[],
  at: Date,
): OutboxEvent[] {
  return promoted.map((claim) => poolEvent('pool.promoted', regions, { item, fromStatus, action: 'promote', claim, actorId: null, at }));
}

/**
 * A suspended volunteer's unfinished places end: an active claim is `cancelled` (its slot frees
 * and the wait list moves up, as on a withdrawal), a lottery entry or wait-list place is `lost`.
 * Work already done stays and is confirmed as usual. The volunteer's row must be locked by the
 * caller (a claim waits on it); the items are locked here in id order, after it, like every path
 * that locks both (volunteer first, then items).
 */
export async function endClaimsOfVolunteer(
  tx: EntityManager,
  regions: RegionTree,
  volunteerId: number,
  actorId: number,
  now: Date,
): Promise<{ endedClaimIds: number[]; events: OutboxEvent[] }> {
  const itemIds: { itemId: number }[] = await tx.query(
    `SELECT DISTINCT item_id AS "itemId" FROM pool_claims WHERE volunteer_id = $1 AND status IN ('entered','waitlisted','active')
      ORDER BY item_id`,
    [volunteerId],
  );
  const endedClaimIds: number[] = [];
  const events: OutboxEvent[] = [];
  for (const { itemId } of itemIds) {
    const item = await lockItem(tx, itemId);
    if (!item) continue;
    const ended = await updateReturning<{ id: number; status: PoolClaimStatus; wasActive: boolean }>(
      tx,
      `UPDATE pool_claims c SET status = CASE WHEN c.status = 'active' THEN 'cancelled' ELSE 'lost' END, ended_at = $3
         FROM (SELECT id, status = 'active' AS was_active FROM pool_claims
                WHERE item_id = $1 AND volunteer_id = $2 AND status IN ('entered','waitlisted','active') FOR UPDATE) old
        WHERE c.id = old.id RETURNING c.id, c.status, old.was_active AS "wasActive"`,
      [itemId, volunteerId, now],
    );
    if (!ended.length) continue;
    endedClaimIds.push(...ended.map((c) => c.id));
    await tx.query('UPDATE pool_timers SET fired_at = $2 WHERE claim_id = ANY($1::int[]) AND fired_at IS NULL', [
      ended.map((c) => c.id),
      now,
    ]);
    const slot = ended.find((c) => c.wasActive);
    if (!slot) continue;
    const promoted = await promoteWaitlist(tx, item, now);
    const after = await settleItem(tx, item, now);
    events.push(
      poolEvent('pool.withdrawn', regions, {
        item: after,
        fromStatus: item.status,
        action: 'suspend',
        claim: { id: slot.id, volunteerId, status: 'cancelled' },
        actorId,
        at: now,
      }),
      ...promotedEvents(regions, after, item.status, promoted, now),
    );
  }
  return { endedClaimIds: endedClaimIds.sort((a, b) => a - b), events };
}
