import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventRelay } from '../events/event-relay.service';
import { TOPIC_SWEEP_SQL, type TopicFiredRow } from './topic-sweep.sql';

/**
 * Fires due reply-clock rungs of topics (黄牌 warning, 红牌 breach), on the SLA sweeper's interval.
 * All state is in rows (topic_timers, topic_firings): a restart loses nothing, several instances
 * sweep at once and each rung fires once.
 */
@Injectable()
export class TopicReplySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('topics');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly relay: EventRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.slaSweepMs > 0) {
      this.timer = setInterval(() => {
        this.sweepOnce().catch((err: unknown) => this.logger.error({ msg: 'topic reply sweep failed', err: String(err) }));
      }, this.config.slaSweepMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /** Fires everything due now; returns how many rungs fired. Tests call it directly after moving the clock. */
  sweepOnce(): Promise<number> {
    if (this.running) return this.running.then(() => this.sweepOnce());
    this.running = this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = (await this.db.query(TOPIC_SWEEP_SQL, [this.clock.offsetMs(), this.config.slaSweepBatch])) as TopicFiredRow[];
      const fired = rows.filter((r) => r.fired).length;
      total += fired;
      if (fired) this.relay.committed();
      if (rows.length === 0) return total;
    }
  }
}
