import { DEFAULT_TIME_ZONE } from '../../server/src/config/app-config';
import { prepareDatabase } from '../../server/src/database/prepare-database';
import { dropRunDatabases, templateName, urlFor, withAdmin } from './test-db';

/**
 * Builds one template database (migrations + the demo district) for the whole run; each test
 * file then copies it (CREATE DATABASE … TEMPLATE), which takes a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is unset: run the tests with `npm test`');
  process.env.GRIDLINE_TEST_PREFIX = `gridline_test_${process.pid}`;
  await buildTemplate();
}

/** Drops the databases of the run (prefix GRIDLINE_TEST_PREFIX) and builds its template. */
export async function buildTemplate(): Promise<void> {
  await withAdmin(async (client) => {
    await dropRunDatabases(client);
    await client.query(`CREATE DATABASE "${templateName()}"`);
  });
  await prepareDatabase({ databaseUrl: urlFor(templateName()), env: 'test', timeZone: DEFAULT_TIME_ZONE }, { seed: true });
}
