import { Client } from 'pg';

/** Names and URLs of the databases one test run uses; all of them start with the run's prefix. */
export function runPrefix(): string {
  const prefix = process.env.GRIDLINE_TEST_PREFIX;
  if (!prefix) throw new Error('GRIDLINE_TEST_PREFIX is unset: run the tests with `npm test`');
  return prefix;
}

export const templateName = () => `${runPrefix()}_template`;

export function urlFor(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `fn` with a connection to the server's maintenance database (the one DATABASE_URL names). */
export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropRunDatabases(client: Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runPrefix()}%`]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
}
