import type { KpiReport, KpiRow } from '@gridline/shared';
import { DataSource } from 'typeorm';
import { midnightOf } from '../server/src/common/time-zone';
import { reconcileRollups } from '../server/src/stats/reconcile';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The KPI roll-up (day × street × department sums + per-issue facts, kept by the stats applier)
 * against a hand-made dataset in March 2020 of the demo district, written straight into the
 * tables, and against a plain SQL computation over the tables written here. The period starts and
 * ends at noon, so both part-days (stored facts) and a whole day (the day roll-up) are read.
 *
 *   issue  reported      street  dept  outcome                                      handling  评价  督办  steps
 *   I1     Mar 1 08:00   S1      D1    closed (before the period)                     —         —     —     —
 *   I2     Mar 1 14:00   S1      D1    closed, 30 min of 60: on time                  30 min    5     0     dispatch D1
 *   I3     Mar 2 09:00   S1      D1    closed, 100 of 60: late                        100 min   2     1     dispatch D1
 *   I4     Mar 2 10:00   S2      D2    closed, 100 of 60 + 120 extension: on time     100 min   4     0     dispatch D1, return D1, dispatch D2
 *   I5     Mar 2 20:00   S2      D2    resolved 50 min, reopened once                 50 min    —     0     —
 *   I6     Mar 3 11:00   S2      —     reported, clock running                        —         —     0     —
 *   I7     Mar 3 13:00   S2      D2    closed (after the period)                      —         —     —     —
 *   I8     Mar 2 12:00   S1      D1    rejected (never counted)                       —         —     —     —
 */
let t: TestApp;
let cast: Cast;
const MIN = 60_000;
let base = 0; // local midnight starting 1 March 2020
const at = (hours: number) => new Date(base + hours * 3600_000);
let from: Date;
let to: Date;
let district = 0;
const s = { s1: 0, s2: 0, g1: 0, g2: 0 };
const d = { d1: 0, d2: 0 };
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  base = midnightOf(t.config.timeZone, Date.UTC(2020, 2, 1) / 86_400_000);
  from = at(12);
  to = at(48 + 12);
  const { rows: grids } = await t.sql.query<{ id: number; path: number[] }>(
    `SELECT id, path FROM regions WHERE level = 'grid' AND path[3] IN (SELECT min(path[3]) FROM regions WHERE level = 'grid'
       UNION SELECT max(path[3]) FROM regions WHERE level = 'grid') ORDER BY path[3], id`,
  );
  const g1 = grids[0]!;
  const g2 = grids[grids.length - 1]!;
  Object.assign(s, { g1: g1.id, g2: g2.id, s1: g1.path[2], s2: g2.path[2] });
  district = g1.path[1]!;
  const { rows: depts } = await t.sql.query<{ id: number }>('SELECT id FROM departments ORDER BY id LIMIT 2');
  Object.assign(d, { d1: depts[0]!.id, d2: depts[1]!.id });
  await build();
}, 120_000);
afterAll(() => t?.close());

async function issue(name: string, hours: number, grid: number, dept: number | null, status: string): Promise<number> {
  const g = (await t.sql.query<{ path: number[] }>('SELECT path FROM regions WHERE id = $1', [grid])).rows[0]!.path;
  const { rows } = await t.sql.query<{ id: number }>(
    `INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id, district_id,
                         department_id, reported_at, updated_at)
     VALUES ($1, '考核样例', '手工构造的考核样例', $2, 'normal', $3, 'grid_worker', $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
    [`GL-KPI-T-${name}`, cast.category.id, status, grid, g[3], g[2], g[1], dept, at(hours)],
  );
  ids[name] = rows[0]!.id;
  return rows[0]!.id;
}

/** The overall clock: stopped after `usedMin` (or running), target 60 min, an extension, a hold. */
async function clock(id: number, hours: number, usedMin: number | null, extendedMin = 0): Promise<void> {
  const started = at(hours);
  await t.sql.query(
    `INSERT INTO sla_clocks (issue_id, stage, calendar_id, unit, target, target_ms, warn_fraction, started_at, running_since, used_ms, extended_ms,
                             paused_ms, stopped_at)
     VALUES ($1, 'overall', (SELECT id FROM sla_calendars WHERE is_default), 'calendar_minutes', 60, 3600000, 0.75, $2, $3, $4, $5, 0, $6)`,
    [
      id,
      started,
      usedMin === null ? started : null,
      (usedMin ?? 0) * MIN,
      extendedMin * MIN,
      usedMin === null ? null : new Date(started.getTime() + usedMin * MIN),
    ],
  );
}

async function step(id: number, type: 'dispatch' | 'return' | 'reopen', dept: number | null, hours: number): Promise<void> {
  await t.sql.query(`INSERT INTO issue_events (issue_id, type, data, at) VALUES ($1, $2, $3, $4)`, [
    id,
    type,
    dept === null ? {} : { departmentId: dept },
    at(hours),
  ]);
}

async function evaluate(id: number, score: number): Promise<void> {
  await t.sql.query(
    `INSERT INTO evaluations (issue_id, by_user_id, score, created_at) VALUES ($1, (SELECT min(id) FROM users WHERE role = 'dispatcher'), $2, $3)`,
    [id, score, at(70)],
  );
}

async function build(): Promise<void> {
  const i1 = await issue('I1', 8, s.g1, d.d1, 'closed');
  await clock(i1, 8, 30);
  const i2 = await issue('I2', 14, s.g1, d.d1, 'closed');
  await clock(i2, 14, 30);
  await step(i2, 'dispatch', d.d1, 14.1);
  await evaluate(i2, 5);
  const i3 = await issue('I3', 33, s.g1, d.d1, 'closed');
  await clock(i3, 33, 100);
  await step(i3, 'dispatch', d.d1, 33.1);
  await evaluate(i3, 2);
  await t.sql.query(`INSERT INTO supervisions (issue_id, level, region_id, reason, created_at) VALUES ($1, 1, $2, '超时督办', $3)`, [
    i3,
    s.s1,
    at(40),
  ]);
  const i4 = await issue('I4', 34, s.g2, d.d2, 'closed');
  await clock(i4, 34, 100, 120);
  await step(i4, 'dispatch', d.d1, 34.1);
  await step(i4, 'return', d.d1, 34.2);
  await step(i4, 'dispatch', d.d2, 34.3);
  await evaluate(i4, 4);
  const i5 = await issue('I5', 44, s.g2, d.d2, 'resolved');
  await clock(i5, 44, 50);
  await step(i5, 'reopen', null, 45);
  const i6 = await issue('I6', 59, s.g2, null, 'reported');
  await clock(i6, 59, null);
  const i7 = await issue('I7', 61, s.g2, d.d2, 'closed');
  await clock(i7, 61, 10);
  await issue('I8', 36, s.g1, d.d1, 'rejected');
}

/** The KPIs computed plainly from the tables: the cohort, its clocks, evaluations, 督办 and steps, per group. */
async function plain(groupBy: 'department' | 'street' | 'month', departmentId: number | null = null) {
  const key = {
    department: 'i.department_id::text',
    street: 'i.street_id::text',
    month: `to_char(i.reported_at AT TIME ZONE $4, 'YYYY-MM')`,
  }[groupBy];
  const stepKey = groupBy === 'department' ? `e.data->>'departmentId'` : key;
  const cohort = `FROM issues i WHERE i.district_id = $1 AND i.reported_at >= $2 AND i.reported_at < $3 AND i.status NOT IN ('rejected', 'merged')`;
  const { rows } = await t.sql.query<{
    k: string | null;
    received: number;
    closed: number;
    on_time: number;
    resolved: number;
    reopened: number;
    evaluations: number;
    satisfied: number;
    supervisions: number;
    avg_ms: number | null;
    p90_ms: number | null;
  }>(
    `SELECT ${key} AS k, count(*)::int AS received, count(*) FILTER (WHERE i.status = 'closed')::int AS closed,
            count(*) FILTER (WHERE i.status = 'closed' AND c.used_ms <= c.target_ms + c.extended_ms AND c.stopped_at IS NOT NULL)::int AS on_time,
            count(c.stopped_at)::int AS resolved,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.type = 'reopen'))::int AS reopened,
            (SELECT count(*) FROM evaluations v WHERE v.issue_id = ANY(array_agg(i.id)))::int AS evaluations,
            (SELECT count(*) FROM evaluations v WHERE v.issue_id = ANY(array_agg(i.id)) AND v.score >= 4)::int AS satisfied,
            (SELECT count(*) FROM supervisions v WHERE v.issue_id = ANY(array_agg(i.id)))::int AS supervisions,
            avg(extract(epoch FROM c.stopped_at - c.started_at) * 1000 - c.paused_ms)::float8 AS avg_ms,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.stopped_at - c.started_at) * 1000 - c.paused_ms)::float8 AS p90_ms
       ${cohort.replace('FROM issues i', "FROM issues i LEFT JOIN sla_clocks c ON c.issue_id = i.id AND c.stage = 'overall'")}
        AND ($5::int IS NULL OR i.department_id = $5) AND $4::text IS NOT NULL
      GROUP BY 1`,
    [district, from, to, t.config.timeZone, departmentId],
  );
  const { rows: steps } = await t.sql.query<{ k: string | null; dispatches: number; returns: number }>(
    `SELECT ${stepKey} AS k, count(*) FILTER (WHERE e.type = 'dispatch')::int AS dispatches, count(*) FILTER (WHERE e.type = 'return')::int AS returns
       ${cohort.replace('FROM issues i', 'FROM issues i JOIN issue_events e ON e.issue_id = i.id')}
        AND e.type IN ('dispatch', 'return') AND ($5::int IS NULL OR e.data->>'departmentId' = $5::text) AND $4::text IS NOT NULL
      GROUP BY 1`,
    [district, from, to, t.config.timeZone, departmentId],
  );
  const keys = new Set([...rows.map((r) => r.k), ...steps.map((r) => r.k)]);
  return [...keys].map((k) => {
    const r = rows.find((x) => x.k === k);
    const st = steps.find((x) => x.k === k);
    return { k, ...r, dispatches: st?.dispatches ?? 0, returns: st?.returns ?? 0 };
  });
}

async function kpi(groupBy: string, extra = ''): Promise<KpiReport> {
  const res = await t.api.get<KpiReport>(
    `/api/v1/stats/kpi?regionId=${district}&groupBy=${groupBy}&from=${from.toISOString()}&to=${to.toISOString()}${extra}`,
    cast.tokens.viewer!,
  );
  expect(res.status).toBe(200);
  return res.body;
}

/** The API's rows (ours only: the demo issues are not in March 2020) against the plain computation. */
async function expectSameAsPlain(groupBy: 'department' | 'street' | 'month', departmentId: number | null = null) {
  const r = await kpi(groupBy, departmentId === null ? '' : `&departmentId=${departmentId}`);
  const truth = await plain(groupBy, departmentId);
  const keyOf = (row: KpiRow) => (row.key === null ? null : String(row.key));
  const counted = r.rows.filter((x) => x.received > 0 || x.returnRate !== null);
  expect(counted.map(keyOf).sort()).toEqual(truth.map((x) => x.k).sort());
  for (const row of counted) {
    const p = truth.find((x) => x.k === keyOf(row))!;
    expect({
      received: row.received,
      closed: row.closed,
      reopened: row.reopened,
      evaluations: row.evaluations,
      supervisions: row.supervisions,
      returns: row.returns,
      avg: row.avgHandlingMs,
      p90: row.p90HandlingMs,
    }).toEqual({
      received: p.received ?? 0,
      closed: p.closed ?? 0,
      reopened: p.reopened ?? 0,
      evaluations: p.evaluations ?? 0,
      supervisions: p.supervisions ?? 0,
      returns: p.returns,
      avg: p.avg_ms == null ? null : Math.round(p.avg_ms),
      p90: p.p90_ms == null ? null : Math.round(p.p90_ms),
    });
    const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
    expect(row.onTimeCloseRate).toBe(rate(p.on_time ?? 0, p.closed ?? 0));
    expect(row.satisfactionRate).toBe(rate(p.satisfied ?? 0, p.evaluations ?? 0));
    expect(row.returnRate).toBe(rate(p.returns, p.dispatches));
    expect(row.reopenRate).toBe(rate(p.reopened ?? 0, p.resolved ?? 0));
  }
  return r;
}

const applier = () => t.app.get(StatsApplier);

/** Holds the applier's leader row, so the outbox is not applied while `fn` runs (reads must correct for it). */
async function withApplierHeld<T>(fn: () => Promise<T>): Promise<T> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: t.config.databaseUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT 1 FROM stats_state FOR UPDATE');
    return await fn();
  } finally {
    await c.query('ROLLBACK');
    await c.end();
  }
}

it('the answers written out: by department, the total, by street', async () => {
  await applier().drain();
  const r = await kpi('department');
  const row = (k: number | null) => r.rows.find((x) => x.key === k)!;
  expect(row(d.d1)).toMatchObject({
    received: 2,
    closed: 2,
    closeRate: 1,
    onTimeCloseRate: 0.5,
    evaluations: 2,
    satisfactionRate: 0.5,
    supervisions: 1,
    returns: 1,
    returnRate: 0.3333, // D1 was named by 3 dispatches (I2, I3, I4) and I4's return
    reopened: 0,
    reopenRate: 0,
    avgHandlingMs: 65 * MIN,
    p90HandlingMs: 93 * MIN,
  });
  expect(row(d.d2)).toMatchObject({
    received: 2,
    closed: 1,
    onTimeCloseRate: 1, // the approved extension counts
    evaluations: 1,
    satisfactionRate: 1,
    supervisions: 0,
    returns: 0,
    returnRate: 0,
    reopened: 1,
    reopenRate: 0.5,
    avgHandlingMs: 75 * MIN,
    p90HandlingMs: 95 * MIN,
  });
  expect(row(null)).toMatchObject({ name: '未派遣', received: 1, closed: 0, closeRate: 0, onTimeCloseRate: null, avgHandlingMs: null });
  expect(r.total).toMatchObject({
    received: 5,
    closed: 3,
    closeRate: 0.6,
    onTimeCloseRate: 0.6667,
    evaluations: 3,
    satisfactionRate: 0.6667,
    supervisions: 1,
    returns: 1,
    returnRate: 0.25,
    reopened: 1,
    reopenRate: 0.25,
    avgHandlingMs: 70 * MIN,
    p90HandlingMs: 100 * MIN,
  });
  const byStreet = await kpi('street');
  expect(byStreet.rows.find((x) => x.key === s.s1)).toMatchObject({ received: 2, closed: 2, onTimeCloseRate: 0.5, returns: 0 });
  expect(byStreet.rows.find((x) => x.key === s.s2)).toMatchObject({
    received: 3,
    closed: 1,
    onTimeCloseRate: 1,
    returns: 1,
    returnRate: 0.5,
  });
  // A department's figures by street: its own issues, and the steps that named it (I4's dispatch to D1 and D1's return are S2's)
  const d1ByStreet = await kpi('street', `&departmentId=${d.d1}`);
  expect(d1ByStreet.rows.find((x) => x.key === s.s2)).toMatchObject({ received: 0, returns: 1, returnRate: 1 });
});

it('the same figures as the plain SQL, from the roll-up and while the outbox is not applied yet', async () => {
  await applier().drain();
  for (const g of ['department', 'street', 'month'] as const) await expectSameAsPlain(g);
  await expectSameAsPlain('department', d.d1);
  await withApplierHeld(async () => {
    // I5 moves to D1 and gets evaluated, I3's 督办 goes, a new issue arrives on the whole day: all only in the outbox
    await t.sql.query('UPDATE issues SET department_id = $2 WHERE id = $1', [ids.I5, d.d1]);
    await evaluate(ids.I5!, 4);
    await t.sql.query('DELETE FROM supervisions WHERE issue_id = $1', [ids.I3]);
    const i9 = await issue('I9', 30, s.g1, d.d2, 'closed');
    await clock(i9, 30, 20);
    expect(Number((await t.sql.query('SELECT count(*) AS n FROM stats_kpi_outbox')).rows[0].n)).toBeGreaterThan(0);
    for (const g of ['department', 'street', 'month'] as const) await expectSameAsPlain(g);
    const r = await kpi('department');
    expect(r.rows.find((x) => x.key === d.d1)).toMatchObject({ received: 3, evaluations: 3, supervisions: 0, reopened: 1 });
  });
  await applier().drain();
  for (const g of ['department', 'street', 'month'] as const) await expectSameAsPlain(g);
  await expectSameAsPlain('street', d.d2);
});

it('stats:reconcile covers the KPI roll-up: consistent after the batches, a corrupted day row is reported', async () => {
  await applier().drain();
  const ds = t.app.get(DataSource);
  expect(await reconcileRollups(ds, t.config.timeZone)).toEqual([]);
  await withApplierHeld(async () => {
    await t.sql.query(`UPDATE stats_kpi_day SET closed = closed + 7 WHERE day = $1 AND department_id = $2 AND street_id = $3`, [
      at(24),
      d.d2,
      s.s2,
    ]);
    const diff = await reconcileRollups(ds, t.config.timeZone);
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatchObject({ rollup: 'stats_kpi_day' });
    await t.sql.query(`UPDATE stats_kpi_day SET closed = closed - 7 WHERE day = $1 AND department_id = $2 AND street_id = $3`, [
      at(24),
      d.d2,
      s.s2,
    ]);
    await t.sql.query(`UPDATE stats_kpi_issue SET on_time = 1 - on_time WHERE issue_id = $1`, [ids.I3]);
    // the stored fact differs from the tables, and the day row from the stored facts' sum
    expect((await reconcileRollups(ds, t.config.timeZone)).map((x) => x.rollup)).toEqual(['stats_kpi_day', 'stats_kpi_issue']);
    await t.sql.query(`UPDATE stats_kpi_issue SET on_time = 1 - on_time WHERE issue_id = $1`, [ids.I3]);
  });
  expect(await reconcileRollups(ds, t.config.timeZone)).toEqual([]);
});
