import { slaFiredDataSql, supervisionRaisedDataSql } from '../events/event-payloads';
import { countEventsSql } from '../events/issue-event-counter';
import { openBreachesInsertSql } from './open-breaches.sql';

/**
 * The sweep: one statement that claims due timer rows, fires them and plans the next rung.
 *
 * $1 = the test clock offset in ms (0 in production: "now" is the database's clock),
 * $2 = the batch size.
 *
 * - claimed: the earliest due timers, by the fire_at index, locked against other sweepers, with
 *   a row lock on the issue (NO KEY UPDATE: its event counter moves) against a concurrent
 *   transition (which locks the issue FOR UPDATE before touching its clocks) and another sweeper;
 *   locked rows are skipped, never waited for. The clock and issue columns are read here once.
 * - due: the claimed timers are deleted by tuple id; a timer of a clock no longer running fires nothing.
 * - fired: the (clock, level) marker; its primary key makes a second firing impossible, so a
 *   re-delivered timer does nothing.
 * - then, for what fired (the firings rows are also the clock's marks): the 督办 (breach: to the street's command center;
 *   escalation: one level up, the district), one audit event each, and the next rung's timer.
 * - the wall's view of a breach, from the columns claimed already read: the open breach (the
 *   overdue list) and +1 overdue per grid for the roll-ups. These were triggers on `sla_firings`
 *   that looked each firing's clock, issue and grid up again: about a tenth of the catch-up.
 * - the domain events, in the same statement: one sla.* per firing and one supervision.raised per
 *   督办, numbered on from the issue's event counter (`seq`), which moves by as many: counted
 *   numbers them within the batch, seqs moves the counter (issue-event-counter.ts), numbered adds
 *   the two.
 * - what it returns: how many rungs fired, per level (for the sweeper's count and metrics). Every
 *   consumer of a firing reads it from the outbox; returning the firings themselves (2,000 rows of
 *   14 columns a batch, dates parsed by the driver) cost the catch-up about a tenth of its rate.
 */
export const SWEEP_SQL = `
WITH now_ AS (SELECT now() + $1::float8 * interval '1 millisecond' AS t),
claimed AS (
  SELECT t.ctid AS timer_ctid, t.clock_id, t.level, t.fire_at, c.issue_id, c.stage, c.due_at, c.escalate_at,
         (c.stopped_at IS NULL AND c.running_since IS NOT NULL) AS running,
         i.id, i.number, i.status, i.version, i.title, i.category_id, i.priority, i.source, i.grid_id, i.community_id, i.street_id,
         i.district_id, i.department_id, i.reporter_id, i.assignee_id
    FROM sla_timers t
    JOIN sla_clocks c ON c.id = t.clock_id
    JOIN issues i ON i.id = c.issue_id
   WHERE t.fire_at <= (SELECT t FROM now_)
   ORDER BY t.fire_at
   LIMIT $2
     FOR UPDATE OF t SKIP LOCKED
     FOR NO KEY UPDATE OF i SKIP LOCKED
), due AS (
  -- by tuple id: a TID scan, never a scan of the table
  DELETE FROM sla_timers WHERE ctid = ANY (ARRAY(SELECT timer_ctid FROM claimed))
), fired AS (
  INSERT INTO sla_firings (clock_id, level, fired_at)
  SELECT clock_id, level, (SELECT t FROM now_) FROM claimed WHERE running
  ON CONFLICT DO NOTHING
  RETURNING clock_id, level
), f AS (
  SELECT claimed.*,
         CASE claimed.level WHEN 'breach' THEN claimed.street_id WHEN 'escalation_1' THEN claimed.district_id END AS sup_region,
         CASE claimed.level WHEN 'breach' THEN 1 WHEN 'escalation_1' THEN 2 END AS sup_level
    FROM claimed JOIN fired USING (clock_id, level)
), open_breach AS (${openBreachesInsertSql(`SELECT clock_id, issue_id, grid_id, (SELECT t FROM now_), level, running, stage FROM f`)}
), overdue AS (
  -- the roll-ups' +1 overdue, per grid (the applier sums the rows); f holds running clocks only
  INSERT INTO stats_sla_outbox (grid_id, overdue, resolved, resolved_on_time)
  SELECT grid_id, count(*)::int, 0, 0 FROM f WHERE level = 'breach' AND stage <> 'overall' GROUP BY grid_id
), sup AS (
  INSERT INTO supervisions (issue_id, level, region_id, by_user_id, reason, created_at, clock_id)
  SELECT issue_id, sup_level, sup_region, NULL,
         CASE level WHEN 'breach' THEN 'SLA 超时自动督办 (' || stage || ')' ELSE 'SLA 超时未办结，升级督办 (' || stage || ')' END,
         (SELECT t FROM now_), clock_id
    FROM f WHERE sup_region IS NOT NULL
  RETURNING id, clock_id, region_id, level, by_user_id
), ev AS (
  INSERT INTO issue_events (issue_id, type, actor_id, data, at)
  SELECT f.issue_id,
         CASE f.level WHEN 'warning' THEN 'sla.warning' WHEN 'breach' THEN 'sla.breached' ELSE 'sla.escalated' END,
         NULL,
         jsonb_build_object('clockId', f.clock_id, 'stage', f.stage, 'level', f.level, 'dueAt', f.due_at, 'scheduledAt', f.fire_at)
           || CASE WHEN sup.id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('supervisionId', sup.id, 'regionId', sup.region_id) END,
         (SELECT t FROM now_)
    FROM f LEFT JOIN sup ON sup.clock_id = f.clock_id
), nxt AS (
  INSERT INTO sla_timers (clock_id, level, fire_at)
  SELECT clock_id, CASE level WHEN 'warning' THEN 'breach' ELSE 'escalation_1' END,
         CASE level WHEN 'warning' THEN due_at ELSE escalate_at END
    FROM f WHERE level IN ('warning', 'breach')
  ON CONFLICT DO NOTHING
), counted AS (
  -- each firing's events, numbered within its issue in this batch (k of n): the sla.* event, then its 督办 if any
  SELECT f.*, sup.id AS sup_id,
         sum(CASE WHEN sup.id IS NULL THEN 1 ELSE 2 END)
           OVER (PARTITION BY f.id ORDER BY f.clock_id ROWS UNBOUNDED PRECEDING) AS k,
         sum(CASE WHEN sup.id IS NULL THEN 1 ELSE 2 END) OVER (PARTITION BY f.id) AS n
    FROM f LEFT JOIN sup ON sup.clock_id = f.clock_id
), seqs AS (${countEventsSql('SELECT id, max(n) FROM counted GROUP BY id')}
), numbered AS (
  SELECT counted.*, seqs.last_seq - counted.n + counted.k AS last_seq FROM counted JOIN seqs ON seqs.issue_id = counted.id
), outbox AS (
  INSERT INTO event_outbox (type, occurred_at, data)
  SELECT e.type, (SELECT t FROM now_), e.data FROM (
    SELECT f.id, f.clock_id, 0 AS k,
           CASE f.level WHEN 'warning' THEN 'sla.warning' WHEN 'breach' THEN 'sla.breached' ELSE 'sla.escalated' END AS type,
           ${slaFiredDataSql('f', 'f', 'sup', `f.last_seq - CASE WHEN sup.id IS NULL THEN 0 ELSE 1 END`)} AS data
      FROM numbered f LEFT JOIN sup ON sup.id = f.sup_id
    UNION ALL
    SELECT f.id, f.clock_id, 1, 'supervision.raised', ${supervisionRaisedDataSql('f', 'sup', 'f.last_seq')}
      FROM numbered f JOIN sup ON sup.id = f.sup_id
  ) e ORDER BY e.id, e.clock_id, e.k
)
SELECT f.level, count(*)::int AS fired FROM f GROUP BY f.level`;

/** The claim part alone, for EXPLAIN in the bench (the statement above plans it the same way). */
export const CLAIM_SQL = `
SELECT t.clock_id, t.level
  FROM sla_timers t
  JOIN sla_clocks c ON c.id = t.clock_id
  JOIN issues i ON i.id = c.issue_id
 WHERE t.fire_at <= now() + $1::float8 * interval '1 millisecond'
 ORDER BY t.fire_at
 LIMIT $2
   FOR UPDATE OF t SKIP LOCKED
   FOR NO KEY UPDATE OF i SKIP LOCKED`;

/** One row per level that fired in the batch. */
export interface FiredCount {
  level: 'warning' | 'breach' | 'escalation_1';
  fired: number;
}

/** How many rungs a batch fired, all levels together (0: nothing was due). */
export const totalFired = (counts: readonly FiredCount[]): number => counts.reduce((sum, c) => sum + c.fired, 0);
