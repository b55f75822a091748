import type { EntityManager } from 'typeorm';
import type { DomainEventDataMap, DomainEventType } from '@gridline/shared';

/** The channel the relays LISTEN on; producers' instances NOTIFY it after their commit. */
export const EVENTS_CHANNEL = 'gridline_events';

/** One event to write in the producer's transaction. */
export interface OutboxEvent<K extends DomainEventType = DomainEventType> {
  type: K;
  occurredAt: Date;
  data: DomainEventDataMap[K];
}

/**
 * Writes events in the caller's transaction (one multi-row insert). A producer that is one SQL
 * statement (report, SLA sweep) inserts into event_outbox in that statement instead.
 */
export async function insertOutbox(tx: EntityManager, events: readonly OutboxEvent[]): Promise<void> {
  if (!events.length) return;
  await tx.query(
    `INSERT INTO event_outbox (type, occurred_at, data)
     SELECT t, o, d FROM unnest($1::text[], $2::timestamptz[], $3::json[]) WITH ORDINALITY AS e(t, o, d, n) ORDER BY n`,
    [events.map((e) => e.type), events.map((e) => e.occurredAt), events.map((e) => JSON.stringify(e.data))],
  );
}

/**
 * The next rows to deliver, oldest first, if this transaction gets the leader row (none otherwise).
 * `wait`: queue for the leader row instead of skipping it (drain()).
 *
 * The rows are locked too: the statement's snapshot is taken before it gets the leader row, so
 * when the previous leader commits in between, the snapshot still shows the rows that leader just
 * archived. Locking re-reads each row and drops the deleted ones; without it they would be
 * delivered a second time (to every consumer, the once-consumers included).
 */
export const nextBatchSql = (wait: boolean): string => `
WITH leader AS (SELECT 1 FROM event_relay_state ${wait ? 'FOR UPDATE' : 'FOR UPDATE SKIP LOCKED'})
SELECT o.id::text AS id, o.type, o.occurred_at AS "occurredAt", o.data
  FROM event_outbox o
 WHERE EXISTS (SELECT 1 FROM leader)
 ORDER BY o.id
 LIMIT $1
   FOR UPDATE OF o`;

/**
 * Delivered rows leave the outbox for the archive, in id order (the archive's position is the
 * delivery order), with the scope columns as of the event for the catch-up API (read from
 * the data's text in one pass: json_to_record, not one ->> each). The relay's progress (when it
 * last delivered, how many in all) is counted in the same statement: one round trip less a batch,
 * which at a moderate load carries one or two events.
 */
export const ARCHIVE_SQL = `
WITH moved AS (DELETE FROM event_outbox WHERE id = ANY($1::bigint[]) RETURNING id, type, occurred_at, data),
     progress AS (UPDATE event_relay_state SET relayed_at = now(), relayed_total = relayed_total + (SELECT count(*) FROM moved))
INSERT INTO event_archive (id, type, occurred_at, data, issue_id, status, grid_id, community_id, street_id, district_id,
                           department_id, reporter_id, assignee_id)
SELECT m.id, m.type, m.occurred_at, m.data, s."issueId", s.status, s."gridId", s."communityId", s."streetId", s."districtId",
       s."departmentId", s."reporterId", s."assigneeId"
  FROM moved m,
       json_to_record(m.data) AS s("issueId" int, status text, "gridId" int, "communityId" int, "streetId" int, "districtId" int,
                                   "departmentId" int, "reporterId" int, "assigneeId" int)
 ORDER BY m.id`;

export const LAG_SQL = `
SELECT count(*)::int AS pending, (extract(epoch FROM now() - min(created_at)) * 1000)::float8 AS "oldestMs" FROM event_outbox`;

/**
 * The catch-up API serves at least this far back. The archive is partitioned by month: a month is
 * dropped whole once it ended this long ago (so between 30 and 61 days are kept).
 */
export const ARCHIVE_KEEP_DAYS = 30;
export const PRUNE_ARCHIVE_SQL = `SELECT monthly_partitions_drop_before('event_archive', now() - make_interval(days => $1)) AS dropped`;
