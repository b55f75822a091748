/**
 * `npm run bench:kpi`: does `GET /stats/kpi` stay fast at 1 M issues, and how long does a year of
 * a district take to export as xlsx?
 *
 * 1. A fresh database with the demo district (one district, its streets and grids), then
 *    BENCH_KPI_ISSUES (default 1,000,000) issues reported over the last 365 days in every grid,
 *    with their outcomes (set-based SQL, generate_series): 70 % closed, 10 % resolved, the rest
 *    open; the overall SLA clock of each (some with holds, some with approved extensions), a
 *    dispatch step per dispatched issue, returns (4 %), reopens (3 %), evaluations (a third of the
 *    closed), 督办 (6 %).
 *    The KPI roll-up (ADR 0046) is then built set-based, as `stats:reconcile --rebuild` does
 *    (its triggers are off while filling); the time is printed.
 * 2. The server on this database; the district viewer asks `GET /stats/kpi` BENCH_KPI_RUNS times
 *    (default 30) for the last month, the last quarter and the last year by department, and the
 *    year by street; p50 and p99 of each. The periods end now (not at midnight), so both the day
 *    roll-up and the part-days are read.
 * 3. `GET /stats/kpi.xlsx` for the year (three sheets), BENCH_KPI_EXPORTS times (default 3).
 * The machine's load average is printed before and after: the machine is shared.
 */
import { loadavg, cpus } from 'node:os';
import type { KpiReport, LoginResult } from '@gridline/shared';
import { Pool } from 'pg';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { REBUILD_KPI_SQL } from '../stats/kpi-rollup-sql';
import { benchDatabase, fmt, freePort, percentile, startServer, stopServer, timed, withBenchDatabase } from './bench-support';

const ISSUES = Number(process.env.BENCH_KPI_ISSUES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_KPI_RUNS ?? 30);
const EXPORTS = Number(process.env.BENCH_KPI_EXPORTS ?? 3);
const YEAR_MIN = 365 * 1440;

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} on ${cpus().length} cores`;

async function main(): Promise<void> {
  await withBenchDatabase('kpi', async (dbUrl) => {
    console.log(`before: ${load()}`);
    await prepareDatabase(benchDatabase(dbUrl), { seed: true, historyIssues: 300 });
    const pool = new Pool({ connectionString: dbUrl, max: 1 });
    try {
      await fill(pool, ISSUES, benchDatabase(dbUrl).timeZone);
    } finally {
      await pool.end();
    }
    const port = await freePort();
    const server = await startServer(dbUrl, port);
    const base = `http://127.0.0.1:${port}`;
    try {
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'viewer', password: DEMO_PASSWORD }),
      });
      const { accessToken } = (await login.json()) as LoginResult;
      const ago = (days: number) => encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString());
      const yearAgo = ago(365);
      const get = async (path: string): Promise<Response> => {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
        if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
        return res;
      };
      const cases: [string, string][] = [
        ['a month, by department', `/api/v1/stats/kpi?groupBy=department&from=${ago(30)}`],
        ['a quarter, by department', `/api/v1/stats/kpi?groupBy=department&from=${ago(91)}`],
        ['the year, by department', `/api/v1/stats/kpi?groupBy=department&from=${yearAgo}`],
        ['the year, by street', `/api/v1/stats/kpi?groupBy=street&from=${yearAgo}`],
      ];
      for (const [name, path] of cases) {
        const [first] = await timed(async () => (await (await get(path)).json()) as KpiReport); // warm
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push((await timed(async () => (await get(path)).json()))[1]);
        times.sort((a, b) => a - b);
        console.log(
          `GET /stats/kpi, ${name} (${fmt(first.total.received)} issues counted, ${first.rows.length} rows): ` +
            `p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms over ${RUNS} runs`,
        );
      }
      const exports: number[] = [];
      let bytes = 0;
      for (let i = 0; i < EXPORTS; i++) {
        const [size, ms] = await timed(async () => (await (await get(`/api/v1/stats/kpi.xlsx?from=${yearAgo}`)).arrayBuffer()).byteLength);
        exports.push(ms);
        bytes = size;
      }
      exports.sort((a, b) => a - b);
      console.log(
        `GET /stats/kpi.xlsx, a year of the district (3 sheets, ${fmt(bytes)} bytes): median ${fmt(percentile(exports, 50))} ms over ${EXPORTS} runs`,
      );
    } finally {
      await stopServer(server);
      console.log(`after: ${load()}`);
    }
  });
}

/** The KPI roll-up's triggers: off while filling, the roll-up is built set-based after. */
const KPI_TRIGGERS = [
  ['issues', 'issues_kpi_inserted'],
  ['sla_clocks', 'sla_clocks_kpi_inserted'],
  ['issue_events', 'issue_events_kpi'],
  ['evaluations', 'evaluations_kpi'],
  ['supervisions', 'supervisions_kpi_inserted'],
] as const;
/** The wall's SLA roll-up triggers on the clocks (inserted already stopped; changed or deleted). */
const SLA_STATS_TRIGGERS = ['sla_clocks_stats_inserted', 'sla_clocks_stats'] as const;

/** BENCH_KPI_ISSUES issues with outcomes over the last year, in batches, set-based. */
async function fill(pool: Pool, total: number, timeZone: string): Promise<void> {
  const t0 = Date.now();
  const batch = 250_000;
  const c = await pool.connect();
  try {
    // A bench database only: the audit chain's seal queue and the wall's per-clock roll-up
    // trigger are not what this bench reads; off while filling (these rows stay unsealed), on again after.
    await c.query('ALTER TABLE issue_events DISABLE TRIGGER issue_events_queue_seal');
    for (const trigger of SLA_STATS_TRIGGERS) await c.query(`ALTER TABLE sla_clocks DISABLE TRIGGER ${trigger}`);
    for (const [table, trigger] of KPI_TRIGGERS) await c.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
    for (let from = 1; from <= total; from += batch) {
      const to = Math.min(total, from + batch - 1);
      await c.query('BEGIN');
      await c.query(
        `CREATE TEMP TABLE b ON COMMIT DROP AS
         WITH grids AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, path FROM regions WHERE level = 'grid'),
              n AS (SELECT count(*) AS n FROM grids),
              cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM categories WHERE parent_id IS NOT NULL),
              depts AS (SELECT array_agg(id ORDER BY id) AS ids FROM departments),
              g AS (SELECT g, now() - ((g::bigint * 7919) % ${YEAR_MIN}) * interval '1 minute' AS reported_at,
                           ((g::bigint * 31) % 7200) AS h, g % 20 AS s FROM generate_series($1::int, $2::int) g)
         SELECT g.g, g.reported_at, g.h,
                CASE WHEN g.s < 14 THEN 'closed' WHEN g.s < 16 THEN 'resolved' WHEN g.s = 16 THEN 'in_progress'
                     WHEN g.s = 17 THEN 'suspended' WHEN g.s = 18 THEN 'dispatched' ELSE 'reported' END AS status,
                cats.ids[1 + g.g % cardinality(cats.ids)] AS category_id,
                CASE WHEN g.s = 19 THEN NULL ELSE depts.ids[1 + g.g % cardinality(depts.ids)] END AS department_id,
                gr.id AS grid_id, gr.path
           FROM g JOIN n ON true JOIN grids gr ON gr.k = g.g % n.n, cats, depts`,
        [from, to],
      );
      await c.query(
        `WITH iss AS (
           INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id, district_id,
                               department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at, updated_at, sla_due_at)
           SELECT 'GL-KPI-' || b.g, '预置事件', '批量预置的事件', b.category_id, 'normal', b.status, 'grid_worker', b.grid_id, b.path[4], b.path[3],
                  b.path[2], b.department_id, b.reported_at,
                  CASE WHEN b.status <> 'reported' THEN b.reported_at + interval '10 minutes' END,
                  CASE WHEN b.status <> 'reported' THEN b.reported_at + interval '20 minutes' END,
                  CASE WHEN b.status IN ('closed', 'resolved') THEN b.reported_at + b.h * interval '1 minute' END,
                  CASE WHEN b.status = 'closed' THEN b.reported_at + (b.h + 60) * interval '1 minute' END,
                  b.reported_at + (b.h + 60) * interval '1 minute',
                  CASE WHEN b.status IN ('reported', 'dispatched', 'in_progress') THEN b.reported_at + interval '3 days' END
             FROM b
           RETURNING id, number),
         ids AS (SELECT b.*, iss.id FROM b JOIN iss ON iss.number = 'GL-KPI-' || b.g),
         clk AS (
           INSERT INTO sla_clocks (issue_id, stage, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since,
                                   used_ms, extended_ms, paused_ms, paused_since, stopped_at)
           SELECT id, 'overall', (SELECT id FROM sla_calendars WHERE is_default), 'calendar_minutes', 4320, 259200000, 0.75, reported_at,
                  CASE WHEN status IN ('reported', 'dispatched', 'in_progress') THEN reported_at END,
                  CASE WHEN g % 40 = 0 THEN h * 60000 / 2 ELSE h * 60000 END,
                  CASE WHEN g % 50 = 0 THEN 86400000 ELSE 0 END,
                  CASE WHEN g % 40 = 0 THEN h * 60000 / 2 ELSE 0 END,
                  CASE WHEN status = 'suspended' THEN reported_at + interval '1 hour' END,
                  CASE WHEN status IN ('closed', 'resolved') THEN reported_at + h * interval '1 minute' END
             FROM ids),
         ev AS (
           INSERT INTO issue_events (issue_id, type, from_status, to_status, data, at)
           SELECT id, 'dispatch', 'accepted', 'dispatched', jsonb_build_object('departmentId', department_id), reported_at + interval '20 minutes'
             FROM ids WHERE status <> 'reported'
           UNION ALL
           SELECT id, 'return', 'dispatched', 'accepted', jsonb_build_object('departmentId', department_id), reported_at + interval '15 minutes'
             FROM ids WHERE status <> 'reported' AND g % 25 = 0
           UNION ALL
           SELECT id, 'reopen', 'resolved', 'in_progress', '{}', reported_at + h * interval '1 minute' + interval '5 minutes'
             FROM ids WHERE status = 'closed' AND g % 33 = 0),
         evals AS (
           INSERT INTO evaluations (issue_id, by_user_id, score, created_at)
           SELECT id, (SELECT min(id) FROM users WHERE role = 'dispatcher'), 1 + g % 5, reported_at + (h + 90) * interval '1 minute'
             FROM ids WHERE status = 'closed' AND g % 3 = 0)
         INSERT INTO supervisions (issue_id, level, region_id, reason, created_at)
         SELECT id, 1 + (g % 2), path[3], '预置督办', reported_at + interval '1 day' FROM ids WHERE g % 17 = 0`,
      );
      await c.query('COMMIT');
      process.stdout.write(`\rfill: ${fmt(to)} / ${fmt(total)} issues with clocks, steps, evaluations and 督办`);
    }
    await c.query('ALTER TABLE issue_events ENABLE TRIGGER issue_events_queue_seal');
    for (const trigger of SLA_STATS_TRIGGERS) await c.query(`ALTER TABLE sla_clocks ENABLE TRIGGER ${trigger}`);
    for (const [table, trigger] of KPI_TRIGGERS) await c.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
    await c.query('TRUNCATE stats_outbox, stats_sla_outbox'); // the wall's roll-ups are not what this bench measures
    for (const table of ['issues', 'sla_clocks', 'issue_events', 'evaluations', 'supervisions']) await c.query(`VACUUM ANALYZE ${table}`);
    console.log(` (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const t1 = Date.now();
    await c.query('BEGIN');
    await c.query(`SET LOCAL work_mem = '256MB'`);
    for (const statement of REBUILD_KPI_SQL) await c.query(statement.sql, statement.tz ? [timeZone] : []);
    await c.query('COMMIT');
    const [{ n }] = (await c.query<{ n: string }>('SELECT count(*) AS n FROM stats_kpi_day')).rows as [{ n: string }];
    process.stdout.write(`KPI roll-up built from the tables in ${((Date.now() - t1) / 1000).toFixed(0)} s (${fmt(Number(n))} day rows)`);
    for (const table of ['stats_kpi_issue', 'stats_kpi_day']) await c.query(`VACUUM ANALYZE ${table}`);
  } finally {
    c.release();
  }
  console.log('');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
