/** An event as the webhooks take it from the relay. */
export interface WebhookSourceEvent {
  /** Stable across redeliveries: it becomes `webhook-id`, the receiver's de-duplication key. */
  id: string;
  type: string;
  /** ISO 8601. */
  occurredAt: string;
  /** The event's data: an object (the domain events' data types, or anything a test sends). */
  data: object;
}

/** The JSON body of a delivery (Standard Webhooks). */
export interface WebhookBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * Fields that could identify a resident (the reporter's name, phone, contact, address) never
 * leave the system, whatever a producer puts in its event: a name-based deny rule, applied at
 * every depth, so a field added later is covered too.
 */
const PERSONAL = /(phone|mobile|tel$|email|contact|address|idcard|id_card|reportername|reporter_name|residentname|realname|^name$)/i;

export function publicData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicData);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !PERSONAL.test(key))
      .map(([key, v]) => [key, publicData(v)]),
  );
}

export function webhookBody(event: WebhookSourceEvent): WebhookBody {
  return { type: event.type, timestamp: event.occurredAt, data: publicData(event.data) as Record<string, unknown> };
}

/** The grid an event happened in, for a subscription's region filter. */
export function gridOf(event: WebhookSourceEvent): number | null {
  const grid = (event.data as { gridId?: unknown }).gridId;
  return typeof grid === 'number' && Number.isInteger(grid) ? grid : null;
}
