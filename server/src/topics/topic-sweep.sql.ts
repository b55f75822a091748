import { topicEventDataSql } from './topic-rows';

/**
 * The reply clock's sweep, one statement like the SLA sweep (sla/sweep.sql.ts): claims due timer
 * rows (FOR UPDATE SKIP LOCKED, the topic row locked against a concurrent answer), deletes them,
 * marks (topic, level) fired — the primary key makes a second firing impossible — for topics still
 * waiting for their answer, and writes the trail entry and the domain event of each firing.
 *
 * $1 = the test clock offset in ms (0 in production), $2 = the batch size.
 */
export const TOPIC_SWEEP_SQL = `
WITH now_ AS (SELECT now() + $1::float8 * interval '1 millisecond' AS t),
claimed AS (
  SELECT tm.ctid AS timer_ctid, tm.topic_id, tm.level, tp.*
    FROM topic_timers tm
    JOIN topics tp ON tp.id = tm.topic_id
   WHERE tm.fire_at <= (SELECT t FROM now_)
   ORDER BY tm.fire_at
   LIMIT $2
     FOR UPDATE OF tm SKIP LOCKED
     FOR NO KEY UPDATE OF tp SKIP LOCKED
), due AS (
  DELETE FROM topic_timers WHERE ctid = ANY (ARRAY(SELECT timer_ctid FROM claimed))
), fired AS (
  INSERT INTO topic_firings (topic_id, level, fired_at)
  SELECT topic_id, level, (SELECT t FROM now_) FROM claimed WHERE status = 'assigned'
  ON CONFLICT DO NOTHING
  RETURNING topic_id, level
), f AS (
  -- a topic's warning comes before its breach when both are due in one sweep (after downtime)
  SELECT claimed.*, row_number() OVER (PARTITION BY claimed.topic_id ORDER BY claimed.level = 'breach') AS k
    FROM claimed JOIN fired USING (topic_id, level)
), trail AS (
  INSERT INTO topic_events (topic_id, type, actor_id, data, at)
  SELECT topic_id, 'reply_' || CASE level WHEN 'warning' THEN 'warning' ELSE 'breached' END, NULL,
         jsonb_build_object('dueAt', reply_due_at), (SELECT t FROM now_)
    FROM f ORDER BY topic_id, k
), seqs AS (
  UPDATE topics tp SET event_seq = tp.event_seq + n.fired FROM (SELECT topic_id, count(*)::int AS fired FROM f GROUP BY topic_id) n
   WHERE tp.id = n.topic_id
), outbox AS (
  INSERT INTO event_outbox (type, occurred_at, data)
  SELECT CASE level WHEN 'warning' THEN 'topic.reply_warning' ELSE 'topic.reply_breached' END, (SELECT t FROM now_),
         ${topicEventDataSql('f', 'f.event_seq + f.k')}
    FROM f ORDER BY topic_id, k
)
SELECT c.topic_id AS "topicId", c.level, (f.topic_id IS NOT NULL) AS fired FROM claimed c LEFT JOIN f USING (topic_id, level)`;

/** One claimed timer; `fired` false when its topic was answered meanwhile (the timer is gone, nothing fired). */
export interface TopicFiredRow {
  topicId: number;
  level: 'warning' | 'breach';
  fired: boolean;
}
