import { hashPassword } from '../../server/src/auth/passwords';
import { createDataSource } from '../../server/src/database/data-source';
import { DEMO_PASSWORD } from '../../server/src/database/prepare-database';
import { seedDemo } from '../../server/src/seed/demo-seed';
import { dropRunDatabases, templateName, urlFor, withAdmin } from './test-db';

/**
 * Builds one template database (migrations + the demo district) for the whole run; each test
 * file then copies it (CREATE DATABASE … TEMPLATE), which takes a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is unset: run the tests with `npm test`');
  process.env.GRIDLINE_TEST_PREFIX = `gridline_test_${process.pid}`;
  await withAdmin(async (client) => {
    await dropRunDatabases(client);
    await client.query(`CREATE DATABASE "${templateName()}"`);
  });
  const ds = createDataSource(urlFor(templateName()), 2);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await seedDemo(ds, { now: new Date(), passwordHash: await hashPassword(DEMO_PASSWORD) });
  } finally {
    await ds.destroy();
  }
}
