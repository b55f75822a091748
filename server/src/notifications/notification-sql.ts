/** The channel every instance LISTENs on: a commit made notifications (payload `e:<event id>`) or a user read some (`r:<user id>`). */
export const NOTIFICATIONS_CHANNEL = 'gridline_notifications';

/**
 * One event's notifications, in the relay's transaction. The audiences of notification-rules.ts as SQL:
 * $1 grid id (its grid workers) or null, $2 named user ids (reporter, assignee) with $3 the roles
 * they must have, $4 department id (its leads) or null, $5 region ids whose dispatchers are told.
 * Active users only; an away user's AB 岗 backup (active, same role) too; never the actor ($13).
 * The (user, event) unique index makes a redelivered batch write nothing twice. The push and SMS
 * deliveries follow from the preferences ($14: the kind may go by SMS at all, $15: its default),
 * and a NOTIFY (sent at commit) tells every instance. $16: an issue id whose residents (the
 * resident who reported it, those who joined it as "me too") are told, or null.
 */
export const INSERT_NOTIFICATIONS_SQL = `
WITH candidates AS (
  SELECT u.id, u.role, u.away, u.backup_user_id
    FROM users u
   WHERE u.active AND (
         (u.role <> 'resident' AND (
              ($1::int IS NOT NULL AND u.role = 'grid_worker' AND $1::int = ANY(u.grid_ids))
           OR (u.id = ANY($2::int[]) AND u.role = ANY($3::text[]))
           OR ($4::int IS NOT NULL AND u.role = 'dept_lead' AND u.department_id = $4::int)
           OR (u.role = 'dispatcher' AND u.region_id = ANY($5::int[]))))
      OR ($16::int IS NOT NULL AND u.role IN ('resident', 'volunteer')
          AND u.id IN (SELECT unnest(i.follower_ids || i.reporter_id) FROM issues i WHERE i.id = $16::int)))
), recipients AS (
  SELECT id FROM candidates
  UNION
  SELECT b.id FROM candidates c JOIN users b ON b.id = c.backup_user_id AND b.active AND b.role = c.role WHERE c.away
), ins AS (
  INSERT INTO notifications (user_id, event_id, kind, issue_id, title, body, urgent, created_at)
  SELECT r.id, $6::bigint, $7, $8, $9, $10, $11, $12 FROM recipients r WHERE r.id IS DISTINCT FROM $13::int
  ON CONFLICT (user_id, event_id) DO NOTHING
  RETURNING id, user_id, kind
), push AS (
  INSERT INTO notification_deliveries (notification_id, channel, subscription_id, next_attempt_at, created_at)
  SELECT ins.id, 'push', s.id, $12, $12
    FROM ins
    JOIN push_subscriptions s ON s.user_id = ins.user_id
    LEFT JOIN notification_preferences p ON p.user_id = ins.user_id
   WHERE COALESCE((p.channels -> ins.kind ->> 'push')::boolean, true)
  RETURNING 1
), sms AS (
  INSERT INTO notification_deliveries (notification_id, channel, next_attempt_at, created_at)
  SELECT ins.id, 'sms', $12, $12
    FROM ins
    JOIN notification_preferences p ON p.user_id = ins.user_id
   WHERE $14::boolean AND p.sms_phone IS NOT NULL AND COALESCE((p.channels -> ins.kind ->> 'sms')::boolean, $15::boolean)
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS inserted,
       (SELECT count(*) FROM push)::int + (SELECT count(*) FROM sms)::int AS deliveries,
       CASE WHEN EXISTS (SELECT 1 FROM ins) THEN pg_notify('${NOTIFICATIONS_CHANNEL}', 'e:' || $6::text) END AS woke`;

/** The columns of a NotificationView, over `notifications n` joined with `users u` (the recipient). */
export const VIEW_COLUMNS = `n.id::int AS id, n.kind, n.event_id::text AS "eventId", n.issue_id AS "issueId", n.title, n.body, n.urgent,
  u.role, n.created_at AS "createdAt", n.delivered_at AS "deliveredAt", n.read_at AS "readAt", n.user_id AS "userId"`;

export interface ViewRow {
  id: number;
  kind: string;
  eventId: string;
  issueId: number | null;
  title: string;
  body: string;
  urgent: boolean;
  role: string;
  createdAt: Date;
  deliveredAt: Date | null;
  readAt: Date | null;
  userId: number;
}
