import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { SlaClockEvent, SlaEventName, SlaStage } from '@gridline/shared';
import { ClockService } from '../common/clock.service';
import { DomainEventsPublisher } from '../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PreparedStatements } from '../database/prepared';
import { SlaConfigService } from './sla-config.service';
import { SWEEP_SQL, type FiredRow } from './sweep.sql';

const EVENT_OF_LEVEL: Record<FiredRow['level'], SlaEventName> = {
  warning: 'sla.warning',
  breach: 'sla.breached',
  escalation_1: 'sla.escalated',
};

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
    private readonly publisher: DomainEventsPublisher,
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
    let total = 0;
    for (;;) {
      const rows = await this.prepared.query<FiredRow>('sla-sweep', SWEEP_SQL, [this.clock.offsetMs(), this.config.slaSweepBatch]);
      total += rows.length;
      // Published after the statement committed (it ran outside any transaction: autocommit).
      for (const r of rows) this.publisher.publish(EVENT_OF_LEVEL[r.level], toEvent(r));
      // A rung that fired may have planned a next one that is already due (after downtime): go on until none is.
      if (rows.length === 0) return total;
    }
  }
}

function toEvent(r: FiredRow): SlaClockEvent {
  return {
    issueId: r.issueId,
    number: r.number,
    clockId: Number(r.clockId),
    stage: r.stage as SlaStage,
    level: r.level,
    dueAt: r.dueAt ? r.dueAt.toISOString() : null,
    gridId: r.gridId,
    communityId: r.communityId,
    streetId: r.streetId,
    districtId: r.districtId,
    departmentId: r.departmentId,
    supervisionId: r.supervisionId,
    supervisionRegionId: r.supervisionRegionId,
    at: r.at.toISOString(),
  };
}
