import { ISSUE_STATUSES, type IssueStatus, type StatsOverview } from '@gridline/shared';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { act, loadCast, photo, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The wall snapshot (`GET /api/v1/stats/overview`) against COUNT(*) truth taken straight from
 * the issues table, for the district and for a street, in total and for today (Asia/Shanghai).
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let cityId: number;
let s1: number;
let s2: number;

const DAY_MS = 24 * 3600_000;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  const { rows } = await t.sql.query<{ id: number; code: string }>(
    `SELECT id, code FROM regions WHERE code IN ('C01', 'D01', 'D01S01', 'D01S02')`,
  );
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  cityId = byCode.get('C01')!;
  districtId = byCode.get('D01')!;
  s1 = byCode.get('D01S01')!;
  s2 = byCode.get('D01S02')!;
  // Keep "today" one day for the whole file: step the server clock past a Shanghai midnight that is minutes away.
  const shanghaiMs = t.clock.now().getTime() + 8 * 3600_000;
  const toMidnight = DAY_MS - (shanghaiMs % DAY_MS);
  if (toMidnight < 5 * 60_000) t.clock.advance(toMidnight + 60_000);
});
afterAll(() => t?.close());

const tok = (name: string) => cast.tokens[name]!;

/** The overview reads roll-ups, which trail commits by one applier tick: wait for them to catch up first. */
async function overview(name: string, regionId?: number): Promise<StatsOverview> {
  await t.app.get(StatsApplier).drain();
  const res = await t.api.get<StatsOverview>(`/api/v1/stats/overview${regionId === undefined ? '' : `?regionId=${regionId}`}`, tok(name));
  expect(res.status).toBe(200);
  return res.body;
}

/** The SQL truth for a region column (district_id / street_id) at the instant `asOf`. */
async function truth(column: 'district_id' | 'street_id', regionId: number, asOf: string) {
  // the day start is computed by PostgreSQL here, independently of the server's own code
  const { rows: day } = await t.sql.query<{ start: Date; day: string }>(
    `SELECT (date_trunc('day', $1::timestamptz AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai') AS start,
            to_char($1::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day`,
    [asOf],
  );
  const start = day[0]!.start;
  const { rows } = await t.sql.query<{ status: IssueStatus; total: number; today: number }>(
    `SELECT status, count(*)::int AS total, (count(*) FILTER (WHERE reported_at >= $2))::int AS today
       FROM issues WHERE ${column} = $1 GROUP BY status`,
    [regionId, start],
  );
  const { rows: done } = await t.sql.query<{ resolved: number; closed: number }>(
    `SELECT (count(*) FILTER (WHERE resolved_at >= $2))::int AS resolved, (count(*) FILTER (WHERE closed_at >= $2))::int AS closed
       FROM issues WHERE ${column} = $1`,
    [regionId, start],
  );
  const byStatus = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;
  const todayBy = { ...byStatus };
  for (const r of rows) {
    byStatus[r.status] = r.total;
    todayBy[r.status] = r.today;
  }
  const sum = (m: Record<IssueStatus, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  return {
    day: day[0]!.day,
    total: { total: sum(byStatus), byStatus },
    today: { total: sum(todayBy), byStatus: todayBy, resolved: done[0]!.resolved, closed: done[0]!.closed },
  };
}

function expectConsistent(o: StatsOverview) {
  const sum = (m: Record<IssueStatus, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  expect(Object.keys(o.total.byStatus).sort()).toEqual([...ISSUE_STATUSES].sort());
  expect(o.total.total).toBe(sum(o.total.byStatus));
  expect(o.today.total).toBe(sum(o.today.byStatus));
  for (const s of ISSUE_STATUSES) expect(o.today.byStatus[s]).toBeLessThanOrEqual(o.total.byStatus[s]);
}

describe('the overview equals COUNT(*) truth', () => {
  it.each(['viewer', 'dispatcher'])('%s: default region is their own (the district)', async (name) => {
    const o = await overview(name);
    expect(o.regionId).toBe(districtId);
    expectConsistent(o);
    expect({ day: o.day, total: o.total, today: o.today }).toEqual(await truth('district_id', districtId, o.asOf));
    expect(o.total.total).toBeGreaterThan(1000);
  });

  it('admin: defaults to the root (the city, holding the one district) and may ask for any region', async () => {
    const o = await overview('admin');
    expect(o.regionId).toBe(cityId);
    expectConsistent(o);
    expect({ day: o.day, total: o.total, today: o.today }).toEqual(await truth('district_id', districtId, o.asOf));
    const street = await overview('admin', s2);
    expect(street.regionId).toBe(s2);
    expect({ day: street.day, total: street.total, today: street.today }).toEqual(await truth('street_id', s2, street.asOf));
  });

  it('a street: as the district dispatcher asking for it, and as the street dispatcher by default', async () => {
    const asked = await overview('dispatcher', s1);
    const own = await overview('dispatcher_s1');
    expect(own.regionId).toBe(s1);
    expectConsistent(own);
    const want = await truth('street_id', s1, own.asOf);
    expect({ day: own.day, total: own.total, today: own.today }).toEqual(want);
    expect({ total: asked.total, today: asked.today }).toEqual({ total: want.total, today: want.today });
    const district = await overview('dispatcher');
    expect(own.total.total).toBeLessThan(district.total.total);
  });

  it('names the Shanghai calendar day it counts "today" for', async () => {
    const o = await overview('viewer');
    const shanghaiDay = new Date(new Date(o.asOf).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(o.day).toBe(shanghaiDay);
  });

  it('refuses bad region ids', async () => {
    for (const q of ['regionId=abc', 'regionId=0', 'regionId=-1', 'region=1']) {
      const res = await t.api.get(`/api/v1/stats/overview?${q}`, tok('admin'));
      expect({ q, status: res.status, code: res.body.code }).toEqual({ q, status: 400, code: 'VALIDATION_FAILED' });
    }
    const missing = await t.api.get('/api/v1/stats/overview?regionId=999999', tok('admin'));
    expect(missing.status).toBe(404);
  });
});

describe('the overview moves with the work', () => {
  it('reporting 3 issues and settling one on the spot, then closing it, moves the counts by exactly that', async () => {
    const before = { district: await overview('viewer'), s1: await overview('dispatcher_s1'), s2: await overview('viewer_s2') };

    const issues = [await report(t.api, cast), await report(t.api, cast), await report(t.api, cast)];
    const mid = await overview('dispatcher_s1');
    expect(mid.total.total).toBe(before.s1.total.total + 3);
    expect(mid.total.byStatus.reported).toBe(before.s1.total.byStatus.reported + 3);
    expect(mid.today.total).toBe(before.s1.today.total + 3);
    expect(mid.today.byStatus.reported).toBe(before.s1.today.byStatus.reported + 3);

    const resolved = await act(t.api, tok('worker1'), issues[0]!, 'resolve_on_site', { note: '现场已处理' }, [photo()]);
    const afterResolve = await overview('dispatcher_s1');
    expect(afterResolve.total.byStatus.resolved).toBe(before.s1.total.byStatus.resolved + 1);
    expect(afterResolve.today.resolved).toBe(before.s1.today.resolved + 1);
    expect(afterResolve.today.closed).toBe(before.s1.today.closed);
    await act(t.api, tok('dispatcher'), resolved, 'verify', { note: '核查通过' });

    const after = { district: await overview('viewer'), s1: await overview('dispatcher_s1'), s2: await overview('viewer_s2') };
    for (const key of ['district', 's1'] as const) {
      const b = before[key];
      const a = after[key];
      expectConsistent(a);
      expect(a.total.total - b.total.total).toBe(3);
      expect(a.today.total - b.today.total).toBe(3);
      const moved = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, a.total.byStatus[s] - b.total.byStatus[s]]));
      const movedToday = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, a.today.byStatus[s] - b.today.byStatus[s]]));
      const want = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, s === 'reported' ? 2 : s === 'closed' ? 1 : 0]));
      expect({ key, moved }).toEqual({ key, moved: want });
      expect({ key, movedToday }).toEqual({ key, movedToday: want });
      // the one settled on the spot was resolved today and closed today
      expect(a.today.resolved - b.today.resolved).toBe(1);
      expect(a.today.closed - b.today.closed).toBe(1);
    }
    // another street does not move
    expect({ total: after.s2.total, today: after.s2.today }).toEqual({ total: before.s2.total, today: before.s2.today });
    // and the new numbers are still the truth
    const s1Truth = await truth('street_id', s1, after.s1.asOf);
    expect({ day: after.s1.day, total: after.s1.total, today: after.s1.today }).toEqual(s1Truth);
  });

  it('a new day starts with the day before no longer counted as today', async () => {
    const o = await overview('viewer');
    t.clock.advance(DAY_MS);
    try {
      const next = await overview('viewer');
      expect(next.day).not.toBe(o.day);
      expect(next.total).toEqual(o.total);
      expect({ day: next.day, total: next.total, today: next.today }).toEqual(await truth('district_id', districtId, next.asOf));
      // nothing was reported on the new day yet; the seed's history ends at "now"
      expect(next.today.total).toBe(0);
    } finally {
      t.clock.advance(-DAY_MS);
    }
  });
});
