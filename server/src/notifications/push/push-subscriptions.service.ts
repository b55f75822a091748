import { ECDH } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PushSubscriptionInput, PushSubscriptionView } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { ClockService } from '../../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { checkTarget } from '../../webhooks/target-guard';

const MAX_PER_USER = 10;

/**
 * A user's Web Push subscriptions, one per browser (device): the endpoint and keys the browser
 * gave. The endpoint is a URL the server will POST to, so it is checked like a webhook target
 * (https in production, no internal addresses where those are blocked). An endpoint that
 * another user had (a shared device, signed in anew) moves to the caller.
 */
@Injectable()
export class PushSubscriptionsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async subscribe(actor: Actor, input: PushSubscriptionInput, userAgent: string | undefined): Promise<PushSubscriptionView> {
    await this.checkEndpoint(input.endpoint);
    const [{ n }] = (await this.db.query('SELECT count(*)::int AS n FROM push_subscriptions WHERE user_id = $1 AND endpoint <> $2', [
      actor.id,
      input.endpoint,
    ])) as [{ n: number }];
    if (n >= MAX_PER_USER) {
      // The oldest device gives way: a user who reinstalls browsers never locks themselves out.
      await this.db.query(
        `DELETE FROM push_subscriptions WHERE id IN (
           SELECT id FROM push_subscriptions WHERE user_id = $1 AND endpoint <> $2 ORDER BY created_at LIMIT $3)`,
        [actor.id, input.endpoint, n - MAX_PER_USER + 1],
      );
    }
    const keys = { p256dh: input.keys.p256dh.replace(/=+$/, ''), auth: input.keys.auth.replace(/=+$/, '') };
    if (!isP256Point(Buffer.from(keys.p256dh, 'base64url')) || Buffer.from(keys.auth, 'base64url').length !== 16) {
      throw new AppException('PUSH_SUBSCRIPTION_INVALID', 'keys.p256dh must be an uncompressed P-256 point and keys.auth 16 bytes');
    }
    const [row] = (await this.db.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, user_agent, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = $1, p256dh = $3, auth = $4, user_agent = $5
       RETURNING id, endpoint, created_at AS "createdAt"`,
      [actor.id, input.endpoint, keys.p256dh, keys.auth, userAgent?.slice(0, 512) ?? null, this.clock.now()],
    )) as [{ id: number; endpoint: string; createdAt: Date }];
    return { id: row.id, endpoint: row.endpoint, createdAt: row.createdAt.toISOString() };
  }

  /** Only the caller's own: another user's endpoint is 404 like an unknown one. */
  async unsubscribe(actor: Actor, endpoint: string): Promise<void> {
    const [rows] = (await this.db.query('DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2 RETURNING id', [
      actor.id,
      endpoint,
    ])) as [unknown[], number];
    if (!rows.length) throw new AppException('PUSH_SUBSCRIPTION_NOT_FOUND', 'No such push subscription of yours');
  }

  async list(actor: Actor): Promise<PushSubscriptionView[]> {
    const rows: { id: number; endpoint: string; createdAt: Date }[] = await this.db.query(
      'SELECT id, endpoint, created_at AS "createdAt" FROM push_subscriptions WHERE user_id = $1 ORDER BY id',
      [actor.id],
    );
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  private async checkEndpoint(endpoint: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new AppException('PUSH_SUBSCRIPTION_INVALID', 'endpoint must be a URL');
    }
    const secure = url.protocol === 'https:';
    if (!secure && (this.config.env === 'production' || url.protocol !== 'http:')) {
      throw new AppException('PUSH_SUBSCRIPTION_INVALID', 'endpoint must be an https:// URL');
    }
    if (url.username || url.password) throw new AppException('PUSH_SUBSCRIPTION_INVALID', 'endpoint must not carry credentials');
    const why = await checkTarget({ blockPrivate: this.config.webhookBlockPrivate, allowedHosts: this.config.webhookAllowedHosts }, url);
    if (why) throw new AppException('PUSH_SUBSCRIPTION_INVALID', `endpoint is refused: ${why}`);
  }
}

/** An uncompressed point on P-256 (65 bytes, 0x04 …): what RFC 8291 encryption needs. */
function isP256Point(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 0x04) return false;
  try {
    ECDH.convertKey(key, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}
