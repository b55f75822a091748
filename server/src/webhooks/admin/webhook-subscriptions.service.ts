import { Injectable } from '@nestjs/common';
import type { WebhookView, WebhookWithSecretView } from '@gridline/shared';
import { DataSource } from 'typeorm';
import { AdminChanges, type AdminTx } from '../../admin/core/admin-changes.service';
import { changedFields } from '../../admin/core/admin-controller';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { ClockService } from '../../common/clock.service';
import { newWebhookSecret } from '../webhook-signature';
import type { CreateWebhookDto, UpdateWebhookDto } from './webhook.dto';
import { WebhookInputRules } from './webhook-input';
import { auditSnapshot, SUBSCRIPTION_COLUMNS, webhookView, type SubscriptionRow } from './webhook-rows';

/** How long a rotated-out secret keeps signing next to the new one, so receivers can switch without losing a delivery. */
export const SECRET_OVERLAP_MS = 24 * 3600_000;

/** Subscriptions: list, create (the secret shown once), change, delete, rotate the secret. Writes go through AdminChanges. */
@Injectable()
export class WebhookSubscriptions {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
    private readonly clock: ClockService,
    private readonly rules: WebhookInputRules,
  ) {}

  async list(): Promise<WebhookView[]> {
    const rows = await this.db.query<SubscriptionRow[]>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s ORDER BY s.id`);
    const now = this.clock.now();
    return rows.map((r) => webhookView(r, now));
  }

  async create(actor: Actor, body: CreateWebhookDto): Promise<WebhookWithSecretView> {
    this.rules.refuseSecret(body);
    const events = this.rules.events(body.events);
    const regionId = this.rules.region(body.regionId);
    const url = await this.rules.url(body.url);
    const secret = newWebhookSecret();
    return this.changes.apply(actor, [], async (tx) => {
      const [{ id }] = (await tx.query(
        `INSERT INTO webhook_subscriptions (name, url, events, region_id, active, secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
        [body.name, url, events, regionId, body.active ?? true, secret, tx.now],
      )) as [{ id: number }];
      const row = await this.row(tx, id);
      await tx.audit({ entityType: 'webhook', entityId: id, action: 'create', before: null, after: auditSnapshot(row) });
      return { ...webhookView(row, tx.now), secret };
    });
  }

  async update(actor: Actor, id: number, body: UpdateWebhookDto): Promise<WebhookView> {
    this.rules.refuseSecret(body);
    const events = body.events !== undefined ? this.rules.events(body.events) : undefined;
    const regionId = body.regionId !== undefined ? this.rules.region(body.regionId) : undefined;
    const url = body.url !== undefined ? await this.rules.url(body.url) : undefined;
    return this.changes.apply(actor, [], async (tx) => {
      const before = await this.row(tx, id, true);
      const next = {
        ...before,
        name: body.name ?? before.name,
        url: url ?? before.url,
        events: events ?? before.events,
        region_id: regionId !== undefined ? regionId : before.region_id,
        active: body.active ?? before.active,
      };
      if (changedFields(auditSnapshot(before), auditSnapshot(next)).length === 0) return webhookView(before, tx.now);
      const reenabled = next.active && !before.active;
      await tx.query(
        `UPDATE webhook_subscriptions
            SET name = $2, url = $3, events = $4, region_id = $5, active = $6, updated_at = $7,
                disabled_reason = CASE WHEN $8 THEN NULL ELSE disabled_reason END,
                throttled_until = CASE WHEN $8 THEN NULL ELSE throttled_until END
          WHERE id = $1`,
        [id, next.name, next.url, next.events, next.region_id, next.active, tx.now, reenabled],
      );
      const action = before.active !== next.active ? (next.active ? 'activate' : 'deactivate') : 'update';
      await tx.audit({ entityType: 'webhook', entityId: id, action, before: auditSnapshot(before), after: auditSnapshot(next) });
      return webhookView(await this.row(tx, id), tx.now);
    });
  }

  async remove(actor: Actor, id: number): Promise<void> {
    await this.changes.apply(actor, [], async (tx) => {
      const before = await this.row(tx, id, true);
      await tx.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
      await tx.audit({ entityType: 'webhook', entityId: id, action: 'delete', before: auditSnapshot(before), after: null });
    });
  }

  /** A new secret, shown once; the one it replaces keeps signing (a second signature) for SECRET_OVERLAP_MS. */
  async rotateSecret(actor: Actor, id: number): Promise<WebhookWithSecretView> {
    const secret = newWebhookSecret();
    return this.changes.apply(actor, [], async (tx) => {
      await this.row(tx, id, true);
      const until = new Date(tx.now.getTime() + SECRET_OVERLAP_MS);
      await tx.query(
        `UPDATE webhook_subscriptions
            SET previous_secret = secret, previous_secret_expires_at = $2, secret = $3, updated_at = $4
          WHERE id = $1`,
        [id, until, secret, tx.now],
      );
      await tx.audit({
        entityType: 'webhook',
        entityId: id,
        action: 'rotate_secret',
        before: null,
        after: { previousSecretExpiresAt: until.toISOString() },
      });
      return { ...webhookView(await this.row(tx, id), tx.now), secret };
    });
  }

  private async row(tx: AdminTx, id: number, lock = false): Promise<SubscriptionRow> {
    const [row] = await tx.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s WHERE s.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw new AppException('NOT_FOUND', `Webhook ${id} does not exist`);
    return row;
  }
}
