import type {
  NotificationPage,
  NotificationReceipt,
  NotificationPreferences,
  PushSubscriptionInput,
  PushSubscriptionView,
  UnreadCount,
  UpdateNotificationPreferences,
  VapidPublicKey,
} from '@gridline/shared';
import { http, request } from '@/api/http';

/** The caller's own inbox, preferences and push subscriptions, and a dispatcher's receipts of an issue (server: notifications.controller.ts). */
export const notificationsApi = {
  list: (query: { page?: number; pageSize?: number; unread?: boolean } = {}) => http.get<NotificationPage>('/notifications', { query }),
  unread: () => http.get<UnreadCount>('/notifications/unread-count'),
  read: (id: number) => http.post<UnreadCount>(`/notifications/${id}/read`),
  readAll: () => http.post<UnreadCount>('/notifications/read-all'),
  preferences: () => http.get<NotificationPreferences>('/notifications/preferences'),
  savePreferences: (body: UpdateNotificationPreferences) => http.put<NotificationPreferences>('/notifications/preferences', body),
  vapidKey: () => http.get<VapidPublicKey>('/push/vapid-public-key'),
  subscribe: (body: PushSubscriptionInput) => http.post<PushSubscriptionView>('/push/subscriptions', body),
  receipts: (issueId: number) => http.get<NotificationReceipt[]>('/notifications/receipts', { query: { issueId } }),
  unsubscribe: (endpoint: string) => request<void>('/push/subscriptions', { method: 'DELETE', body: { endpoint } }),
};
