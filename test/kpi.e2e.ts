import ExcelJS from 'exceljs';
import { KPI_COLUMNS, type IssueDetail, type KpiReport, type KpiRow } from '@gridline/shared';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { advanceAndSweep, continuousPolicies, MIN } from './support/sla';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { WallStatsService } from '../server/src/stats/wall-stats.service';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * 考核 KPIs (`GET /stats/kpi`, `.xlsx`) against a hand-built fixture with known outcomes, walked
 * through the real API in worker1's grid with continuous-minute targets (overall 60 min):
 *
 *   A  closed at once                                  on time   评价 5
 *   B  closed after 100 min                            late      评价 2
 *   C  on hold (挂账) 100 min, then closed at once      on time   评价 4  (the hold does not count)
 *   D  extension of 120 min approved, closed at 100    on time   评价 3  (the extension counts)
 *   E  returned once, re-dispatched, reopened once     on time
 *   F  urgent, left unaccepted (accept target 30 min)  overdue now, not dispatched
 */
let t: TestApp;
let cast: Cast;
let from: string;
let to: string;
const ids: Record<string, number> = {};

const tok = (name: string) => cast.tokens[name]!;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  const far = 10_000;
  await continuousPolicies(t, tok('admin'), cast.category.id, {
    accept: far,
    dispatch: far,
    sign: far,
    handle: far,
    verify: far,
    overall: 60,
  });
  await continuousPolicies(t, tok('admin'), cast.category.id, { accept: 30 }, 'urgent');
  from = new Date(t.clock.now().getTime() - 1000).toISOString();
  to = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
  await build();
}, 120_000);
afterAll(() => t?.close());

async function signed(): Promise<IssueDetail> {
  let i = await report(t.api, cast);
  i = await act(t.api, tok('dispatcher'), i, 'accept');
  i = await act(t.api, tok('dispatcher'), i, 'dispatch', { departmentId: cast.departmentId });
  return act(t.api, tok('lead1'), i, 'sign', { assigneeId: cast.users.staff1!.id });
}

async function closeIt(i: IssueDetail): Promise<IssueDetail> {
  i = await act(t.api, tok('staff1'), i, 'resolve', { note: '已处置' });
  return act(t.api, tok('worker1'), i, 'verify');
}

async function build() {
  let a = await signed();
  let b = await signed();
  let c = await signed();
  let d = await signed();
  let e = await report(t.api, cast);
  const f = await report(t.api, cast, { priority: 'urgent' });
  Object.assign(ids, { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id, f: f.id });

  a = await closeIt(a);
  a = await act(t.api, tok('worker1'), a, 'evaluate', { score: 5 });

  c = await act(t.api, tok('dispatcher'), c, 'suspend', { reason: '等待天气好转' });
  d = await act(t.api, tok('lead1'), d, 'request_extension', { minutes: 120, reason: '需协调产权单位' });
  d = await act(t.api, tok('dispatcher'), d, 'decide_extension', { approve: true });

  e = await act(t.api, tok('dispatcher'), e, 'accept');
  e = await act(t.api, tok('dispatcher'), e, 'dispatch', { departmentId: cast.departmentId });
  e = await act(t.api, tok('lead1'), e, 'return', { reason: '不属于本部门职责' });
  e = await act(t.api, tok('dispatcher'), e, 'dispatch', { departmentId: cast.departmentId });
  e = await act(t.api, tok('lead1'), e, 'sign', { assigneeId: cast.users.staff1!.id });
  e = await act(t.api, tok('staff1'), e, 'resolve', { note: '已处置' });
  e = await act(t.api, tok('worker1'), e, 'reopen', { reason: '现场仍有垃圾' });
  e = await closeIt(e);

  await advanceAndSweep(t, 50 * MIN);
  await advanceAndSweep(t, 50 * MIN);

  b = await closeIt(b);
  b = await act(t.api, tok('worker1'), b, 'evaluate', { score: 2 });
  c = await act(t.api, tok('dispatcher'), c, 'resume');
  c = await closeIt(c);
  c = await act(t.api, tok('dispatcher'), c, 'evaluate', { score: 4 });
  d = await closeIt(d);
  d = await act(t.api, tok('dispatcher'), d, 'evaluate', { score: 3 });
}

async function kpi(name: string, query: string): Promise<KpiReport> {
  const res = await t.api.get<KpiReport>(
    `/api/v1/stats/kpi?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&${query}`,
    tok(name),
  );
  expect(res.status).toBe(200);
  return res.body;
}

/** The truth the fixture does not fix by hand: 督办 rows of its issues, and what is overdue now in the grid. */
async function truth(departmentId: number | null) {
  const { rows: sup } = await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM supervisions WHERE issue_id = ANY($1)', [
    Object.values(ids).filter((id) => departmentId === null || id !== ids.f),
  ]);
  const { rows: overdue } = await t.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM issues WHERE grid_id = $1 AND sla_due_at < $2 AND ($3::int IS NULL OR department_id = $3)`,
    [cast.gridId, t.clock.now(), departmentId],
  );
  return { supervisions: sup[0]!.n, overdueNow: overdue[0]!.n };
}

const HANDLED: Partial<KpiRow> = {
  closed: 5,
  closeRate: null, // set per row
  onTimeCloseRate: 0.8,
  evaluations: 4,
  satisfactionRate: 0.5,
  returns: 1,
  returnRate: 0.1667,
  reopened: 1,
  reopenRate: 0.2,
};

function expectHandled(row: KpiRow, received: number) {
  expect(row).toMatchObject({ ...HANDLED, received, closeRate: Math.round((5 / received) * 10_000) / 10_000 });
  // A, C, E ≈ 0 (C's hold does not count), B and D 100 min: the mean is 40 min, give or take the seconds the walk took
  expect(Math.abs(row.avgHandlingMs! - 40 * MIN)).toBeLessThan(MIN);
  expect(Math.abs(row.p90HandlingMs! - 100 * MIN)).toBeLessThan(MIN);
}

it('the department row and the total: 按期结案率 without holds and with approved extensions, 满意率, 退回率, 返工率, 督办数', async () => {
  const r = await kpi('dispatcher', `regionId=${cast.gridId}&groupBy=department`);
  const dept = r.rows.find((x) => x.key === cast.departmentId)!;
  expectHandled(dept, 5);
  const dt = await truth(cast.departmentId);
  expect(dept.supervisions).toBe(dt.supervisions);
  expect(dept.supervisions).toBeGreaterThanOrEqual(1); // B breached its overall clock: an automatic 督办
  expect(dept.overdueNow).toBe(dt.overdueNow);
  const none = r.rows.find((x) => x.key === null)!;
  expect(none).toMatchObject({ name: '未派遣', received: 1, closed: 0, closeRate: 0, onTimeCloseRate: null });
  expectHandled(r.total, 6);
  const all = await truth(null);
  expect(r.total.supervisions).toBe(all.supervisions);
  expect(r.total.overdueNow).toBe(all.overdueNow);
  expect(r.total.overdueNow).toBeGreaterThanOrEqual(1); // F
  expect(r.rows.map((x) => x.rank)).toEqual(r.rows.map((_, i) => i + 1));
});

it('grouped by street and by month, the same issues add up the same way', async () => {
  const street = cast.users.dispatcher_s1!.regionId!;
  const byStreet = await kpi('viewer', `regionId=${cast.gridId}&groupBy=street`);
  expect(byStreet.rows).toHaveLength(1);
  expect(byStreet.rows[0]).toMatchObject({ key: street, received: 6, closed: 5, onTimeCloseRate: 0.8, returns: 1, reopened: 1 });
  const byMonth = await kpi('viewer', `regionId=${cast.gridId}&groupBy=month`);
  expect(byMonth.rows.reduce((n, x) => n + x.received, 0)).toBe(6);
});

it('scope: department leads their own department only, region roles their subtree, others not at all', async () => {
  const own = await kpi('lead1', 'groupBy=department&regionId=' + cast.gridId);
  expect(own.rows.map((x) => x.key)).toEqual([cast.departmentId]);
  expectHandled(own.rows[0]!, 5);
  const other = cast.users.lead2!.departmentId!;
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  expect((await t.api.get(`/api/v1/stats/kpi?${q}&departmentId=${other}`, tok('lead1'))).status).toBe(404);
  expect((await t.api.get(`/api/v1/stats/kpi?${q}&regionId=${cast.gridId}`, tok('viewer_s2'))).status).toBe(404);
  expect((await t.api.get(`/api/v1/stats/kpi?${q}`, tok('worker1'))).status).toBe(403);
  expect((await t.api.get(`/api/v1/stats/kpi?${q}`, tok('staff1'))).status).toBe(403);
  expect((await t.api.get(`/api/v1/stats/kpi.xlsx?${q}&departmentId=${other}`, tok('lead1'))).status).toBe(404);
  expect((await t.api.get(`/api/v1/stats/kpi?${q}&groupBy=category`, tok('viewer'))).status).toBe(400);
  const backwards = await t.api.get<{ code: string }>(
    `/api/v1/stats/kpi?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
    tok('viewer'),
  );
  expect(backwards.status).toBe(422);
  expect(backwards.body.code).toBe('KPI_RANGE_INVALID');
});

it('the xlsx export has one sheet per grouping with Chinese headers and the same figures', async () => {
  const res = await fetch(
    `${t.baseUrl}/api/v1/stats/kpi.xlsx?regionId=${cast.gridId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    { headers: { authorization: `Bearer ${tok('dispatcher')}` } },
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  expect(book.worksheets.map((s) => s.name)).toEqual(['按部门', '按街道', '按月']);
  const sheet = book.getWorksheet('按部门')!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(header).toEqual(KPI_COLUMNS.map((c) => c.zh));
  const col = (zh: string) => KPI_COLUMNS.findIndex((c) => c.zh === zh) + 1;
  const rows = [];
  for (let n = 2; n <= sheet.rowCount; n++) rows.push(sheet.getRow(n));
  const total = rows.find((r) => r.getCell(col('名称')).value === '合计')!;
  expect(total.getCell(col('受理量')).value).toBe(6);
  expect(total.getCell(col('结案量')).value).toBe(5);
  expect(total.getCell(col('按期结案率')).value).toBe(0.8);
  expect(total.getCell(col('满意率')).value).toBe(0.5);
  expect(total.getCell(col('返工率')).value).toBe(0.2);
});

it("the wall's department ranking shows 按期率 from the roll-ups, equal to the clocks' truth", async () => {
  await t.app.get(StatsApplier).drain();
  const wall = await t.app.get(WallStatsService).read(cast.gridId);
  const { rows } = await t.sql.query<{ resolved: number; on_time: number }>(
    `SELECT count(*)::int AS resolved, (count(*) FILTER (WHERE k.used_ms <= k.target_ms + k.extended_ms))::int AS on_time
       FROM sla_clocks k JOIN issues i ON i.id = k.issue_id
      WHERE k.stage = 'overall' AND k.stopped_at IS NOT NULL AND i.grid_id = $1 AND i.department_id = $2`,
    [cast.gridId, cast.departmentId],
  );
  const dept = wall.departments.find((d) => d.departmentId === cast.departmentId)!;
  expect(rows[0]!.resolved).toBeGreaterThanOrEqual(5);
  expect(dept.onTimeRate).toBeCloseTo(rows[0]!.on_time / rows[0]!.resolved, 6);
});
