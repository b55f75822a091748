/**
 * The delivery statements. Deliveries are rows; the process only triggers work, so a restart
 * loses nothing and several instances can send at once.
 */

/** The channel on which a commit that made deliveries wakes the senders of every instance. */
export const WEBHOOKS_CHANNEL = 'gridline_webhooks';

/**
 * One delivery row per (event, active subscription whose filter and region match), idempotent:
 * an event handed over again (the relay delivers at least once) finds its row and adds nothing.
 * - filter: an exact type, or "prefix.*" = every type that starts with "prefix.";
 * - region: the event's grid lies in the subscription's region subtree (the grid's `path` holds
 *   its ancestors and itself); an event without a grid reaches only subscriptions without a region.
 * When rows were made, NOTIFY: delivered at COMMIT, so the senders wake once the rows are visible.
 * $1 event ids, $2 types, $3 bodies (JSON text), $4 grid ids (null: none), $5 now.
 */
export const ENQUEUE_SQL = `
WITH ins AS (
  INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, status, next_attempt_at, created_at)
  SELECT s.id, e.id, e.type, e.body::jsonb, 'pending', $5, $5
    FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS e(id, type, body, grid_id)
    JOIN webhook_subscriptions s
      ON s.active
     AND EXISTS (SELECT 1 FROM unnest(s.events) f WHERE f = e.type OR (right(f, 2) = '.*' AND starts_with(e.type, left(f, -1))))
     AND (s.region_id IS NULL OR EXISTS (SELECT 1 FROM regions r WHERE r.id = e.grid_id AND s.region_id = ANY (r.path)))
  ON CONFLICT (subscription_id, event_id) DO NOTHING
  RETURNING 1
), n AS (SELECT count(*)::int AS inserted FROM ins)
SELECT inserted, CASE WHEN inserted > 0 THEN pg_notify('${WEBHOOKS_CHANNEL}', '') END AS woke FROM n`;

/**
 * Claims due deliveries: per active, unthrottled subscription at most $2 (its earliest), $4 in
 * all, skipping rows another instance holds and subscriptions this instance already has $2 of
 * in flight ($3). A claim is a lease: the row is pushed to now + $5 ms and its attempt counted,
 * so a process killed mid-send leaves it due again after the lease (at least once).
 * $1 = now.
 */
export const CLAIM_SQL = `
WITH picked AS (
  SELECT d.id, d.next_attempt_at
    FROM webhook_subscriptions s
    CROSS JOIN LATERAL (
      SELECT d.id, d.next_attempt_at FROM webhook_deliveries d
       WHERE d.subscription_id = s.id AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= $1
       ORDER BY d.next_attempt_at
       LIMIT $2
         FOR UPDATE SKIP LOCKED
    ) d
   WHERE s.active AND (s.throttled_until IS NULL OR s.throttled_until <= $1) AND s.id <> ALL ($3::int[])
   ORDER BY d.next_attempt_at
   LIMIT $4
), claimed AS (
  UPDATE webhook_deliveries d
   SET next_attempt_at = $1::timestamptz + $5::float8 * interval '1 millisecond', attempts = d.attempts + 1
  FROM picked p, webhook_subscriptions s
 WHERE d.id = p.id AND s.id = d.subscription_id
  RETURNING d.id, d.subscription_id AS "subscriptionId", d.event_id AS "eventId", d.payload, d.attempts,
            s.url, s.secret, s.previous_secret AS "previousSecret", s.previous_secret_expires_at AS "previousSecretExpiresAt"
)
SELECT * FROM claimed`;

export interface ClaimedDelivery {
  id: string;
  subscriptionId: number;
  eventId: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * Records one attempt and what follows: the log row, the delivery's new state (unless an admin
 * redelivered it meanwhile: then only the log row), and the subscription's state when the
 * receiver said 410 (disable) or asked to slow down (throttle).
 * $1 delivery, $2 attempts at claim, $3 status, $4 next_attempt_at, $5 status code, $6 error,
 * $7 at, $8 duration ms, $9 disable reason (null: keep), $10 throttled until (null: keep).
 */
export const RECORD_SQL = `
WITH d AS (
  UPDATE webhook_deliveries
     SET status = $3, next_attempt_at = $4, last_status_code = $5, last_error = $6, last_attempt_at = $7
   WHERE id = $1 AND attempts = $2
  RETURNING subscription_id
), a AS (
  INSERT INTO webhook_attempts (delivery_id, at, status_code, duration_ms, error)
  SELECT id, $7, $5, $8, $6 FROM webhook_deliveries WHERE id = $1
), s AS (
  UPDATE webhook_subscriptions
     SET active = CASE WHEN $9::text IS NULL THEN active ELSE false END,
         disabled_reason = COALESCE($9::text, disabled_reason),
         throttled_until = CASE WHEN $10::timestamptz IS NULL THEN throttled_until ELSE GREATEST(throttled_until, $10::timestamptz) END
   WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1) AND ($9::text IS NOT NULL OR $10::timestamptz IS NOT NULL)
)
SELECT (SELECT count(*)::int FROM d) AS updated`;
