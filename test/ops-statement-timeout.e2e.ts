import { loadCast, type Cast } from './support/fixtures';
import { expectApiError } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * DATABASE_STATEMENT_TIMEOUT_MS: a statement stuck behind a lock (or just too slow) is cancelled by
 * PostgreSQL and the request answers 503 DATABASE_TIMEOUT, instead of hanging with its connection;
 * the pool keeps working afterwards.
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '500' });
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

test('a request whose query waits past the timeout answers 503 DATABASE_TIMEOUT, and the next one works', async () => {
  const token = cast.tokens.dispatcher!;
  expect((await t.api.get('/api/v1/me', token)).status).toBe(200);

  // A migration or a stuck session holding the users table: every request's caller lookup waits on it.
  await t.sql.query('BEGIN');
  try {
    await t.sql.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const stuck = await t.api.get('/api/v1/me', token);
    expectApiError(stuck, 503, 'DATABASE_TIMEOUT');
  } finally {
    await t.sql.query('ROLLBACK');
  }

  expect((await t.api.get('/api/v1/me', token)).status).toBe(200);
});
