import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { reconcileRollups } from '../server/src/stats/reconcile';
import { DataSource } from 'typeorm';
import type { IssueStatus } from '@gridline/shared';
import { act, issueIn, loadCast, photo, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The roll-ups against COUNT(*) truth (counters kept in the database, checked by reconciliation): zero difference after a workload of every
 * kind of transition, exact even with batches not yet applied; a corrupted row is reported,
 * by the function and by the `stats:reconcile` command (exit 1).
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const tok = (name: string) => cast.tokens[name]!;
const reconcile = () => reconcileRollups(t.app.get(DataSource), t.config.timeZone);
const CLI = resolve(__dirname, '..', 'server', 'dist', 'stats', 'reconcile.cli.js');

it('the seeded template is consistent', async () => {
  expect(await reconcile()).toEqual([]);
});

it('zero difference after a workload of every transition, before and after the batches apply', async () => {
  for (const status of [
    'reported',
    'rejected',
    'merged',
    'accepted',
    'dispatched',
    'in_progress',
    'suspended',
    'resolved',
    'closed',
  ] as const) {
    await issueIn(t.api, cast, status);
  }
  const onSite = await report(t.api, cast);
  await act(t.api, tok('worker1'), onSite, 'resolve_on_site', { note: '现场处理' }, [photo()]);
  const returned = await issueIn(t.api, cast, 'dispatched');
  await act(t.api, tok('lead1'), returned, 'return', { reason: '不属于本部门' });
  const reopened = await issueIn(t.api, cast, 'resolved');
  await act(t.api, tok('dispatcher'), reopened, 'reopen', { reason: '核查不通过' });
  // outbox rows still pending count as applied: exact at any moment
  expect(await reconcile()).toEqual([]);
  await t.app.get(StatsApplier).drain();
  expect(await reconcile()).toEqual([]);
});

/** Per region (every level, the city too), status and flow: the issues counted with plain COUNT(*) … FILTER, written here. */
const STATUSES = ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'resolved', 'closed', 'rejected', 'merged'];
const FLOWS = ['reported', 'accepted', 'dispatched', 'resolved', 'closed'];

async function countedByHand() {
  const { rows } = await t.sql.query(
    `SELECT x.region_id,
            count(*) FILTER (WHERE i.status = 'reported')::int AS reported,
            count(*) FILTER (WHERE i.status = 'accepted')::int AS accepted,
            count(*) FILTER (WHERE i.status = 'dispatched')::int AS dispatched,
            count(*) FILTER (WHERE i.status = 'in_progress')::int AS in_progress,
            count(*) FILTER (WHERE i.status = 'suspended')::int AS suspended,
            count(*) FILTER (WHERE i.status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE i.status = 'closed')::int AS closed,
            count(*) FILTER (WHERE i.status = 'rejected')::int AS rejected,
            count(*) FILTER (WHERE i.status = 'merged')::int AS merged,
            count(*) FILTER (WHERE i.reported_at IS NOT NULL)::int AS flow_reported,
            count(*) FILTER (WHERE i.accepted_at IS NOT NULL)::int AS flow_accepted,
            count(*) FILTER (WHERE i.dispatched_at IS NOT NULL)::int AS flow_dispatched,
            count(*) FILTER (WHERE i.resolved_at IS NOT NULL)::int AS flow_resolved,
            count(*) FILTER (WHERE i.closed_at IS NOT NULL)::int AS flow_closed
       FROM issues i
      CROSS JOIN LATERAL (VALUES (i.grid_id), (i.community_id), (i.street_id), (i.district_id),
                                 ((SELECT id FROM regions WHERE level = 'city'))) AS x(region_id)
      GROUP BY x.region_id ORDER BY x.region_id`,
  );
  return rows;
}

/** The same shape read from the roll-up tables (stock per status summed over category and department; all-time flows). */
async function readFromRollups() {
  const stock = await t.sql.query(`SELECT region_id, status, sum(n)::int AS n FROM stats_stock GROUP BY 1, 2`);
  const flows = await t.sql.query(`SELECT region_id, ${FLOWS.map((f) => `${f}::int`).join(', ')} FROM stats_flows WHERE grain = 't'`);
  const byRegion = new Map<number, Record<string, number>>();
  const row = (id: number) => {
    let r = byRegion.get(id);
    if (!r) byRegion.set(id, (r = Object.fromEntries([...STATUSES, ...FLOWS.map((f) => `flow_${f}`)].map((k) => [k, 0]))));
    return r;
  };
  for (const s of stock.rows) row(s.region_id)[s.status] = s.n;
  for (const f of flows.rows) for (const k of FLOWS) row(f.region_id)[`flow_${k}`] = f[k];
  return [...byRegion.entries()]
    .filter(([, r]) => Object.values(r).some((n) => n !== 0))
    .map(([region_id, r]) => ({ region_id, ...r }))
    .sort((a, b) => a.region_id - b.region_id);
}

it('the roll-ups equal plain COUNT(*) FILTER counts of the issues, per region of every level, status and flow', async () => {
  // a made dataset on top of the seeded one: one issue in each status, one settled on the spot, one returned, one reopened
  for (const status of STATUSES as IssueStatus[]) await issueIn(t.api, cast, status);
  const onSite = await report(t.api, cast);
  await act(t.api, tok('worker1'), onSite, 'resolve_on_site', { note: '现场处理' }, [photo()]);
  await act(t.api, tok('lead1'), await issueIn(t.api, cast, 'dispatched'), 'return', { reason: '不属于本部门' });
  await act(t.api, tok('dispatcher'), await issueIn(t.api, cast, 'resolved'), 'reopen', { reason: '核查不通过' });
  await t.app.get(StatsApplier).drain();

  const truth = await countedByHand();
  expect(truth.length).toBeGreaterThan(100);
  expect(await readFromRollups()).toEqual(truth);

  // per department (the city's stock), and reports per local day, by the same plain counting
  const dept = await t.sql.query(
    `SELECT coalesce(department_id, 0) AS department_id, count(*)::int AS n FROM issues GROUP BY 1 ORDER BY 1`,
  );
  const deptRollup = await t.sql.query(
    `SELECT department_id, sum(n)::int AS n FROM stats_stock WHERE region_id = (SELECT id FROM regions WHERE level = 'city')
      GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`,
  );
  expect(deptRollup.rows).toEqual(dept.rows);
  const days = await t.sql.query(
    `SELECT (reported_at AT TIME ZONE $1)::date::text AS day, count(*)::int AS n FROM issues GROUP BY 1 ORDER BY 1`,
    [t.config.timeZone],
  );
  const dayRollup = await t.sql.query(
    `SELECT (day AT TIME ZONE $1)::date::text AS day, sum(n)::int AS n FROM stats_reported_day
      WHERE region_id = (SELECT id FROM regions WHERE level = 'city') GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`,
    [t.config.timeZone],
  );
  expect(dayRollup.rows).toEqual(days.rows);

  // the hour buckets of the last 24 hours (the wall's trend), the city's, by the same plain counting
  const since = `date_trunc('hour', now() - interval '24 hours')`;
  const hours = await t.sql.query(
    `SELECT ${FLOWS.map((f) => `count(*) FILTER (WHERE ${f}_at >= ${since})::int AS ${f}`).join(', ')} FROM issues`,
  );
  const hourRollup = await t.sql.query(
    `SELECT ${FLOWS.map((f) => `coalesce(sum(${f}), 0)::int AS ${f}`).join(', ')} FROM stats_flows
      WHERE grain = 'h' AND bucket >= ${since} AND region_id = (SELECT id FROM regions WHERE level = 'city')`,
  );
  expect(hours.rows[0].reported).toBeGreaterThan(0);
  expect(hourRollup.rows).toEqual(hours.rows);
});

it('the SLA roll-up counts a clock inserted already stopped at once, and nothing for the running clocks a report starts', async () => {
  const applier = t.app.get(StatsApplier);
  await applier.drain();
  const citySla = async () =>
    (
      await t.sql.query(
        `SELECT resolved::int, resolved_on_time::int AS "onTime", overdue::int FROM stats_sla WHERE region_id = (SELECT id FROM regions WHERE level = 'city')`,
      )
    ).rows[0];
  const before = await citySla();

  await report(t.api, cast);
  await applier.drain();
  expect(await citySla()).toEqual(before);

  // No transition inserts a stopped clock today; an import or a repair might, and the wall must count it.
  await t.sql.query(
    `INSERT INTO sla_clocks (issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, stopped_at,
                             used_ms, warn_at, due_at, escalate_at)
     SELECT issue_id, stage, policy_id, calendar_id, unit, target, target_ms, warn_fraction, started_at, now(), 60000, warn_at, due_at, escalate_at
       FROM sla_clocks WHERE stage = 'overall' AND stopped_at IS NULL ORDER BY id DESC LIMIT 1`,
  );
  await applier.drain();
  expect(await citySla()).toEqual({ ...before, resolved: before.resolved + 1, onTime: before.onTime + 1 });
  expect(await reconcile()).toEqual([]);
});

it('a corrupted roll-up row is reported, by the function and by npm run stats:reconcile (exit 1)', async () => {
  await t.app.get(StatsApplier).drain();
  const { rows } = await t.sql.query<{ region_id: number; status: string; category_id: number; department_id: number; n: string }>(
    `UPDATE stats_stock SET n = n + 7
      WHERE (region_id, status, category_id, department_id) = (SELECT region_id, status, category_id, department_id FROM stats_stock WHERE n > 0 LIMIT 1)
      RETURNING *`,
  );
  const row = rows[0]!;
  const key = `${row.region_id}/${row.status}/${row.category_id}/${row.department_id}`;
  expect(await reconcile()).toEqual([{ rollup: 'stats_stock', key, expected: String(Number(row.n) - 7), actual: row.n }]);

  const run = promisify(execFile)(process.execPath, [CLI], { env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl } });
  await expect(run).rejects.toEqual(expect.objectContaining({ code: 1, stdout: expect.stringContaining(`stats_stock ${key}`) }));

  // --rebuild recounts and comes back clean
  const fixed = await promisify(execFile)(process.execPath, [CLI, '--rebuild'], {
    env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl },
  }).catch((err: { code: number; stdout: string }) => err);
  expect(fixed.stdout).toContain('After the rebuild: 0 difference(s).');
  expect(await reconcile()).toEqual([]);
});
