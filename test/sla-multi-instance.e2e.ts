import { startServerProcess } from './support/server-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Two real server processes sweep one database: 1,000 clocks come due at once, and every breach
 * fires exactly once — one sla.breached event and one 督办 each, however the two interleave.
 */
let t: TestApp;
const servers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  t = await startTestApp(); // only for its database copy; its own sweeper is off (SLA_SWEEP_MS=0 in tests)
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await t?.close();
});

const N = 1000;

it('fires each of 1,000 simultaneously due breaches exactly once across two instances', async () => {
  const env = { DATABASE_URL: t.databaseUrl, SLA_SWEEP_MS: '50', SLA_SWEEP_BATCH: '100' };
  servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));

  // One transaction makes all 1,000 due at the same moment, while both instances are sweeping.
  const { rows } = await t.sql.query<{ id: string }>(
    `WITH src AS (SELECT * FROM issues ORDER BY id LIMIT 1),
          iss AS (
            INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id,
                                district_id, reported_at, updated_at)
            SELECT 'GL-MULTI-' || g, src.title, src.description, src.category_id, 'normal', 'reported', 'grid_worker', src.grid_id,
                   src.community_id, src.street_id, src.district_id, now() - interval '20 minutes', now()
              FROM src, generate_series(1, $1::int) g
            RETURNING id),
          clk AS (
            INSERT INTO sla_clocks (issue_id, stage, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                                    warn_at, due_at, escalate_at)
            SELECT id, 'accept', (SELECT id FROM sla_calendars WHERE is_default), 'calendar_minutes', 10, 600000, 0.75,
                   now() - interval '20 minutes', now() - interval '20 minutes', now() - interval '12 minutes', now() - interval '10 minutes',
                   now() + interval '1 day'
              FROM iss
            RETURNING id),
          warned AS (INSERT INTO sla_firings (clock_id, level, fired_at) SELECT id, 'warning', now() - interval '12 minutes' FROM clk),
          tim AS (INSERT INTO sla_timers (clock_id, level, fire_at) SELECT id, 'breach', now() - interval '1 second' FROM clk)
     SELECT id FROM clk`,
    [N],
  );
  const ids = rows.map((r) => r.id);

  const counts = async () =>
    (
      await t.sql.query(
        `SELECT (SELECT count(*)::int FROM sla_firings WHERE clock_id = ANY($1) AND level = 'breach') AS firings,
                (SELECT count(*)::int FROM issue_events e JOIN sla_clocks c ON c.issue_id = e.issue_id
                  WHERE c.id = ANY($1) AND e.type = 'sla.breached') AS events,
                (SELECT count(*)::int FROM supervisions WHERE clock_id = ANY($1)) AS supervisions,
                (SELECT count(DISTINCT clock_id)::int FROM supervisions WHERE clock_id = ANY($1)) AS supervised_clocks,
                (SELECT count(*)::int FROM sla_timers WHERE clock_id = ANY($1) AND level = 'breach') AS pending,
                (SELECT count(*)::int FROM sla_timers WHERE clock_id = ANY($1) AND level = 'escalation_1') AS next_rung`,
        [ids],
      )
    ).rows[0];
  // Polls for the instances' work (their sweep interval is 50 ms); no fixed sleep.
  let c = await counts();
  for (let i = 0; i < 600 && c.firings < N; i++) {
    await new Promise((r) => setTimeout(r, 50));
    c = await counts();
  }
  expect(c).toEqual({ firings: N, events: N, supervisions: N, supervised_clocks: N, pending: 0, next_rung: N });
});
