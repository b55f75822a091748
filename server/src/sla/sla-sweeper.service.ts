import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PreparedStatements } from '../database/prepared';
import { EventRelay } from '../events/event-relay.service';
import { SlaConfigService } from './sla-config.service';
import { SWEEP_SQL, totalFired, type FiredCount } from './sweep.sql';
import { slaFirings, slaSweepDuration } from '../metrics/metrics';

/** How often (in ticks) the sweeper checks whether another instance changed calendars or policies. */
const CONFIG_CHECK_TICKS = 20;

/**
 * Fires due SLA timers. All state is in rows (sla_timers, sla_firings): the interval only
 * triggers work, so a restart loses nothing and several instances can sweep at once.
 */
@Injectable()
export class SlaSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sla');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private ticks = 0;

  constructor(
    private readonly prepared: PreparedStatements,
    private readonly clock: ClockService,
    private readonly relay: EventRelay,
    private readonly slaConfig: SlaConfigService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.slaSweepMs > 0) this.timer = setInterval(() => void this.tick(), this.config.slaSweepMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      if (++this.ticks % CONFIG_CHECK_TICKS === 0) await this.slaConfig.reloadIfChanged();
      await this.sweepOnce();
    } catch (err) {
      this.logger.error({ msg: 'SLA sweep failed', err: String(err) });
    }
  }

  /** Fires everything due now, batch after batch; returns how many rungs fired. Tests call it directly. */
  sweepOnce(): Promise<number> {
    if (this.running) return this.running.then(() => this.sweepOnce());
    this.running = this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<number> {
    const timer = slaSweepDuration.startTimer();
    let total = 0;
    try {
      for (;;) {
        const counts = await this.prepared.query<FiredCount>('sla-sweep', SWEEP_SQL, [this.clock.offsetMs(), this.config.slaSweepBatch]);
        const fired = totalFired(counts);
        total += fired;
        for (const c of counts) slaFirings.inc({ level: c.level }, c.fired);
        // The statement wrote its events to the outbox and committed (autocommit): the relay delivers them.
        if (fired) this.relay.committed();
        // A rung that fired may have planned a next one that is already due (after downtime): go on until none is.
        if (fired === 0) return total;
      }
    } finally {
      timer();
    }
  }
}
