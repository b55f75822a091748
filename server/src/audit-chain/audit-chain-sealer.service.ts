import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How often each instance offers to seal; whichever takes the lock first does it. */
export const SEAL_INTERVAL_MS = 250;
const SEAL_BATCH = 5_000;

/**
 * Links the committed rows of the issue trail into its hash chain (`issue_events_seal()`, see the
 * AuditChainSeals migration), off the write path: a report only queues its event's id. Every
 * instance calls it each SEAL_INTERVAL_MS; the function's advisory lock lets one seal at a time
 * (the others get 0). A full batch goes on at once, so a backlog drains without waiting.
 * A row stays unsealed for about one interval after its commit.
 */
@Injectable()
export class AuditChainSealer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditChainSealer');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }

  /**
   * Seals everything committed so far, waiting for another instance's batch if need be (tests
   * call it instead of sleeping); how many rows it sealed. Gives up after `timeoutMs`: a queued
   * id whose row was deleted never seals.
   */
  async sealAll(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    for (;;) {
      const sealed = await this.sealOnce();
      total += sealed;
      if (sealed > 0) continue;
      const [waiting] = (await this.db.query(
        'SELECT EXISTS (SELECT 1 FROM issue_events_seal_queue q JOIN issue_events e ON e.id = q.event_id AND e.at = q.event_at) AS any',
      )) as { any: boolean }[];
      if (!waiting?.any || Date.now() > deadline) return total;
      await new Promise((resolve) => setTimeout(resolve, 20)); // another instance holds the lock: its batch ends soon
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((err: unknown) => this.logger.error({ msg: 'sealing the issue trail failed', err: String(err) }))
        .finally(() => this.schedule());
    }, SEAL_INTERVAL_MS);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.sealOnce()) === SEAL_BATCH) {
      /* a backlog: the next batch at once */
    }
  }

  private async sealOnce(): Promise<number> {
    const [row] = (await this.db.query('SELECT issue_events_seal($1) AS sealed', [SEAL_BATCH])) as { sealed: number }[];
    return row?.sealed ?? 0;
  }
}
