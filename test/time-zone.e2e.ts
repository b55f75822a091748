import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import type { SlaCalendarView, StatsOverview } from '@gridline/shared';
import { DEFAULT_TIME_ZONE, loadConfig } from '../server/src/config/app-config';
import { rebuildRollups } from '../server/src/stats/rebuild-rollups';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { WallStatsService } from '../server/src/stats/wall-stats.service';
import { loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The time zone is one configuration value, TIME_ZONE: an unknown zone refuses to boot, the
 * default is Asia/Shanghai, and a configured zone reaches "today", the day roll-ups, issue
 * numbers and new SLA calendars alike.
 */
const MAIN = resolve(__dirname, '..', 'server', 'dist', 'main.js');
const ZONE = 'America/Phoenix'; // UTC−7 all year: 15 hours behind Shanghai
const HOUR_MS = 3600_000;

describe('TIME_ZONE at boot', () => {
  it('is Asia/Shanghai unless configured', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x' }).timeZone).toBe('Asia/Shanghai');
  });

  it('refuses to start the server with a zone Intl does not know', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: 'postgres://127.0.0.1:1/none', TIME_ZONE: 'Mars/Olympus' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Configuration error: TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got "Mars/Olympus"');
  });
});

describe(`a server configured with TIME_ZONE=${ZONE}`, () => {
  let t: TestApp;
  let cast: Cast;
  const localDay = (at: Date, zone = ZONE) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

  beforeAll(async () => {
    t = await startTestApp({ TIME_ZONE: ZONE });
    cast = await loadCast(t.api);
    // Move the clock to 03:00 in Shanghai, 12:00 the day before in Phoenix: the two "todays" differ.
    const now = t.clock.now().getTime();
    const next19Utc = Math.ceil((now - 19 * HOUR_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS + 19 * HOUR_MS;
    t.clock.advance(next19Utc + 60_000 - now);
    expect(localDay(t.clock.now())).not.toBe(localDay(t.clock.now(), 'Asia/Shanghai'));
    // The template database was counted in the default zone; a change of TIME_ZONE recounts (npm run stats:reconcile -- --rebuild).
    await rebuildRollups(t.app.get(DataSource), ZONE, t.clock.now());
  });
  afterAll(() => t?.close());

  it('numbers issues by the local day', async () => {
    const issue = await report(t.api, cast);
    expect(issue.number).toMatch(new RegExp(`^GL-${localDay(t.clock.now()).replaceAll('-', '')}-\\d{6}$`));
  });

  it("counts today's reports from local midnight, as PostgreSQL does in that zone", async () => {
    await report(t.api, cast);
    await t.app.get(StatsApplier).drain();
    const res = await t.api.get<StatsOverview>('/api/v1/stats/overview', cast.tokens.viewer);
    expect(res.status).toBe(200);
    const { rows } = await t.sql.query<{ day: string; today: number }>(
      `SELECT to_char($2::timestamptz AT TIME ZONE $3, 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE reported_at >= date_trunc('day', $2::timestamptz AT TIME ZONE $3) AT TIME ZONE $3
                                 AND reported_at <= $2::timestamptz)::int AS today
         FROM issues WHERE district_id = $1`,
      [res.body.regionId, res.body.asOf, ZONE],
    );
    expect(res.body.day).toBe(rows[0]!.day);
    expect(res.body.day).toBe(localDay(t.clock.now()));
    expect(res.body.today.total).toBe(rows[0]!.today);
    expect(res.body.today.total).toBeGreaterThanOrEqual(2);
    // The wall's snapshot names the zone, so the dashboard's clock and labels follow the server.
    expect(await t.app.get(WallStatsService).read(res.body.regionId)).toMatchObject({ day: res.body.day, timeZone: ZONE });
  });

  it('gives a new SLA calendar the configured zone unless one is sent', async () => {
    const weekly = [[[510, 1050]], [[510, 1050]], [[510, 1050]], [[510, 1050]], [[510, 1050]], [], []];
    const res = await t.api.post<SlaCalendarView>(
      '/api/v1/admin/sla/calendars',
      { code: 'tz-test', name: '时区', weekly },
      cast.tokens.admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.timeZone).toBe(ZONE);
    // The built-in default calendar took the zone the database was first prepared with.
    const calendars = await t.api.get<SlaCalendarView[]>('/api/v1/admin/sla/calendars', cast.tokens.admin);
    expect(calendars.body.find((c) => c.isDefault)?.timeZone).toBe(DEFAULT_TIME_ZONE);
  });
});
