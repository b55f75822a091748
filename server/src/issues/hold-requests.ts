import type { EntityManager } from 'typeorm';
import type { HoldRequestView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';

/**
 * 挂账申请: a department lead asks for a hold (request_hold), the dispatcher approves it by putting
 * the issue on hold (suspend) or declines it (decline_hold). One pending request per issue (a
 * partial unique index); a request still pending when the task leaves "in progress" another way
 * (resolved, returned) lapses. Every function runs inside the transition's transaction.
 */
export async function fileHoldRequest(tx: EntityManager, actor: Actor, issueId: number, reason: string, now: Date): Promise<number> {
  const rows: { id: number }[] = await tx.query(
    `INSERT INTO hold_requests (issue_id, reason, requested_by, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (issue_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
    [issueId, reason, actor.id, now],
  );
  if (!rows[0]) throw new AppException('HOLD_ALREADY_PENDING', 'A hold request for this issue is already waiting for a decision');
  return rows[0].id;
}

type Outcome = 'approved' | 'declined' | 'lapsed';

/** Settles the pending request, if any; returns its id. */
export async function settleHoldRequest(
  tx: EntityManager,
  issueId: number,
  outcome: Outcome,
  by: { actorId: number | null; note: string | null },
  now: Date,
): Promise<number | null> {
  const [rows]: [{ id: number }[], number] = await tx.query(
    `UPDATE hold_requests SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5
      WHERE issue_id = $1 AND status = 'pending' RETURNING id`,
    [issueId, outcome, by.actorId, by.note, now],
  );
  return rows[0]?.id ?? null;
}

/** decline_hold: there must be a request to decline. */
export async function declineHoldRequest(tx: EntityManager, actor: Actor, issueId: number, reason: string, now: Date): Promise<number> {
  const id = await settleHoldRequest(tx, issueId, 'declined', { actorId: actor.id, note: reason }, now);
  if (id === null) throw new AppException('HOLD_NOT_PENDING', 'There is no hold request waiting for a decision');
  return id;
}

/** The pending request of an issue, for its detail view. */
export async function pendingHoldRequest(db: Pick<EntityManager, 'query'>, issueId: number): Promise<HoldRequestView | null> {
  const rows: { id: number; reason: string; requested_by: number; name: string | null; created_at: Date }[] = await db.query(
    `SELECT h.id, h.reason, h.requested_by, u.display_name AS name, h.created_at
       FROM hold_requests h LEFT JOIN users u ON u.id = h.requested_by
      WHERE h.issue_id = $1 AND h.status = 'pending'`,
    [issueId],
  );
  const r = rows[0];
  return r
    ? { id: r.id, reason: r.reason, requestedById: r.requested_by, requestedByName: r.name, createdAt: r.created_at.toISOString() }
    : null;
}
