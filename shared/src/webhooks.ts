/**
 * Outbound webhooks: the admin API under `/api/v1/admin/webhooks` and the delivery format
 * (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` headers and a
 * `{ type, timestamp, data }` JSON body).
 */

import { DOMAIN_EVENT_TYPES } from './events';

/** Event types a subscription can name: every durable domain event (issues, SLA, 督办, topics, the pool). */
export const WEBHOOK_EVENT_TYPES = DOMAIN_EVENT_TYPES;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event type of a test delivery (`POST /admin/webhooks/:id/test`); never subscribed to. */
export const WEBHOOK_PING_TYPE = 'webhook.ping';

export const WEBHOOK_NAME_MAX = 100;
export const WEBHOOK_URL_MAX = 2000;
/** Room for every event type by name (33 today) and the wildcards. */
export const WEBHOOK_EVENTS_MAX = 64;

/**
 * Whether a subscription's filter names a known type exactly or as a prefix wildcard
 * ("issue.*" = every type starting with "issue."). One rule for server and form; the match
 * itself is done in SQL when events are fanned out (see the server's delivery.sql.ts).
 */
export function isValidEventFilter(pattern: string): boolean {
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return prefix.length > 1 && WEBHOOK_EVENT_TYPES.some((t) => t.startsWith(prefix));
  }
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(pattern);
}

export type WebhookDeliveryStatus = 'pending' | 'failed' | 'succeeded' | 'dead';

export interface WebhookInput {
  name: string;
  url: string;
  events: string[];
  regionId?: number | null;
  active?: boolean;
}

export type UpdateWebhookInput = Partial<WebhookInput>;

export interface WebhookView {
  id: number;
  name: string;
  url: string;
  events: string[];
  regionId: number | null;
  active: boolean;
  /** Why the server turned the subscription off (the receiver answered 410 Gone); null when the admin did or it is on. */
  disabledReason: string | null;
  /** While a rotated-out secret still signs too (both signatures are sent), until when. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Deliveries still to be (re)tried, and given up. */
  pendingDeliveries: number;
  deadDeliveries: number;
}

/** POST and rotate-secret answers: the signing secret, shown this once and never again. */
export interface WebhookWithSecretView extends WebhookView {
  secret: string;
}

export interface WebhookAttemptView {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookDeliveryView {
  id: number;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  /** Attempts since the delivery was created or last redelivered. */
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  payload: unknown;
  /** Every attempt, newest first (at most 50). */
  attemptLog: WebhookAttemptView[];
}

export interface WebhookDeliveriesPage {
  items: WebhookDeliveryView[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

export interface WebhookDeliveriesQuery {
  status?: WebhookDeliveryStatus;
  before?: number;
  limit?: number;
}
