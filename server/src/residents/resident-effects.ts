import type { EntityManager } from 'typeorm';
import { INFO_REQUEST_WORKING_DAYS, isResidentRole, REOPEN_REQUEST_DAYS, REOPEN_REQUEST_MAX_SCORE } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import type { Issue } from '../issues/issue.entity';
import type { SlaClocksService } from '../sla/sla-clocks.service';

/**
 * What the residents' side of the workflow writes, inside the action's transaction (called by
 * the one transition path): reopen requests after an unhappy evaluation, and requests for
 * information with their answers.
 */

/** 不满意 by the reporting resident within 7 days of the close: a request for the dispatcher (never an automatic reopen). */
export async function fileReopenRequest(
  tx: EntityManager,
  actor: Actor,
  issue: Issue,
  evaluation: { id: number; score: number; comment: string | null },
  now: Date,
): Promise<number | null> {
  if (!isResidentRole(actor.role) || evaluation.score > REOPEN_REQUEST_MAX_SCORE || issue.closedAt === null) return null;
  if (now.getTime() - issue.closedAt.getTime() > REOPEN_REQUEST_DAYS * 86_400_000) return null;
  const rows: { id: number }[] = await tx.query(
    `INSERT INTO reopen_requests (issue_id, evaluation_id, requested_by, reason, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [issue.id, evaluation.id, actor.id, evaluation.comment, now],
  );
  return rows[0]!.id;
}

/** 补充材料: one open request per issue; it lapses after 3 working days of the handle stage's calendar. */
export async function openInfoRequest(
  tx: EntityManager,
  actor: Actor,
  issue: Issue,
  question: string,
  now: Date,
  sla: SlaClocksService,
): Promise<{ infoRequestId: number; lapsesAt: string }> {
  const lapsesAt = sla.addWorkingDays(issue, now, INFO_REQUEST_WORKING_DAYS);
  const rows: { id: number }[] = await tx.query(
    `INSERT INTO info_requests (issue_id, requested_by, question, created_at, lapses_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (issue_id) WHERE status = 'open' DO NOTHING RETURNING id`,
    [issue.id, actor.id, question, now, lapsesAt],
  );
  if (!rows[0]) throw new AppException('INFO_ALREADY_REQUESTED', 'A request for information on this issue is still waiting for its answer');
  return { infoRequestId: rows[0].id, lapsesAt: lapsesAt.toISOString() };
}

/** The reporter's answer closes the open request (and the action resumes the handle clock). */
export async function answerInfoRequest(
  tx: EntityManager,
  actor: Actor,
  issue: Issue,
  answer: string | null,
  photos: number,
  now: Date,
): Promise<{ infoRequestId: number }> {
  if (answer === null && photos === 0) {
    throw new AppException('VALIDATION_FAILED', 'Answer with a note, a photo or both', { field: 'note' });
  }
  const [rows]: [{ id: number }[], number] = await tx.query(
    `UPDATE info_requests SET status = 'answered', answer = $2, answered_by = $3, closed_at = $4
      WHERE issue_id = $1 AND status = 'open' RETURNING id`,
    [issue.id, answer, actor.id, now],
  );
  if (!rows[0]) throw new AppException('INFO_NOT_REQUESTED', 'Nobody is waiting for information on this issue');
  return { infoRequestId: rows[0].id };
}
