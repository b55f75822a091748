import { dropRunDatabases, withAdmin } from './test-db';

export default async function globalTeardown(): Promise<void> {
  if (!process.env.GRIDLINE_TEST_PREFIX) return; // setup never ran
  await withAdmin(dropRunDatabases);
}
