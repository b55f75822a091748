import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventBus } from '../events/event-bus.service';
import type { StatsAppliedSignal } from '@gridline/shared';
import { statsBatchesApplied } from '../metrics/metrics';
import { APPLY_KPI_SQL, TAKE_KPI_OUTBOX_SQL } from './kpi-rollup-sql';
import { APPLY_BATCH_SQL, applyParams, PENDING_SQL, PRUNE_HOURS_SQL, pruneParams } from './rollup-sql';

/** One applied batch: the counters moved to `version`; these regions' numbers changed (the `stats.applied` signal). */
export type AppliedBatch = StatsAppliedSignal;

/** How often each instance looks at the outbox; the first to take the leader row applies. */
export const APPLY_INTERVAL_MS = 100;
const BATCH_ROWS = 5_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Drains `stats_outbox` into the roll-ups (see rollup-sql.ts), one instance at a time: the
 * `stats_state` row is the leader lock, so batches never interleave and `version` moves once
 * per batch, in the same transaction as the numbers it stands for. After the batch commits, the
 * `stats.applied` signal goes out on the event bus (to every instance). Roll-ups trail commits by at most one interval (plus the batch).
 */
@Injectable()
export class StatsApplier implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('StatsApplier');
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastPrune = 0;
  private lastHour: number | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
  }

  /**
   * Applies everything committed so far, waiting for another instance's batch if need be, and
   * returns the version the roll-ups are then at. Tests and the reconciliation call it instead
   * of sleeping.
   */
  async drain(): Promise<number> {
    while ((await this.exclusive(() => this.applyOnce(true))).applied) {
      /* until the outbox is empty */
    }
    const rows: { version: string }[] = await this.db.query('SELECT version FROM stats_state');
    return Number(rows[0]!.version);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.exclusive(() => this.tick())
        .catch((err: unknown) => this.logger.error({ msg: 'stats batch failed', err: String(err) }))
        .finally(() => this.schedule());
    }, APPLY_INTERVAL_MS);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const pending: { any: boolean }[] = await this.db.query(PENDING_SQL);
    // One batch per tick unless it was full: under a steady stream of reports, looping until the
    // outbox is empty ran back-to-back batches of a few rows (eight statements each, for every
    // handful of reports); waiting for the next tick lets the rows gather into one batch.
    while (pending[0]?.any && !this.stopped && (await this.applyOnce(false)).full) {
      /* a backlog: the next batch at once */
    }
    await this.onNewHour();
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await this.db.query(PRUNE_HOURS_SQL, pruneParams(this.clock.now()));
    }
  }

  /**
   * "Today" and the 24-hour trend move with the clock, not only with writes: when the hour turns,
   * the version moves too and every region counts as changed, so watched rooms get a fresh frame.
   */
  private async onNewHour(): Promise<void> {
    const hour = Math.floor(this.clock.now().getTime() / 3600_000);
    if (this.lastHour === undefined) this.lastHour = hour;
    if (hour === this.lastHour) return;
    const batch = await this.db.transaction(async (tx: EntityManager): Promise<AppliedBatch | null> => {
      const leader: unknown[] = await tx.query('SELECT 1 FROM stats_state FOR UPDATE SKIP LOCKED');
      if (!leader.length) return null; // try again next tick
      const [state] = (await tx.query('UPDATE stats_state SET version = version + 1 RETURNING epoch, version')) as [
        { epoch: string; version: string }[],
        number,
      ];
      const regions: { id: number }[] = await tx.query('SELECT id FROM regions');
      return { epoch: state[0]!.epoch, version: Number(state[0]!.version), regionIds: regions.map((r) => r.id) };
    });
    if (!batch) return;
    this.lastHour = hour;
    this.notify(batch);
  }

  /**
   * One batch: `applied` when it moved rows (not when the outbox was empty or another instance holds
   * the leader row), `full` when it took as many as a batch holds (more may wait).
   */
  private async applyOnce(wait: boolean): Promise<{ applied: boolean; full: boolean }> {
    let full = false;
    const batch = await this.db.transaction(async (tx: EntityManager): Promise<AppliedBatch | null> => {
      const leader: unknown[] = await tx.query(`SELECT 1 FROM stats_state ${wait ? 'FOR UPDATE' : 'FOR UPDATE SKIP LOCKED'}`);
      if (!leader.length) return null;
      // Prepared on the transaction's connection: the statement is large and runs ten times a second.
      const client = (await (tx.queryRunner as PostgresQueryRunner).connect()) as PoolClient;
      const result = await client.query<{ moved: number; regions: number[] }>({
        name: 'stats-apply',
        text: APPLY_BATCH_SQL,
        values: applyParams(this.clock.now(), this.config.timeZone, BATCH_ROWS),
      });
      const { moved, regions } = result.rows[0]!;
      const kpiMoved = await this.applyKpi(client);
      full = moved >= BATCH_ROWS || kpiMoved >= BATCH_ROWS;
      if (moved === 0 && kpiMoved === 0) return null;
      const [state] = (await tx.query(
        'UPDATE stats_state SET version = version + 1, applied_at = clock_timestamp() RETURNING epoch, version',
      )) as [{ epoch: string; version: string }[], number];
      return { epoch: state[0]!.epoch, version: Number(state[0]!.version), regionIds: regions };
    });
    if (batch) {
      statsBatchesApplied.inc();
      this.notify(batch);
    }
    return { applied: batch !== null, full };
  }

  /** The KPI roll-up's share of the batch: the issues taken from its outbox, recomputed (kpi-rollup-sql.ts). */
  private async applyKpi(client: PoolClient): Promise<number> {
    const taken = await client.query<{ ids: number[] }>({ name: 'stats-kpi-take', text: TAKE_KPI_OUTBOX_SQL, values: [BATCH_ROWS] });
    const ids = taken.rows[0]!.ids;
    if (!ids.length) return 0;
    await client.query({ name: 'stats-kpi-apply', text: APPLY_KPI_SQL, values: [ids, this.config.timeZone] });
    return ids.length;
  }

  private notify(batch: AppliedBatch): void {
    this.bus.signal('stats.applied', batch, this.clock.now());
  }

  /** Batches of this instance run one after another (the timer and drain() share the queue). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
