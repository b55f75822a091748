import { templateName, withAdmin } from './test-db';
import { buildTemplate } from './global-setup';

/**
 * Global setup of the mutation run of the database-backed oracles (jest.mutation-sql.config.js).
 * Stryker runs Jest once per mutant, and the ordinary setup would build the template database
 * (migrations + demo district) every time. Here it is built once, by the first run — Stryker's
 * dry run, with no mutant active — under a prefix fixed for the whole Stryker run; later runs
 * drop only the databases the previous run's tests left behind and copy the same template.
 */
export default async function globalSetup(): Promise<void> {
  const prefix = process.env.GRIDLINE_MUTATION_DB_PREFIX;
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is unset: run under scripts/with-db.mjs');
  if (!prefix) throw new Error('GRIDLINE_MUTATION_DB_PREFIX is unset: run with jest.mutation-sql.config.js');
  process.env.GRIDLINE_TEST_PREFIX = prefix;
  const built = await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
    for (const { datname } of rows) {
      if (datname !== templateName()) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    return rows.some((r) => r.datname === templateName());
  });
  if (!built) await buildTemplate();
}
