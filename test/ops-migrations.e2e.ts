import { DEFAULT_TIME_ZONE } from '../server/src/config/app-config';
import { createDataSource, MIGRATIONS } from '../server/src/database/data-source';
import { assertMigrated, prepareDatabase } from '../server/src/database/prepare-database';
import { runPrefix, urlFor, withAdmin } from './support/test-db';

/**
 * Several instances starting at once on an empty database: the advisory lock makes them take
 * turns, so every migration is applied exactly once and none of them fails. An instance with
 * RUN_MIGRATIONS=false refuses a schema older than its code.
 */
const database = `${runPrefix()}_migrate_lock`;

afterAll(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)));

it('applies each migration once when four instances migrate at the same moment', async () => {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
  const config = { databaseUrl: urlFor(database), env: 'test' as const, timeZone: DEFAULT_TIME_ZONE };
  await expect(assertMigrated(config)).rejects.toThrow(/RUN_MIGRATIONS=false/);

  const results = await Promise.allSettled([1, 2, 3, 4].map(() => prepareDatabase(config, { seed: false })));
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);

  const ds = createDataSource(config.databaseUrl, 1);
  await ds.initialize();
  try {
    const rows: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    // Nobody still holds the lock.
    const held: unknown[] = await ds.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory'`);
    expect(held).toEqual([]);
  } finally {
    await ds.destroy();
  }
  await expect(assertMigrated(config)).resolves.toBeUndefined();
});
