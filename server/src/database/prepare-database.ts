import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ConfigError, type AppConfig } from '../config/app-config';
import { hashPassword } from '../auth/passwords';
import { seedDemo, type SeedSummary } from '../seed/demo-seed';
import { rebuildRollups } from '../stats/rebuild-rollups';
import { createDataSource } from './data-source';

/** The migration that creates the SLA tables and the built-in default calendar. */
const SLA_MIGRATION = 'Sla1763800000000';

/** TIME_ZONE passed Intl at boot (app-config.ts); PostgreSQL buckets days in it too, so it must know it as well. */
async function checkTimeZoneKnown(ds: DataSource, timeZone: string): Promise<void> {
  const rows: unknown[] = await ds.query('SELECT 1 FROM pg_timezone_names WHERE name = $1', [timeZone]);
  if (rows.length === 0) throw new ConfigError(`TIME_ZONE ${timeZone} is unknown to PostgreSQL (pg_timezone_names)`);
}

export const DEMO_PASSWORD = 'demo1234';
/** The demo users worth offering on the login page and in the start-up banner, in that order. */
export const DEMO_LOGINS = ['admin', 'dispatcher', 'worker1', 'lead1', 'lead2', 'viewer'] as const;

/**
 * The session-level advisory lock that serialises schema changes: several instances (or an
 * instance and the migration Job) starting at once take turns, and the ones after the first
 * find nothing left to apply. The key is an arbitrary constant ('gridline migrations').
 */
export const MIGRATION_LOCK_KEY = 7_142_053_981;

/**
 * Brings the schema up to date, and seeds the demo district into an empty database when asked.
 * Used at boot, by `npm run seed`, `npm run migrate`, the tests' template database and the benchmarks.
 * Everything runs under MIGRATION_LOCK_KEY, the seed too (two instances seeding one empty
 * database would both see it empty).
 */
export async function prepareDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'env' | 'timeZone'>,
  opts: { seed: boolean; historyIssues?: number },
): Promise<SeedSummary | null> {
  const logger = new Logger('database');
  const ds = createDataSource(config.databaseUrl, 2);
  await ds.initialize();
  // The lock lives on its own connection, held across the migrations' own transactions.
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await checkTimeZoneKnown(ds, config.timeZone);
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log({ msg: 'migrations applied', migrations: applied.map((m) => m.name) });
    if (applied.some((m) => m.name === SLA_MIGRATION)) {
      // The migration that creates the built-in default calendar ran just now: it works in TIME_ZONE.
      // Never later: by then an administrator may have chosen its zone.
      await ds.query(`UPDATE sla_calendars SET time_zone = $1 WHERE code = 'default'`, [config.timeZone]);
    }
    if (!opts.seed) return null;
    if (config.env === 'production') throw new Error('Refusing to seed demo users in production');
    const summary = await seedDemo(ds, {
      now: new Date(),
      passwordHash: await hashPassword(DEMO_PASSWORD),
      historyIssues: opts.historyIssues,
      timeZone: config.timeZone,
    });
    if (!summary.skipped) {
      // The seed's history arrives as one outbox row per insert and change: count it set-based instead.
      await rebuildRollups(ds, config.timeZone);
      // Its audit trail sealed at once (a running app's sealer would do it in its first ticks).
      await ds.query('SELECT issue_events_seal(2147483647)');
      // Fresh statistics, so the first plans (the wall's feed walks the audit trail backwards) are the right ones.
      await ds.query('ANALYZE');
      logger.log({ msg: 'demo district seeded', ...summary });
    }
    return summary;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}

/**
 * For an instance started with RUN_MIGRATIONS=false: refuses to start on a schema older than
 * its code (the migration Job has not run yet), so the orchestrator retries it later instead of
 * serving errors.
 */
export async function assertMigrated(config: Pick<AppConfig, 'databaseUrl'>): Promise<void> {
  const ds = createDataSource(config.databaseUrl, 1);
  await ds.initialize();
  try {
    if (await ds.showMigrations()) {
      throw new Error('The database schema is behind this version and RUN_MIGRATIONS=false: run the migration job (npm run migrate) first');
    }
  } finally {
    await ds.destroy();
  }
}
