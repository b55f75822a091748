import { Injectable } from '@nestjs/common';
import { WEBHOOK_PING_TYPE, type WebhookDeliveriesPage, type WebhookDeliveryView } from '@gridline/shared';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AdminChanges, type AdminTx } from '../../admin/core/admin-changes.service';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { WebhookDeliveries } from '../webhook-deliveries.service';
import type { ListDeliveriesQuery } from './webhook.dto';
import { DELIVERY_COLUMNS, deliveryView, type DeliveryRow } from './webhook-rows';

/** A subscription's deliveries: the log (newest first, with attempts), a redelivery, a test ping. */
@Injectable()
export class WebhookDeliveryLog {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  async list(subscriptionId: number, query: ListDeliveriesQuery): Promise<WebhookDeliveriesPage> {
    const limit = query.limit ?? 20;
    const [exists] = await this.db.query<unknown[]>('SELECT 1 FROM webhook_subscriptions WHERE id = $1', [subscriptionId]);
    if (!exists) throw new AppException('NOT_FOUND', `Webhook ${subscriptionId} does not exist`);
    const rows = await this.db.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
        WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::bigint IS NULL OR d.id < $3)
        ORDER BY d.id DESC LIMIT $4`,
      [subscriptionId, query.status ?? null, query.before ?? null, limit + 1],
    );
    const page = rows.slice(0, limit).map(deliveryView);
    return { items: page, nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  /** Sends a delivery again from the first attempt of the schedule, whatever its state (same event id, so receivers de-duplicate). */
  async redeliver(actor: Actor, subscriptionId: number, deliveryId: number): Promise<WebhookDeliveryView> {
    const view = await this.changes.apply(actor, [], async (tx) => {
      await this.activeSubscription(tx, subscriptionId);
      const [row] = await tx.query<{ status: string; event_id: string }>(
        'SELECT status, event_id FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2 FOR UPDATE',
        [deliveryId, subscriptionId],
      );
      if (!row) throw new AppException('NOT_FOUND', `Delivery ${deliveryId} of webhook ${subscriptionId} does not exist`);
      await tx.query(`UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1`, [
        deliveryId,
        tx.now,
      ]);
      await tx.audit({
        entityType: 'webhook',
        entityId: subscriptionId,
        action: 'redeliver',
        before: { deliveryId, eventId: row.event_id, status: row.status },
        after: { deliveryId, eventId: row.event_id, status: 'pending' },
      });
      return this.one(tx, deliveryId);
    });
    this.deliveries.wake();
    return view;
  }

  /** Queues a `webhook.ping` delivery to this subscription only, to check the receiver and its signature check. */
  async ping(actor: Actor, subscriptionId: number): Promise<WebhookDeliveryView> {
    const view = await this.changes.apply(actor, [], async (tx) => {
      await this.activeSubscription(tx, subscriptionId);
      const eventId = `ping_${randomUUID()}`;
      const payload = { type: WEBHOOK_PING_TYPE, timestamp: tx.now.toISOString(), data: { webhookId: subscriptionId } };
      const [{ id }] = (await tx.query(
        `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, status, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING id`,
        [subscriptionId, eventId, WEBHOOK_PING_TYPE, payload, tx.now],
      )) as [{ id: string }];
      await tx.audit({ entityType: 'webhook', entityId: subscriptionId, action: 'test', before: null, after: { eventId } });
      return this.one(tx, Number(id));
    });
    this.deliveries.wake();
    return view;
  }

  private async activeSubscription(tx: AdminTx, id: number): Promise<void> {
    const [sub] = await tx.query<{ active: boolean }>('SELECT active FROM webhook_subscriptions WHERE id = $1 FOR SHARE', [id]);
    if (!sub) throw new AppException('NOT_FOUND', `Webhook ${id} does not exist`);
    if (!sub.active) throw new AppException('WEBHOOK_INACTIVE', `Webhook ${id} is disabled: enable it first`);
  }

  private async one(tx: AdminTx, deliveryId: number): Promise<WebhookDeliveryView> {
    const [row] = await tx.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.id = $1`, [deliveryId]);
    return deliveryView(row!);
  }
}
