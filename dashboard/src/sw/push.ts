/**
 * What the Service Worker does with a Web Push message and a click on its notification, as pure
 * rules (tested beside this file; sw.ts wires them to the `push` and `notificationclick` events).
 * The message is the server's PushPayload (shared/src/notifications.ts), decrypted by the browser.
 */

export interface ShownNotification {
  title: string;
  options: {
    body: string;
    /** The event id: a second delivery of the same event (at least once) replaces the first instead of adding one. */
    tag: string;
    renotify: false;
    requireInteraction: boolean;
    icon: string;
    data: { url: string; eventId: string; issueId: number | null };
  };
}

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null);

/** The notification a push message shows; null when the message is not one of ours. */
export function notificationOf(message: unknown): ShownNotification | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  const eventId = text(m.eventId, 32);
  const title = text(m.title, 200);
  if (!eventId || !/^\d+$/.test(eventId) || !title) return null;
  const issueId = typeof m.issueId === 'number' && Number.isInteger(m.issueId) ? m.issueId : null;
  const url = text(m.url, 500) ?? '/';
  const urgent = m.kind === 'sla_breached' || m.kind === 'supervision';
  return {
    title,
    options: {
      body: text(m.body, 500) ?? '',
      tag: `gridline-event-${eventId}`,
      renotify: false,
      requireInteraction: urgent,
      icon: '/favicon.svg',
      data: { url, eventId, issueId },
    },
  };
}

/** Where a click goes: the notification's path on this origin, never another site. */
export function clickTarget(data: unknown, origin: string): string {
  const url = typeof data === 'object' && data !== null ? (data as { url?: unknown }).url : undefined;
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//')) return `${origin}/`;
  const target = new URL(url, origin);
  return target.origin === origin ? target.href : `${origin}/`;
}
