/** Retries of a push or SMS that failed for a passing reason, ms after each attempt; then it is dead. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Due deliveries, leased to this sender ($3 ms) so no other instance takes them meanwhile; attempts counted here. */
export const CLAIM_SQL = `
WITH due AS (
  SELECT d.id FROM notification_deliveries d
   WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= $1
     AND (d.lease_until IS NULL OR d.lease_until < $1)
   ORDER BY d.next_attempt_at, d.id
   LIMIT $2
   FOR UPDATE SKIP LOCKED
)
UPDATE notification_deliveries d
   SET lease_until = $1::timestamptz + make_interval(secs => $3::int / 1000.0), attempts = d.attempts + 1
  FROM due WHERE d.id = due.id
RETURNING d.id`;

/** What a claimed delivery needs: the notification, its user (active?), the device or the number. */
export const CLAIMED_SQL = `
SELECT d.id::int AS id, d.channel, d.attempts, d.notification_id::int AS "notificationId",
       n.event_id::text AS "eventId", n.kind, n.issue_id AS "issueId", n.title, n.body, n.urgent,
       u.id AS "userId", u.role, u.active,
       s.id AS "subscriptionId", s.endpoint, s.p256dh, s.auth, p.sms_phone AS "smsPhone"
  FROM notification_deliveries d
  JOIN notifications n ON n.id = d.notification_id
  JOIN users u ON u.id = n.user_id
  LEFT JOIN push_subscriptions s ON s.id = d.subscription_id
  LEFT JOIN notification_preferences p ON p.user_id = n.user_id
 WHERE d.id = ANY($1::bigint[])`;

export interface ClaimedRow {
  id: number;
  channel: 'push' | 'sms';
  attempts: number;
  notificationId: number;
  eventId: string;
  kind: string;
  issueId: number | null;
  title: string;
  body: string;
  urgent: boolean;
  userId: number;
  role: string;
  active: boolean;
  subscriptionId: number | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
  smsPhone: string | null;
}

/** The attempt's outcome; a sent one marks the notification delivered (the dispatcher's receipt). */
export const RECORD_SQL = `
WITH d AS (
  UPDATE notification_deliveries
     SET status = $2, next_attempt_at = $3, lease_until = NULL, last_error = $4, sent_at = CASE WHEN $2 = 'sent' THEN $5 ELSE sent_at END
   WHERE id = $1
  RETURNING notification_id
)
UPDATE notifications n SET delivered_at = COALESCE(n.delivered_at, $5)
  FROM d WHERE n.id = d.notification_id AND $2 = 'sent'`;
