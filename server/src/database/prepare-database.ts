import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { hashPassword } from '../auth/passwords';
import { seedDemo, type SeedSummary } from '../seed/demo-seed';
import { rebuildRollups } from '../stats/rebuild-rollups';
import { createDataSource } from './data-source';

export const DEMO_PASSWORD = 'demo1234';
/** The demo users worth offering on the login page and in the start-up banner, in that order. */
export const DEMO_LOGINS = ['admin', 'dispatcher', 'worker1', 'lead1', 'lead2', 'viewer'] as const;

/**
 * Brings the schema up to date, and seeds the demo district into an empty database when asked.
 * Used at boot, by `npm run seed`, by the tests' template database and by the benchmarks.
 */
export async function prepareDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'env'> & Partial<Pick<AppConfig, 'timeZone'>>,
  opts: { seed: boolean; historyIssues?: number },
): Promise<SeedSummary | null> {
  const logger = new Logger('database');
  const ds = createDataSource(config.databaseUrl, 2);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log({ msg: 'migrations applied', migrations: applied.map((m) => m.name) });
    if (!opts.seed) return null;
    if (config.env === 'production') throw new Error('Refusing to seed demo users in production');
    const summary = await seedDemo(ds, {
      now: new Date(),
      passwordHash: await hashPassword(DEMO_PASSWORD),
      historyIssues: opts.historyIssues,
    });
    if (!summary.skipped) {
      // The seed's history arrives as one outbox row per insert and change: count it set-based instead.
      await rebuildRollups(ds, config.timeZone ?? 'Asia/Shanghai');
      // Fresh statistics, so the first plans (the wall's feed walks the audit trail backwards) are the right ones.
      await ds.query('ANALYZE');
      logger.log({ msg: 'demo district seeded', ...summary });
    }
    return summary;
  } finally {
    await ds.destroy();
  }
}
