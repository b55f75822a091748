import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { issueUrlFor, type NotificationKind, type PushPayload, type Role } from '@gridline/shared';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SMS_SENDER, type SmsSender } from '../residents/sms/sms-sender';
import { CLAIM_SQL, CLAIMED_SQL, MAX_ATTEMPTS, RECORD_SQL, RETRY_DELAYS_MS, type ClaimedRow } from './delivery-sql';
import { WebPushSender, type PushOutcome } from './push/web-push-sender';

const CLAIM_BATCH = 50;
const LEASE_MS = 60_000;

type Status = 'sent' | 'failed' | 'dead' | 'gone' | 'dropped';

/**
 * Sends the push and SMS deliveries the producer queued: claims due rows (a lease, FOR UPDATE
 * SKIP LOCKED, so instances never send one twice at once), sends, records the outcome. A passing
 * failure (network, 429, 5xx) is retried on RETRY_DELAYS_MS; 404/410 from a push service deletes
 * the subscription; a user deactivated since the notification was made gets nothing (dropped).
 * Woken by the producer's NOTIFY on every instance and by an interval for retries; `drain()` for tests.
 */
@Injectable()
export class NotificationDeliveries implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications');
  private readonly push: WebPushSender;
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
  ) {
    this.push = new WebPushSender(config.vapid);
  }

  onApplicationBootstrap(): void {
    if (this.config.notifySweepMs > 0) {
      this.timer = setInterval(() => this.wake(), this.config.notifySweepMs);
      this.timer.unref();
    }
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.chain.catch(() => undefined);
  }

  wake(): void {
    if (this.stopped || this.queued) return;
    this.queued = true;
    this.serial(async () => {
      this.queued = false;
      while ((await this.sendDue()) > 0 && !this.stopped) {
        /* until nothing is due */
      }
    }).catch((err: Error) => this.logger.error({ msg: 'notification delivery failed', err: err.message }));
  }

  /** Sends everything due now; returns how many attempts were made. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.serial(() => this.sendDue());
      total += n;
      if (n === 0) return total;
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async sendDue(): Promise<number> {
    if (this.stopped) return 0;
    // An UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [claimed] = (await this.db.query(CLAIM_SQL, [this.clock.now(), CLAIM_BATCH, LEASE_MS])) as [{ id: string }[], number];
    if (!claimed.length) return 0;
    const rows: ClaimedRow[] = await this.db.query(CLAIMED_SQL, [claimed.map((c) => c.id)]);
    await Promise.all(
      rows.map((r) => this.deliver(r).catch((err: Error) => this.logger.error({ msg: 'delivery failed', id: r.id, err: err.message }))),
    );
    return rows.length;
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    if (!row.active) return this.record(row, 'dropped', 'the user is deactivated');
    if (row.channel === 'push') return this.deliverPush(row);
    return this.deliverSms(row);
  }

  private async deliverPush(row: ClaimedRow): Promise<void> {
    if (row.subscriptionId === null || !row.endpoint || !row.p256dh || !row.auth)
      return this.record(row, 'gone', 'the subscription was removed');
    const payload: PushPayload = {
      eventId: row.eventId,
      notificationId: row.notificationId,
      issueId: row.issueId,
      kind: row.kind as NotificationKind,
      title: row.title,
      body: row.body,
      url: row.issueId === null ? '/' : issueUrlFor(row.role as Role, row.issueId),
    };
    const outcome: PushOutcome = await this.push.send(
      { endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth },
      JSON.stringify(payload),
      { urgent: row.urgent },
    );
    switch (outcome.kind) {
      case 'sent':
        await this.db.query('UPDATE push_subscriptions SET last_success_at = $2 WHERE id = $1', [row.subscriptionId, this.clock.now()]);
        return this.record(row, 'sent', null);
      case 'gone':
        // The browser unsubscribed or the subscription expired: it will never work again.
        await this.db.query('DELETE FROM push_subscriptions WHERE id = $1', [row.subscriptionId]);
        return this.record(row, 'gone', `HTTP ${outcome.statusCode}: subscription deleted`);
      case 'retry':
        return this.retryOrDie(row, outcome.error);
      case 'rejected':
        return this.record(row, 'dead', outcome.error);
    }
  }

  private async deliverSms(row: ClaimedRow): Promise<void> {
    if (!row.smsPhone) return this.record(row, 'dropped', 'no SMS number');
    try {
      await this.sms.send({ phone: row.smsPhone, template: 'notification', params: { title: row.title, body: row.body.slice(0, 60) } });
    } catch (err) {
      return this.retryOrDie(row, (err as Error).message);
    }
    return this.record(row, 'sent', null);
  }

  private retryOrDie(row: ClaimedRow, error: string): Promise<void> {
    if (row.attempts >= MAX_ATTEMPTS) return this.record(row, 'dead', error);
    const next = new Date(this.clock.now().getTime() + RETRY_DELAYS_MS[row.attempts - 1]!);
    return this.record(row, 'failed', error, next);
  }

  private async record(row: ClaimedRow, status: Status, error: string | null, next: Date | null = null): Promise<void> {
    await this.db.query(RECORD_SQL, [row.id, status, next, error?.slice(0, 500) ?? null, this.clock.now()]);
  }
}
