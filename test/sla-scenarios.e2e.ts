import {
  LIVE_OVERDUE_SIZE,
  type CategoryView,
  type IssueDetail,
  type IssueEventView,
  type IssueSummary,
  type Page,
} from '@gridline/shared';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { advanceAndSweep, clockOf, continuousPolicies, detail, MIN, recordSlaEvents } from './support/sla';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { WallStatsService } from '../server/src/stats/wall-stats.service';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * SLA scenarios over HTTP with the injected clock: the sweeper is triggered by hand after each
 * move of time (SLA_SWEEP_MS is 0 in tests), so nothing here sleeps.
 */
let t: TestApp;
let cast: Cast;
let events: ReturnType<typeof recordSlaEvents>;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  // Continuous minutes keep these scenarios independent of the weekday and hour the tests run at.
  await continuousPolicies(t, cast.tokens.admin!, cast.category.id, {
    accept: 10,
    dispatch: 10,
    sign: 30,
    handle: 120,
    verify: 60,
    overall: 600,
  });
  await continuousPolicies(t, cast.tokens.admin!, cast.category.id, { handle: 60 }, 'urgent');
  events = recordSlaEvents(t);
});
afterAll(() => t?.close());

const trail = async (id: number) => (await t.api.get<IssueEventView[]>(`/api/v1/issues/${id}/events`, cast.tokens.dispatcher)).body;
const slaTypes = async (id: number) =>
  (await trail(id)).filter((e) => e.type.startsWith('sla.')).map((e) => `${e.type}:${String(e.data.stage)}`);
const supervisions = async (id: number) =>
  (await t.sql.query('SELECT level, region_id, by_user_id FROM supervisions WHERE issue_id = $1 ORDER BY id', [id])).rows;
const due = (d: IssueDetail, stage: Parameters<typeof clockOf>[1]) => Date.parse(clockOf(d, stage).dueAt!);
/** Derived from the firings, independently of sla_open_breaches: the breaches of open stage clocks (f), their issues (i) and grids (g). */
const OPEN_STAGE_BREACHES = `FROM sla_firings f JOIN sla_clocks c ON c.id = f.clock_id JOIN issues i ON i.id = c.issue_id
  JOIN regions g ON g.id = i.grid_id WHERE f.level = 'breach' AND c.stopped_at IS NULL AND c.stage <> 'overall'`;
/** The stages of the issue in sla_open_breaches (what the wall's overdue list reads). */
const openBreaches = async (id: number) =>
  (
    await t.sql.query<{ stage: string }>(
      'SELECT c.stage FROM sla_open_breaches b JOIN sla_clocks c ON c.id = b.clock_id WHERE b.issue_id = $1 ORDER BY c.stage',
      [id],
    )
  ).rows.map((r) => r.stage);

it('starts the accept and overall clocks with the report and shows every clock in the detail', async () => {
  const issue = await report(t.api, cast);
  expect(issue.slaClocks.map((c) => c.stage).sort()).toEqual(['accept', 'overall']);
  const accept = clockOf(issue, 'accept');
  expect(Date.parse(accept.dueAt!) - Date.parse(accept.startedAt)).toBe(10 * MIN);
  expect(accept).toMatchObject({ unit: 'calendar_minutes', target: 10, paused: false, warnedAt: null, breachedAt: null, overdue: false });
  expect(issue.dueAt).toBe(accept.dueAt);
  const read = await detail(t, cast.tokens.dispatcher!, issue.id);
  expect(read.slaClocks).toHaveLength(2);
});

it('fires 黄牌, then 红牌 with a 督办 to the street, then escalates to the district — each once, each in the audit trail', async () => {
  const issue = await report(t.api, cast);
  const mine = () => events.filter((e) => e.payload.issueId === issue.id && e.payload.stage === 'accept');

  await advanceAndSweep(t, 7 * MIN);
  expect(await slaTypes(issue.id)).toEqual([]);
  await advanceAndSweep(t, 31_000); // 7.5 min: 75 % of 10
  expect(await slaTypes(issue.id)).toEqual(['sla.warning:accept']);
  expect(clockOf(await detail(t, cast.tokens.dispatcher!, issue.id), 'accept').warnedAt).not.toBeNull();
  expect(await openBreaches(issue.id)).toEqual([]);

  await advanceAndSweep(t, 2.5 * MIN);
  expect(await slaTypes(issue.id)).toEqual(['sla.warning:accept', 'sla.breached:accept']);
  expect(await openBreaches(issue.id)).toEqual(['accept']);
  const { s1, districtId } = await import('./support/checks').then((m) => m.demoRegions(t));
  expect(await supervisions(issue.id)).toEqual([{ level: 1, region_id: s1, by_user_id: null }]);
  const list = await t.api.get<Page<IssueSummary>>(`/api/v1/issues?overdue=true&pageSize=100`, cast.tokens.dispatcher);
  expect(list.body.items.find((i) => i.id === issue.id)).toMatchObject({ overdue: true });

  await advanceAndSweep(t, 10 * MIN); // one more target period
  expect(await slaTypes(issue.id)).toEqual(['sla.warning:accept', 'sla.breached:accept', 'sla.escalated:accept']);
  expect(await supervisions(issue.id)).toEqual([
    { level: 1, region_id: s1, by_user_id: null },
    { level: 2, region_id: districtId, by_user_id: null },
  ]);
  expect(mine().map((e) => e.name)).toEqual(['sla.started', 'sla.warning', 'sla.breached', 'sla.escalated']);
  expect(mine()[2]!.payload).toMatchObject({ level: 'breach', gridId: cast.gridId, streetId: s1, districtId, supervisionRegionId: s1 });

  await advanceAndSweep(t, 60 * MIN);
  expect(await slaTypes(issue.id)).toEqual(['sla.warning:accept', 'sla.breached:accept', 'sla.escalated:accept']);
  const breached = (await trail(issue.id)).find((e) => e.type === 'sla.breached')!;
  expect(breached.data).toMatchObject({ stage: 'accept', level: 'breach', regionId: s1 });

  // Accepting stops the accept clock (and its timers) and starts the dispatch clock.
  const accepted = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
  expect(clockOf(accepted, 'accept', false).stoppedAt).not.toBeNull();
  expect(clockOf(accepted, 'dispatch').dueAt).not.toBeNull();
  expect(await openBreaches(issue.id)).toEqual([]); // off the overdue list
  expect(
    (
      await t.sql.query(
        'SELECT count(*)::int AS n FROM sla_timers t JOIN sla_clocks c ON c.id = t.clock_id WHERE c.issue_id = $1 AND c.stage = $2',
        [issue.id, 'accept'],
      )
    ).rows[0].n,
  ).toBe(0);
});

it('stands the handle clock still while on hold (挂账) and picks it up on resume', async () => {
  let issue = await issueIn(t.api, cast, 'in_progress');
  await advanceAndSweep(t, 30 * MIN);
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'suspend', { reason: '等待天气好转' });
  expect(clockOf(issue, 'handle')).toMatchObject({ paused: true, dueAt: null });
  expect(issue.dueAt).toBeNull();

  await advanceAndSweep(t, 5 * 60 * MIN); // far past the 2 h target, but on hold
  const held = await detail(t, cast.tokens.dispatcher!, issue.id);
  expect(clockOf(held, 'handle')).toMatchObject({ paused: true, breachedAt: null });
  expect(clockOf(held, 'handle').pausedMs).toBeGreaterThanOrEqual(5 * 60 * MIN);
  expect(await slaTypes(issue.id)).not.toContain('sla.breached:handle');

  const resumedAt = Date.now() + t.clock.offsetMs();
  issue = await act(t.api, cast.tokens.dispatcher!, held, 'resume');
  // 30 of 120 minutes were used before the hold: 90 remain.
  expect(due(issue, 'handle') - resumedAt).toBeGreaterThanOrEqual(90 * MIN - 2000);
  expect(due(issue, 'handle') - resumedAt).toBeLessThanOrEqual(90 * MIN + 2000);
  expect(clockOf(issue, 'handle').remainingMs).toBeGreaterThan(89 * MIN);
  const suspendEvent = (await trail(issue.id)).find((e) => e.type === 'suspend')!;
  expect(suspendEvent.data.sla).toEqual({ paused: ['handle', 'overall'] });
});

it('moves the handle due time by an approved extension, not by a denied one', async () => {
  let issue = await issueIn(t.api, cast, 'in_progress');
  const before = due(issue, 'handle');
  issue = await act(t.api, cast.tokens.lead1!, issue, 'request_extension', { minutes: 60, reason: '材料未到' });
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'decide_extension', { approve: false });
  expect(due(issue, 'handle')).toBe(before);
  issue = await act(t.api, cast.tokens.lead1!, issue, 'request_extension', { minutes: 45, reason: '需要协调' });
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'decide_extension', { approve: true });
  expect(due(issue, 'handle')).toBe(before + 45 * MIN);
  expect(clockOf(issue, 'handle').extendedMs).toBe(45 * MIN);
  expect(clockOf(issue, 'overall').extendedMs).toBe(45 * MIN);
  const decided = (await trail(issue.id)).filter((e) => e.type === 'decide_extension');
  expect(decided.map((e) => e.data.sla ?? null)).toEqual([null, { extended: ['handle', 'overall'] }]);
});

it('recomputes due times on a change of priority, keeping the time used and the time paused', async () => {
  let issue = await issueIn(t.api, cast, 'in_progress');
  await advanceAndSweep(t, 20 * MIN);
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'suspend', { reason: '挂账' });
  await advanceAndSweep(t, 60 * MIN);
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'resume');
  await advanceAndSweep(t, 10 * MIN);
  const at = Date.now() + t.clock.offsetMs();
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'reclassify', { priority: 'urgent', note: '涉及安全隐患' });
  expect(issue.priority).toBe('urgent');
  const handle = clockOf(issue, 'handle');
  // urgent: 60 min to handle; 30 used (20 + 10), so 30 remain; the hour on hold is kept and not counted.
  expect(handle.target).toBe(60);
  expect(Date.parse(handle.dueAt!) - at).toBeGreaterThanOrEqual(30 * MIN - 2000);
  expect(Date.parse(handle.dueAt!) - at).toBeLessThanOrEqual(30 * MIN + 2000);
  expect(handle.pausedMs).toBeGreaterThanOrEqual(60 * MIN);
  const event = (await trail(issue.id)).find((e) => e.type === 'reclassify')!;
  expect(event.data).toMatchObject({
    from: { priority: 'normal' },
    to: { priority: 'urgent' },
    sla: { recomputed: expect.arrayContaining(['handle', 'overall']) },
  });

  await advanceAndSweep(t, 31 * MIN);
  expect(await slaTypes(issue.id)).toContain('sla.breached:handle');
});

it('recomputes due times on a change of category mid-flight, keeping the time used', async () => {
  const categories = (await t.api.get<CategoryView[]>('/api/v1/categories', cast.tokens.admin)).body;
  const other = categories.find((c) => c.parentId !== null && c.id !== cast.category.id)!;
  await continuousPolicies(t, cast.tokens.admin!, other.id, { handle: 240, overall: 900 });
  let issue = await issueIn(t.api, cast, 'in_progress');
  await advanceAndSweep(t, 40 * MIN);
  const at = Date.now() + t.clock.offsetMs();
  issue = await act(t.api, cast.tokens.dispatcher!, issue, 'reclassify', { categoryId: other.id });
  expect(issue.categoryId).toBe(other.id);
  const handle = clockOf(issue, 'handle');
  expect(handle.target).toBe(240);
  // 40 of the new 240 minutes are used: 200 remain.
  expect(Date.parse(handle.dueAt!) - at).toBeGreaterThanOrEqual(200 * MIN - 2000);
  expect(Date.parse(handle.dueAt!) - at).toBeLessThanOrEqual(200 * MIN + 2000);
  expect(clockOf(issue, 'overall').target).toBe(900);
});

it('refuses a reclassify without a change, or to an unknown category, with stable codes', async () => {
  const issue = await report(t.api, cast);
  const empty = await t.api.post(`/api/v1/issues/${issue.id}/actions/reclassify`, { version: issue.version }, cast.tokens.dispatcher);
  expect({ status: empty.status, code: empty.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  const unknown = await t.api.post(
    `/api/v1/issues/${issue.id}/actions/reclassify`,
    { version: issue.version, categoryId: 99999 },
    cast.tokens.dispatcher,
  );
  expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 422, code: 'UNKNOWN_REFERENCE' });
  const bad = await t.api.post(
    `/api/v1/issues/${issue.id}/actions/reclassify`,
    { version: issue.version, priority: 'asap' },
    cast.tokens.dispatcher,
  );
  expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
});

it('runs the whole lifecycle with one clock per stage, stopped in order', async () => {
  const closed = await issueIn(t.api, cast, 'closed');
  const stages = closed.slaClocks.map((c) => c.stage);
  expect(stages).toEqual(['accept', 'overall', 'dispatch', 'sign', 'handle', 'verify']);
  expect(closed.slaClocks.every((c) => c.stoppedAt !== null)).toBe(true);
  expect(closed.dueAt).toBeNull();
  expect(
    (
      await t.sql.query('SELECT count(*)::int AS n FROM sla_timers t JOIN sla_clocks c ON c.id = t.clock_id WHERE c.issue_id = $1', [
        closed.id,
      ])
    ).rows[0].n,
  ).toBe(0);
});

it("keeps sla_open_breaches equal to the breaches of open stage clocks, with their grids' paths, after every scenario above", async () => {
  const derived = await t.sql.query(`SELECT f.clock_id::text, c.issue_id, f.fired_at, g.path ${OPEN_STAGE_BREACHES} ORDER BY 1`);
  const kept = await t.sql.query('SELECT clock_id::text, issue_id, fired_at, path FROM sla_open_breaches ORDER BY 1');
  expect(derived.rows.length).toBeGreaterThan(0); // the scenarios left some overdue
  expect(kept.rows).toEqual(derived.rows);
});

it("counts the wall's overdue now per region as the open breaches in it (breaches summed per grid and statement)", async () => {
  await t.app.get(StatsApplier).drain();
  const { rows } = await t.sql.query<{ region_id: number; counted: number; derived: number }>(
    `SELECT s.region_id, s.overdue::int AS counted,
            (SELECT count(*)::int FROM sla_open_breaches b JOIN issues i ON i.id = b.issue_id JOIN regions g ON g.id = i.grid_id
              WHERE s.region_id = ANY(g.path)) AS derived
       FROM stats_sla s`,
  );
  expect(rows.some((r) => r.derived > 1)).toBe(true); // some region with several, fired by one sweep
  expect(rows.filter((r) => r.counted !== r.derived)).toEqual([]);
});

it("lists in each region's overdue list its own open breaches only, the latest first", async () => {
  const { rows: regions } = await t.sql.query<{ id: number }>(
    `SELECT DISTINCT unnest(g.path) AS id FROM sla_open_breaches b JOIN issues i ON i.id = b.issue_id JOIN regions g ON g.id = i.grid_id`,
  );
  const { rows: grids } = await t.sql.query<{ id: number }>(`SELECT id FROM regions WHERE level = 'grid' LIMIT 3`);
  const walls = t.app.get(WallStatsService);
  for (const { id } of [...regions, ...grids]) {
    const { rows: derived } = await t.sql.query<{ issueId: number; stage: string }>(
      `SELECT i.id AS "issueId", c.stage ${OPEN_STAGE_BREACHES} AND $1 = ANY(g.path) ORDER BY f.fired_at DESC, f.clock_id DESC LIMIT $2`,
      [id, LIVE_OVERDUE_SIZE],
    );
    const shown = (await walls.read(id)).overdue.map((o) => ({ issueId: o.issueId, stage: o.stage }));
    expect({ id, shown }).toEqual({ id, shown: derived });
  }
  expect(regions.length).toBeGreaterThan(3); // the district and its street, community and grid, at least
});
