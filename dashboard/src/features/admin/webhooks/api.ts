import type {
  UpdateWebhookInput,
  WebhookDeliveriesPage,
  WebhookDeliveriesQuery,
  WebhookDeliveryView,
  WebhookInput,
  WebhookView,
  WebhookWithSecretView,
} from '@gridline/shared';
import { http } from '@/api/http';

/** `/api/v1/admin/webhooks`, one function per route. */
export const webhooksApi = {
  list: () => http.get<WebhookView[]>('/admin/webhooks'),
  create: (input: WebhookInput) => http.post<WebhookWithSecretView>('/admin/webhooks', input),
  update: (id: number, input: UpdateWebhookInput) => http.patch<WebhookView>(`/admin/webhooks/${id}`, input),
  remove: (id: number) => http.delete<void>(`/admin/webhooks/${id}`),
  rotateSecret: (id: number) => http.post<WebhookWithSecretView>(`/admin/webhooks/${id}/rotate-secret`, {}),
  test: (id: number) => http.post<WebhookDeliveryView>(`/admin/webhooks/${id}/test`, {}),
  deliveries: (id: number, query: WebhookDeliveriesQuery) =>
    http.get<WebhookDeliveriesPage>(`/admin/webhooks/${id}/deliveries`, { query: { ...query } }),
  redeliver: (id: number, deliveryId: number) =>
    http.post<WebhookDeliveryView>(`/admin/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {}),
};
