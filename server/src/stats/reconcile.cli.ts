import { ConfigError, loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { rebuildRollups } from './rebuild-rollups';
import { reconcileRollups } from './reconcile';

/**
 * `npm run stats:reconcile`: compares every roll-up with COUNT(*) truth and prints each
 * difference; exits 1 when there is any. `-- --rebuild` then recounts the roll-ups from the
 * issues table (new epoch: connected walls take a new snapshot) and checks again.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const ds = createDataSource(config.databaseUrl, 2);
  await ds.initialize();
  try {
    const started = Date.now();
    let differences = await reconcileRollups(ds, config.timeZone);
    console.log(`Compared the roll-ups with COUNT(*) truth in ${Date.now() - started} ms: ${differences.length} difference(s).`);
    for (const d of differences) console.log(`  ${d.rollup} ${d.key}: expected ${d.expected}, actual ${d.actual}`);
    if (differences.length && process.argv.includes('--rebuild')) {
      console.log(`Rebuilt the roll-ups in ${await rebuildRollups(ds, config.timeZone)} ms.`);
      differences = await reconcileRollups(ds, config.timeZone);
      console.log(`After the rebuild: ${differences.length} difference(s).`);
    }
    return differences.length ? 1 : 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
    process.exit(2);
  },
);
