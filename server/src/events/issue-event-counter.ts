import type { EntityManager } from 'typeorm';

/**
 * An issue's events are numbered 1, 2, 3 … (`seq`, the version chain a wall follows). The number
 * of its last event lives in `issue_event_counters`, a narrow table of its own, not on the wide
 * `issues` row: the SLA sweep numbers thousands of events a statement, and moving a counter on
 * `issues` rewrote each row and all its indexes (see docs/adr).
 *
 * The report is event 1 and writes no counter row: the row appears with the issue's second event.
 * Every writer holds the issue's row lock (FOR UPDATE or FOR NO KEY UPDATE) while it counts, so
 * the numbers of one issue never collide; ON CONFLICT reads the newest counter, never a stale
 * snapshot.
 *
 * `addedSql` yields (issue id, how many events this writer adds). Returns (issue_id, last_seq):
 * the number of the last event written, so the first is last_seq − added + 1.
 */
export const countEventsSql = (addedSql: string): string => `
INSERT INTO issue_event_counters AS c (issue_id, last_seq)
SELECT issue_id, 1 + added FROM (${addedSql}) AS a (issue_id, added)
ON CONFLICT (issue_id) DO UPDATE SET last_seq = c.last_seq + excluded.last_seq - 1
RETURNING issue_id, last_seq`;

/** The number of the issue's last event, from a LEFT JOIN of issue_event_counters as `alias`. */
export const lastSeqSql = (alias: string): string => `coalesce(${alias}.last_seq, 1)`;

/** Counts `added` more events of the issue (the caller holds its row lock); returns the number of the last. */
export async function countEvents(tx: EntityManager, issueId: number, added: number): Promise<number> {
  const rows: { last_seq: number }[] = await tx.query(countEventsSql('VALUES ($1::int, $2::int)'), [issueId, added]);
  return rows[0]!.last_seq;
}
