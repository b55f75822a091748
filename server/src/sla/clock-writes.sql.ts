import { CLOCK_RECORD } from './clock-rows';

/**
 * A transition's clock changes in one statement: $1 issue id, $2 changed clocks and $3 new clocks
 * (jsonb records of toRecord), $4 the issue's new current-stage due time, $5 the changed clocks' ids.
 * Updates the clocks, replaces their pending timer by the next rung (or none), inserts new clocks
 * with their first timer, and keeps issues.sla_due_at for the list.
 */
export const TRANSITION_WRITE_SQL = `
WITH upd AS (
   UPDATE sla_clocks c SET policy_id = r.policy_id, calendar_id = r.calendar_id, unit = r.unit, target = r.target, target_ms = r.target_ms,
          warn_fraction = r.warn_fraction, running_since = r.running_since, used_ms = r.used_ms, extended_ms = r.extended_ms,
          paused_ms = r.paused_ms, paused_since = r.paused_since, warn_at = r.warn_at, due_at = r.due_at, escalate_at = r.escalate_at,
          stopped_at = r.stopped_at
     FROM jsonb_to_recordset($2::jsonb) AS r(${CLOCK_RECORD})
    WHERE c.id = ANY($5::bigint[]) AND c.id = r.id
    RETURNING c.id, r.next_level, r.next_at
 ), stale AS (
   -- = ANY($5): by the primary key, whatever the planner guesses about the CTE's size
   DELETE FROM sla_timers t USING upd
    WHERE t.clock_id = ANY($5::bigint[]) AND t.clock_id = upd.id AND t.level IS DISTINCT FROM upd.next_level
 ), moved AS (
   INSERT INTO sla_timers (clock_id, level, fire_at) SELECT id, next_level, next_at FROM upd WHERE next_level IS NOT NULL
   ON CONFLICT (clock_id, level) DO UPDATE SET fire_at = EXCLUDED.fire_at
 ), ins AS (
   INSERT INTO sla_clocks (issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                           warn_at, due_at, escalate_at)
   SELECT $1, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since, warn_at, due_at, escalate_at
     FROM jsonb_to_recordset($3::jsonb) AS r(${CLOCK_RECORD})
   RETURNING id, stage
 ), timers AS (
   INSERT INTO sla_timers (clock_id, level, fire_at)
   SELECT ins.id, r.next_level, r.next_at FROM ins JOIN jsonb_to_recordset($3::jsonb) AS r(${CLOCK_RECORD}) USING (stage)
    WHERE r.next_level IS NOT NULL
 ), due AS (
   UPDATE issues SET sla_due_at = $4 WHERE id = $1
 )
 SELECT id, stage FROM ins`;
