import type { WebhookAttemptView, WebhookDeliveryStatus, WebhookDeliveryView, WebhookView } from '@gridline/shared';

export interface SubscriptionRow {
  id: number;
  name: string;
  url: string;
  events: string[];
  region_id: number | null;
  active: boolean;
  disabled_reason: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  pending: number;
  dead: number;
}

/** The subscription columns and counts every view needs; `s` is the subscription. */
export const SUBSCRIPTION_COLUMNS = `
  s.id, s.name, s.url, s.events, s.region_id, s.active, s.disabled_reason, s.previous_secret_expires_at, s.created_at, s.updated_at,
  (SELECT count(*)::int FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status IN ('pending', 'failed')) AS pending,
  (SELECT count(*)::int FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'dead') AS dead`;

export function webhookView(r: SubscriptionRow, now: Date): WebhookView {
  const overlap = r.previous_secret_expires_at && r.previous_secret_expires_at > now ? r.previous_secret_expires_at : null;
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events,
    regionId: r.region_id,
    active: r.active,
    disabledReason: r.disabled_reason,
    previousSecretExpiresAt: overlap ? overlap.toISOString() : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    pendingDeliveries: r.pending,
    deadDeliveries: r.dead,
  };
}

/** What the audit trail keeps of a subscription: never the secret. */
export const auditSnapshot = (r: Pick<SubscriptionRow, 'name' | 'url' | 'events' | 'region_id' | 'active'>) => ({
  name: r.name,
  url: r.url,
  events: r.events,
  regionId: r.region_id,
  active: r.active,
});

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  created_at: Date;
  payload: unknown;
  attempt_log: { at: string; status_code: number | null; duration_ms: number; error: string | null }[];
}

/** Deliveries with their last 50 attempts, newest first; `d` is the delivery. */
export const DELIVERY_COLUMNS = `
  d.id, d.event_id, d.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
  d.last_attempt_at, d.created_at, d.payload,
  COALESCE((SELECT json_agg(json_build_object('at', a.at, 'status_code', a.status_code, 'duration_ms', a.duration_ms, 'error', a.error)
                            ORDER BY a.id DESC)
              FROM (SELECT * FROM webhook_attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 50) a), '[]') AS attempt_log`;

export function deliveryView(r: DeliveryRow): WebhookDeliveryView {
  const attemptLog: WebhookAttemptView[] = r.attempt_log.map((a) => ({
    at: new Date(a.at).toISOString(),
    statusCode: a.status_code,
    durationMs: a.duration_ms,
    error: a.error,
  }));
  return {
    id: Number(r.id),
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    payload: r.payload,
    attemptLog,
  };
}
