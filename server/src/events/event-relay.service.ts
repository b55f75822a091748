import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AnyDomainEvent } from '@gridline/shared';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PgListener } from '../database/pg-listener';
import { eventRelayBatchSize, eventsRelayed } from '../metrics/metrics';
import { EventBus } from './event-bus.service';
import { ARCHIVE_KEEP_DAYS, ARCHIVE_SQL, EVENTS_CHANNEL, LAG_SQL, nextBatchSql, PRUNE_ARCHIVE_SQL } from './outbox-sql';

const BATCH_ROWS = 500;
/** The relays wake on NOTIFY; this slow poll only catches a NOTIFY lost with its sender (a crash right after commit). */
const SAFETY_POLL_MS = 5_000;
/**
 * Several commits in this window wake the other instances with one NOTIFY. At 5 ms nearly every
 * report under load paid a NOTIFY of its own (a round trip and PostgreSQL's notify-queue lock);
 * 25 ms caps it at 40 a second per instance, and delays only a leader on another instance.
 */
const NOTIFY_COALESCE_MS = 25;
const RETRY_MS = [200, 1_000, 5_000, 15_000, 30_000];
const PRUNE_EVERY_MS = 60 * 60_000;

export interface RelayLag {
  pending: number;
  /** How long the oldest undelivered event has waited, ms (null when none waits). */
  oldestMs: number | null;
}

/**
 * Delivers the event outbox, one instance at a time: whoever holds the `event_relay_state` row
 * (FOR UPDATE SKIP LOCKED) takes the oldest rows in id order, hands the batch to the
 * every-instance consumers (here and, through the peers link, on the other instances), runs the
 * once-consumers in that transaction, moves the rows to the archive and commits. A relay that dies
 * before the commit leaves the rows in place: the next leader delivers them again, same ids.
 *
 * Producers call `committed()` after their transaction commits: it wakes this relay at once and
 * NOTIFYs the others (after the commit, so the write transactions never take PostgreSQL's
 * NOTIFY lock, which serialises commits).
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventRelay');
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private again = false;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private readonly listener: PgListener;
  private lastPrune = 0;
  /** The payload of this instance's NOTIFYs: its own come back to its listener too, and are not a reason to look again. */
  private readonly notifyPayload = randomUUID();

  constructor(
    private readonly db: DataSource,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.listener = new PgListener({
      databaseUrl: config.databaseUrl,
      applicationName: 'gridline-event-relay',
      channels: [EVENTS_CHANNEL],
      // Its own NOTIFY follows a commit this relay was already woken for (committed()).
      onNotification: (msg) => {
        if (msg.payload !== this.notifyPayload) this.kick();
      },
      // Notifications sent while no one listened are lost: look now.
      onListening: () => this.kick(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.pollTimer = setInterval(() => this.kick(), SAFETY_POLL_MS);
    this.pollTimer.unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.notifyTimer);
    await this.listener.close();
    await this.queue.catch(() => undefined);
  }

  /** After a producer's commit: deliver now here, and wake the other instances' relays. */
  committed(): void {
    this.kick();
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      if (this.stopped) return;
      this.db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, this.notifyPayload]).catch((err: unknown) => {
        this.logger.warn({ msg: 'could not notify the other relays', err: String(err) });
      });
    }, NOTIFY_COALESCE_MS);
  }

  /**
   * Delivers everything committed so far (waiting for another instance's batch if need be). Tests
   * call it instead of sleeping; a consumer's error is thrown here, the rows stay for a retry.
   */
  async drain(): Promise<void> {
    while ((await this.exclusive(() => this.deliverOnce(true))) > 0) {
      /* until the outbox is empty */
    }
  }

  async lag(): Promise<RelayLag> {
    const rows: { pending: number; oldestMs: number | null }[] = await this.db.query(LAG_SQL);
    const row = rows[0]!;
    return { pending: row.pending, oldestMs: row.oldestMs === null ? null : Math.round(row.oldestMs) };
  }

  /** Start delivering unless this instance already is (then once more when it is done). */
  private kick(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        // A full batch may have left rows behind: take the next at once. A shorter one took all
        // there was; what commits meanwhile wakes the relay again (committed(), a NOTIFY).
        while (!this.stopped && (await this.exclusive(() => this.deliverOnce(false))) === BATCH_ROWS) {
          /* until a batch comes back short: the outbox is empty, or another instance leads */
        }
      } while (this.again && !this.stopped);
      this.failures = 0;
      await this.pruneNowAndThen();
    } catch (err) {
      const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
      this.failures++;
      this.logger.error({ msg: 'event delivery failed; the batch stays in the outbox', err: String(err), retryInMs: delay });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.kick();
      }, delay);
      this.retryTimer.unref();
    } finally {
      this.running = false;
    }
  }

  /** One batch; how many events it delivered (0: none waiting, or another instance holds the leader row). */
  private async deliverOnce(wait: boolean): Promise<number> {
    const delivered = await this.db.transaction(async (tx: EntityManager): Promise<AnyDomainEvent[]> => {
      // The leader row and the batch in one round trip: no rows when another instance leads (or none wait).
      const rows: (Omit<AnyDomainEvent, 'occurredAt'> & { occurredAt: Date })[] = await tx.query(nextBatchSql(wait), [BATCH_ROWS]);
      if (!rows.length) return [];
      const events = rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() }) as AnyDomainEvent);
      // The live feeds first (latency), before the commit: a relay that dies or rolls back from here on
      // delivers again (same ids) rather than never.
      this.bus.deliverEverywhere(events);
      await this.bus.runOnceForBatch(events, tx);
      await tx.query(ARCHIVE_SQL, [events.map((e) => e.id)]);
      return events;
    });
    if (delivered.length) countDelivered(delivered);
    return delivered.length;
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.db.query(PRUNE_ARCHIVE_SQL, [ARCHIVE_KEEP_DAYS]);
  }

  /** Batches of this instance run one after another (the loop and drain() share the queue). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** After the batch committed (a rolled-back batch is delivered again and counted then). */
function countDelivered(events: readonly AnyDomainEvent[]): void {
  eventRelayBatchSize.observe(events.length);
  const byType = new Map<string, number>();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  for (const [type, n] of byType) eventsRelayed.inc({ type }, n);
}
