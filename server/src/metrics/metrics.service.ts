import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LAG_SQL as RELAY_LAG_SQL } from '../events/outbox-sql';
import { dbPoolConnections, eventRelayLag, onScrape, slaSweepLag, statsApplierLag } from './metrics';

const APPLIER_LAG_SQL = `
SELECT CASE WHEN EXISTS (SELECT 1 FROM stats_outbox) OR EXISTS (SELECT 1 FROM stats_sla_outbox)
            THEN extract(epoch FROM clock_timestamp() - applied_at)::float8 ELSE 0 END AS lag
  FROM stats_state`;
// The earliest due timer, by the sweep's own fire_at index; $1 is the test clock's offset (0 in production).
const SLA_LAG_SQL = `
SELECT coalesce(extract(epoch FROM (now() + $1::float8 * interval '1 millisecond') - min(fire_at)), 0)::float8 AS lag
  FROM sla_timers WHERE fire_at <= now() + $1::float8 * interval '1 millisecond'`;

/**
 * Values read at scrape time rather than counted as they happen: the app pool's connections and
 * the lags that live in the database (so every instance reports the cluster's lag, whoever leads).
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.metricsEnabled) return;
    const pool = this.db.driver instanceof PostgresDriver ? (this.db.driver.master as Pool) : null;
    if (pool) {
      this.off.push(
        onScrape('db-pool', () => {
          dbPoolConnections.set({ state: 'total' }, pool.totalCount);
          dbPoolConnections.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
          dbPoolConnections.set({ state: 'idle' }, pool.idleCount);
          dbPoolConnections.set({ state: 'waiting' }, pool.waitingCount);
        }),
      );
    }
    this.off.push(
      onScrape('stats-applier-lag', async () => {
        const rows: { lag: number }[] = await this.db.query(APPLIER_LAG_SQL);
        statsApplierLag.set(rows[0]?.lag ?? 0);
      }),
      onScrape('event-relay-lag', async () => {
        const rows: { oldestMs: number | null }[] = await this.db.query(RELAY_LAG_SQL);
        eventRelayLag.set(Math.max(0, rows[0]?.oldestMs ?? 0) / 1000);
      }),
      onScrape('sla-sweep-lag', async () => {
        const rows: { lag: number }[] = await this.db.query(SLA_LAG_SQL, [this.clock.offsetMs()]);
        slaSweepLag.set(Math.max(0, rows[0]?.lag ?? 0));
      }),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.off.splice(0)) off();
  }
}
