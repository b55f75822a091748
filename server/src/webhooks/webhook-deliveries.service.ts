import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PgListener } from '../database/pg-listener';
import { webhookDeliveries, webhookDeliveryDuration } from '../metrics/metrics';
import { CLAIM_SQL, RECORD_SQL, WEBHOOKS_CHANNEL, type ClaimedDelivery } from './delivery.sql';
import { nextStep } from './retry-schedule';
import { WebhookSender, type SendResult } from './webhook-sender';
import { signatureHeader } from './webhook-signature';

/** gridline_webhook_deliveries_total's outcome label for each recorded status. */
const OUTCOME = { succeeded: 'success', failed: 'failure', dead: 'gave_up' } as const;

/**
 * Sends due deliveries: claims them (a lease, see CLAIM_SQL), POSTs each with bounded
 * concurrency — at most a quarter of the slots per subscription, so a receiver that hangs
 * until the timeout never holds up the others — and records the attempt and what follows it.
 * Woken when a commit made deliveries (NOTIFY, on every instance), when a send ends, and by an
 * interval for retries that came due; `drain()` is the hook for tests.
 */
@Injectable()
export class WebhookDeliveries implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  private readonly sender: WebhookSender;
  private readonly perSubscription: number;
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightBySubscription = new Map<number, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private wakeQueued = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly wakeups: PgListener;

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const policy = { blockPrivate: config.webhookBlockPrivate, allowedHosts: config.webhookAllowedHosts };
    this.sender = new WebhookSender(policy, config.webhookTimeoutMs, config.webhookConcurrency);
    this.perSubscription = Math.max(1, Math.ceil(config.webhookConcurrency / 4));
    // Longer than any send can take, so only a process that died mid-send leaves a lease to expire.
    this.leaseMs = 2 * config.webhookTimeoutMs + 5000;
    this.wakeups = new PgListener({
      databaseUrl: config.databaseUrl,
      applicationName: 'gridline-webhooks',
      channels: [WEBHOOKS_CHANNEL],
      onNotification: () => this.wake(),
      // What was committed while nobody listened (the interval would find it too, later).
      onListening: () => this.wake(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.wakeups.start();
    if (this.config.webhookSweepMs > 0) this.timer = setInterval(() => this.wake(), this.config.webhookSweepMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.wakeups.close();
    await this.chain.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    this.sender.close();
  }

  /** Looks for due deliveries soon (claims never overlap within an instance). */
  wake(): void {
    if (this.stopped || this.wakeQueued) return;
    this.wakeQueued = true;
    this.serial(() => {
      this.wakeQueued = false;
      return this.claimAndStart();
    }).catch((err: Error) => this.logger.error({ msg: 'webhook claim failed', err: err.message }));
  }

  /** Sends everything due now and waits for the answers, until nothing is due; returns how many attempts were made. Tests call it. */
  async drain(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const started = await this.serial(() => this.claimAndStart());
      attempts += started;
      if (started === 0 && this.inFlight.size === 0) return attempts;
      if (this.inFlight.size > 0) await Promise.race([...this.inFlight]);
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async claimAndStart(): Promise<number> {
    const free = this.config.webhookConcurrency - this.inFlight.size;
    if (this.stopped || free <= 0) return 0;
    const busy = [...this.inFlightBySubscription].filter(([, n]) => n >= this.perSubscription).map(([id]) => id);
    const rows = await this.db.query<ClaimedDelivery[]>(CLAIM_SQL, [this.clock.now(), this.perSubscription, busy, free, this.leaseMs]);
    for (const row of rows) this.start(row);
    return rows.length;
  }

  private start(row: ClaimedDelivery): void {
    const sub = row.subscriptionId;
    this.inFlightBySubscription.set(sub, (this.inFlightBySubscription.get(sub) ?? 0) + 1);
    const work = this.deliver(row)
      .catch((err: Error) => this.logger.error({ msg: 'webhook delivery failed', delivery: row.id, err: err.message }))
      .finally(() => {
        this.inFlight.delete(work);
        const left = (this.inFlightBySubscription.get(sub) ?? 1) - 1;
        if (left > 0) this.inFlightBySubscription.set(sub, left);
        else this.inFlightBySubscription.delete(sub);
        this.wake(); // a slot is free
      });
    this.inFlight.add(work);
  }

  private async deliver(row: ClaimedDelivery): Promise<void> {
    const sentAt = this.clock.now();
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    const body = JSON.stringify(row.payload);
    const secrets = [row.secret];
    if (row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > sentAt) secrets.push(row.previousSecret);
    const result = await this.sender.send({
      url: row.url,
      body,
      headers: {
        'user-agent': 'Gridline-Webhooks/1',
        'webhook-id': row.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, row.eventId, timestamp, body),
      },
    });
    await this.record(row, sentAt, result);
  }

  private async record(row: ClaimedDelivery, at: Date, result: SendResult): Promise<void> {
    // A 2xx whose body broke the rules (too long, cut off) is no success.
    const answered = result.error === null || (result.statusCode !== null && (result.statusCode < 200 || result.statusCode >= 300));
    const step = nextStep(row.attempts, { statusCode: answered ? result.statusCode : null, retryAfter: result.retryAfter }, at);
    let status: 'succeeded' | 'failed' | 'dead';
    let next: Date | null = null;
    let disable: string | null = null;
    let throttle: Date | null = null;
    switch (step.kind) {
      case 'succeeded':
        status = 'succeeded';
        break;
      case 'dead':
        status = 'dead';
        break;
      case 'disable':
        status = 'dead';
        disable = 'The receiver answered 410 Gone';
        break;
      case 'retry':
        status = 'failed';
        next = new Date(at.getTime() + step.delayMs);
        if (step.throttleMs > 0) throttle = new Date(at.getTime() + step.throttleMs);
        break;
    }
    const error = status === 'succeeded' ? null : (result.error ?? `HTTP ${result.statusCode}`);
    await this.db.query(RECORD_SQL, [
      row.id,
      row.attempts,
      status,
      next,
      result.statusCode,
      error,
      at,
      result.durationMs,
      disable,
      throttle,
    ]);
    webhookDeliveries.inc({ outcome: OUTCOME[status] });
    webhookDeliveryDuration.observe(result.durationMs / 1000);
  }
}
