import type { Role } from './roles';

/**
 * Notifications (ADR 0038): what reaches a person whose screen may be closed. Every notification
 * lands in the user's inbox (always; live over `/live`, unread count in every header); Web Push
 * where the browser has subscribed; SMS for what must not be missed (红牌, 督办, an urgent
 * dispatch). Built from domain events by one consumer of the relay, one row per (user, event).
 */

/** What a notification is about; each kind has its recipients (server/src/notifications/recipients.ts). */
export const NOTIFICATION_KINDS = [
  /** A grid worker: an issue in their grid was resolved and waits for 核查. */
  'verify_task',
  /** A grid worker: a report in their grid was reopened (核查不通过). */
  'reopened',
  /** A department: a new task was dispatched to it. */
  'dispatched',
  /** 黄牌: an SLA clock passed its warn fraction. */
  'sla_warning',
  /** 红牌: an SLA clock passed its due time. */
  'sla_breached',
  /** 督办: supervision raised on a task. */
  'supervision',
  /** A resident: an issue they reported or joined ("me too") was closed (已办结). */
  'closed',
  /** A dispatcher: a department returned a task (回退). */
  'returned',
  /** A dispatcher: a department asks for an extension (延期申请). */
  'extension_requested',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (value: unknown): value is NotificationKind =>
  typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);

/** Kinds that may also go by SMS (must not be missed); `dispatched` only when the issue is urgent. */
export const SMS_KINDS: readonly NotificationKind[] = ['sla_breached', 'supervision', 'dispatched'];

export const NOTIFICATION_CHANNELS = ['inbox', 'push', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Channels besides the inbox (which is always on), per kind. */
export interface KindChannels {
  push: boolean;
  sms: boolean;
}

export interface NotificationPreferences {
  channels: Record<NotificationKind, KindChannels>;
  /** Where SMS go (mainland mobile number); null: no SMS even where a kind asks for it. */
  smsPhone: string | null;
  /** Whether the server can send SMS at all (a configured sender). */
  smsAvailable: boolean;
}

/** `PUT /api/v1/notifications/preferences`: only what changes. */
export interface UpdateNotificationPreferences {
  channels?: Partial<Record<NotificationKind, Partial<KindChannels>>>;
  smsPhone?: string | null;
}

export function defaultChannels(): Record<NotificationKind, KindChannels> {
  const out = {} as Record<NotificationKind, KindChannels>;
  for (const kind of NOTIFICATION_KINDS) out[kind] = { push: true, sms: SMS_KINDS.includes(kind) };
  return out;
}

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  /** The domain event it came from: the de-duplication key on devices (push `tag`). */
  eventId: string;
  issueId: number | null;
  title: string;
  body: string;
  urgent: boolean;
  /** Where the recipient opens it (their screen for the issue). */
  url: string;
  createdAt: string;
  deliveredAt: string | null;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationView[];
  total: number;
  unread: number;
  page: number;
  pageSize: number;
}

export const NOTIFICATION_PAGE_MAX = 100;

/** `GET /api/v1/notifications/unread-count`, and the answer of the read calls. */
export interface UnreadCount {
  unread: number;
}

/** The `/live` frames of the user's own inbox (room `inbox:<userId>`, joined by that user's sockets only). */
export interface NotificationFrame {
  notification: NotificationView;
  unread: number;
}
export interface NotificationsReadFrame {
  unread: number;
}

/** What a push message carries (encrypted, RFC 8291): enough for the service worker to show and open it. */
export interface PushPayload {
  eventId: string;
  notificationId: number;
  issueId: number | null;
  kind: NotificationKind;
  title: string;
  body: string;
  url: string;
}

/** `POST /api/v1/push/subscriptions`: the browser's PushSubscription.toJSON(). */
export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
export interface PushSubscriptionView {
  id: number;
  endpoint: string;
  createdAt: string;
}
export interface VapidPublicKey {
  publicKey: string;
}

/** One recipient's receipt, for the dispatcher (`GET /api/v1/notifications/receipts?issueId=`). */
export interface NotificationReceipt {
  notificationId: number;
  kind: NotificationKind;
  eventId: string;
  userId: number;
  displayName: string;
  role: Role;
  createdAt: string;
  deliveredAt: string | null;
  readAt: string | null;
  channels: { channel: 'push' | 'sms'; status: string; attempts: number; sentAt: string | null }[];
}

/** Where a role opens an issue: the screen that shows it to them. */
export function issueUrlFor(role: Role, issueId: number): string {
  switch (role) {
    case 'grid_worker':
      return `/m/issues/${issueId}`;
    case 'dept_lead':
    case 'dept_staff':
      return `/dept?id=${issueId}`;
    case 'resident':
    case 'volunteer':
      return `/r/issues/${issueId}`;
    case 'dispatcher':
    case 'viewer':
    case 'admin':
      return `/console?queue=all&id=${issueId}`;
  }
}
