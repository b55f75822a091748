import { loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * DATABASE_READ_URL: KPI reads go to the replica's pool (here the same database under another
 * application_name, standing in for a streaming replica), the rest stays on the primary.
 */
let primary: TestApp;
let withReplica: TestApp;
let cast: Cast;

beforeAll(async () => {
  primary = await startTestApp();
  const replicaUrl = new URL(primary.databaseUrl);
  withReplica = await startTestApp({ DATABASE_READ_URL: replicaUrl.toString() }, { attachTo: primary });
  cast = await loadCast(withReplica.api);
});
afterAll(async () => {
  await withReplica?.close();
  await primary?.close();
});

it('reads KPIs through the replica pool and answers the same as the primary', async () => {
  const db = new URL(primary.databaseUrl).pathname.slice(1);
  const readers = async () =>
    (
      await primary.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gridline-read'`,
        [db],
      )
    ).rows[0]!.n;
  expect(await readers()).toBe(0);
  const viaReplica = await withReplica.api.get('/api/v1/stats/sla', cast.tokens.dispatcher);
  expect(viaReplica.status).toBe(200);
  expect(await readers()).toBeGreaterThan(0);
  const viaPrimary = await primary.api.get('/api/v1/stats/sla', cast.tokens.dispatcher);
  expect({ ...viaReplica.body, asOf: null }).toEqual({ ...viaPrimary.body, asOf: null });
});
