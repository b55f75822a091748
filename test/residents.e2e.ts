import type {
  CategoryView,
  EventPage,
  IssueDetail,
  ResidentCategoryView,
  ResidentIssueDetail,
  ResidentIssueSummary,
} from '@gridline/shared';
import { EventRelay } from '../server/src/events/event-relay.service';
import { InfoRequestLapses } from '../server/src/residents/info-request-lapses.service';
import { DEMO_RESIDENT_PHONES, fakeJpeg, residentLogin } from './support/api-client';
import { act, loadCast, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Residents report in plain terms, follow only their own issues, answer a department's
 * question (the handle clock stands still meanwhile), evaluate after close (不满意 → a reopen
 * request for the dispatcher), and join an open issue nearby as "me too".
 */
let t: TestApp;
let cast: Cast;
let res1: string;
let res2: string;
let category: ResidentCategoryView;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  res1 = cast.tokens.res1!;
  res2 = (await residentLogin(t.api, DEMO_RESIDENT_PHONES.res2)).accessToken;
  const offered = (await t.api.get<ResidentCategoryView[]>('/api/v1/resident/categories', res1)).body;
  const all = (await t.api.get<CategoryView[]>('/api/v1/categories', cast.tokens.admin)).body;
  // One handled by lead1's department, with no photo rules, so the walk below needs none.
  category = offered.find((c) => {
    const full = all.find((a) => a.id === c.id)!;
    return full.defaultDepartmentId === cast.departmentId && !full.photoRequiredOnReport && !full.photoRequiredOnResolve;
  })!;
  const centre = await gridCentre(t.api, cast.tokens.admin!, cast.gridId);
  here = { lat: centre.latitude, lng: centre.longitude };
});
afterAll(() => t?.close());

const issueCount = async () => (await t.sql.query('SELECT count(*)::int AS n FROM issues')).rows[0].n as number;
const residentReport = (token: string, body: object, photos?: Buffer[]) =>
  t.api.request<IssueDetail & { code?: string; details?: any }>('POST', '/api/v1/issues', {
    token,
    body: { categoryId: category.id, description: '楼下垃圾桶满了好几天没人清', ...here, ...body },
    photos: photos?.map((bytes) => ({ bytes })),
  });
const mine = async (token: string) => (await t.api.get<ResidentIssueSummary[]>('/api/v1/resident/issues', token)).body;
const progress = async (token: string, id: number) => (await t.api.get<ResidentIssueDetail>(`/api/v1/resident/issues/${id}`, token)).body;

it('offers residents plain category names with icons, grouped by 大类', () => {
  expect(category).toMatchObject({ name: expect.any(String), icon: expect.stringMatching(/^[a-z]/), group: expect.any(String) });
});

it('takes a resident report with source resident, linked to their contact, visible to them alone', async () => {
  const res = await residentReport(res1, { address: '幸福路12号' }, [fakeJpeg()]);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ source: 'resident', gridId: cast.gridId, residentContact: null });
  const { rows } = await t.sql.query('SELECT r.phone FROM issues i JOIN residents r ON r.id = i.resident_id WHERE i.id = $1', [
    res.body.id,
  ]);
  expect(rows).toEqual([{ phone: DEMO_RESIDENT_PHONES.res1 }]);

  expect((await mine(res1)).map((i) => i.id)).toContain(res.body.id);
  expect((await mine(res2)).map((i) => i.id)).not.toContain(res.body.id);
  // Every issue read answers 404 to another resident, and their lists leave it out.
  expect((await t.api.get(`/api/v1/resident/issues/${res.body.id}`, res2)).status).toBe(404);
  expect((await t.api.get(`/api/v1/issues/${res.body.id}`, res2)).status).toBe(404);
  expect((await t.api.get(`/api/v1/issues/${res.body.id}/events`, res2)).status).toBe(404);
  const list = (await t.api.get<{ items: { id: number; reporterId: number }[] }>('/api/v1/issues?mine=true&pageSize=100', res2)).body;
  expect(list.items.map((i) => i.id)).not.toContain(res.body.id);
  const all = (await t.api.get<{ items: { reporterId: number }[]; total: number }>('/api/v1/issues?pageSize=100', res1)).body;
  expect(all.items.every((i) => i.reporterId === cast.users.res1!.id)).toBe(true);
  // Residents read no statistics and act on no one else's issue.
  expect((await t.api.get('/api/v1/stats/overview', res1)).status).toBeGreaterThanOrEqual(403);
});

it('refuses bad reports with stable codes and writes nothing', async () => {
  const before = await issueCount();
  const staffOnly = (await t.api.get<CategoryView[]>('/api/v1/categories', cast.tokens.admin)).body.find(
    (c) => c.parentId !== null && !c.name.includes(category.name),
  )!;
  const offeredIds = new Set((await t.api.get<ResidentCategoryView[]>('/api/v1/resident/categories', res1)).body.map((c) => c.id));
  const notOffered = (await t.api.get<CategoryView[]>('/api/v1/categories', cast.tokens.admin)).body.find(
    (c) => c.parentId !== null && !offeredIds.has(c.id),
  )!;
  expect(staffOnly).toBeDefined();
  const cases: [object, number, string][] = [
    [{ categoryId: notOffered.id }, 422, 'UNKNOWN_REFERENCE'],
    [{ categoryId: 999_999 }, 422, 'UNKNOWN_REFERENCE'],
    [{ lat: 91, lng: 121 }, 400, 'VALIDATION_FAILED'],
    [{ lat: 31, lng: 181 }, 400, 'VALIDATION_FAILED'],
    [{ source: 'hotline' }, 400, 'VALIDATION_FAILED'],
    [{ description: '' }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [body, status, code] of cases) {
    const res = await residentReport(res1, body);
    expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
  }
  // Far outside every grid: 422 with the nearest grid to choose instead.
  const far = await residentReport(res1, { lat: here.lat + 0.5, lng: here.lng });
  expect(far.status).toBe(422);
  expect(far.body.code).toBe('LOCATION_NOT_IN_ANY_GRID');
  expect(far.body.details.nearestGrid).toMatchObject({ id: expect.any(Number), name: expect.any(String), distanceM: expect.any(Number) });
  expect(await issueCount()).toBe(before);
});

it('walks a report to close in plain language: question answered with the clock paused, evaluation, reopen request', async () => {
  const d = cast.tokens;
  let issue: { id: number; version: number } = (await residentReport(res1, {})).body;
  issue = await act(t.api, d.dispatcher!, issue, 'accept');
  issue = await act(t.api, d.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
  issue = await act(t.api, d.lead1!, issue, 'sign');
  let view = await progress(res1, issue.id);
  expect(view.timeline.map((e) => e.step)).toEqual(['submitted', 'accepted', 'dispatched', 'processing']);
  expect(view.timeline[2]!.departmentName).toEqual(expect.any(String));
  expect(view.departmentName).toBe(view.timeline[2]!.departmentName);
  expect(view.expectedAt).not.toBeNull();

  // The department asks; the handle clock stands still until the resident answers.
  issue = await act(t.api, d.lead1!, issue, 'request_info', { note: '请拍一张垃圾桶的近照' });
  const handle = async () =>
    (
      await t.sql.query(
        `SELECT running_since, paused_since FROM sla_clocks WHERE issue_id = $1 AND stage = 'handle' AND stopped_at IS NULL`,
        [issue.id],
      )
    ).rows[0];
  expect((await handle()).running_since).toBeNull();
  view = await progress(res1, issue.id);
  expect(view).toMatchObject({ step: 'info_requested', canAnswer: true, infoRequest: { question: '请拍一张垃圾桶的近照' } });
  // Asking twice while waiting, or answering as someone else, is refused.
  expect(
    (await t.api.post(`/api/v1/issues/${issue.id}/actions/request_info`, { version: issue.version, note: '再问' }, d.lead1)).body.code,
  ).toBe('INFO_ALREADY_REQUESTED');
  expect((await t.api.post(`/api/v1/issues/${issue.id}/actions/provide_info`, { version: issue.version, note: 'x' }, res2)).status).toBe(
    404,
  );
  expect((await t.api.post(`/api/v1/issues/${issue.id}/actions/provide_info`, { version: issue.version }, res1)).body.code).toBe(
    'VALIDATION_FAILED',
  );
  issue = await act(t.api, res1, issue, 'provide_info', { note: '已补拍' }, [fakeJpeg()]);
  expect((await handle()).running_since).not.toBeNull();
  expect(
    (await t.api.post(`/api/v1/issues/${issue.id}/actions/provide_info`, { version: issue.version, note: '又一次' }, res1)).body.code,
  ).toBe('INFO_NOT_REQUESTED');

  issue = await act(t.api, d.lead1!, issue, 'resolve', { note: '已清运' }, [fakeJpeg()]);
  // Not closed yet: no evaluation.
  const early = await t.api.post(`/api/v1/resident/issues/${issue.id}/evaluate`, { version: issue.version, rating: 'satisfied' }, res1);
  expect(early.body.code).toBe('ISSUE_ACTION_NOT_ALLOWED');
  issue = await act(t.api, d.dispatcher!, issue, 'verify');
  view = await progress(res1, issue.id);
  expect(view.timeline.map((e) => e.step)).toEqual([
    'submitted',
    'accepted',
    'dispatched',
    'processing',
    'info_requested',
    'info_answered',
    'resolved',
    'closed',
  ]);
  expect(view.timeline.find((e) => e.step === 'resolved')!.note).toBe('已清运');
  expect(view).toMatchObject({ status: 'closed', step: 'closed', canEvaluate: true, expectedAt: null });
  expect(view.afterPhotos).toHaveLength(1);

  // 不满意 within 7 days: evaluation score 1 and a reopen request for the dispatcher, the issue stays closed.
  const bad = await t.api.post<ResidentIssueDetail>(
    `/api/v1/resident/issues/${issue.id}/evaluate`,
    { version: issue.version, rating: 'dissatisfied', comment: '没有清理干净' },
    res1,
  );
  expect(bad.status).toBe(201);
  expect(bad.body).toMatchObject({
    status: 'closed',
    canEvaluate: false,
    evaluation: { score: 1, rating: 'dissatisfied' },
    reopenRequest: { status: 'pending' },
  });
  // The console's queue and the issue panel show it to the dispatcher, not to the department.
  const queued = (await t.api.get<{ items: { id: number }[] }>('/api/v1/issues?hasPendingReopenRequest=true&pageSize=100', d.dispatcher))
    .body;
  expect(queued.items.map((i) => i.id)).toContain(issue.id);
  expect((await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, d.dispatcher)).body.pendingReopenRequest).toMatchObject({
    score: 1,
    reason: '没有清理干净',
  });
  expect((await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, d.lead1)).body.pendingReopenRequest).toBeNull();
  const queue = (await t.api.get<{ id: number; issueId: number; status: string }[]>('/api/v1/reopen-requests?status=pending', d.dispatcher))
    .body;
  const request = queue.find((q) => q.issueId === issue.id)!;
  expect(request).toBeDefined();
  // Out of scope for another street's dispatcher when the grid is not theirs; never for residents.
  expect((await t.api.get('/api/v1/reopen-requests', res1)).status).toBe(403);

  const decided = await t.api.post<{ status: string; newIssueId: number }>(
    `/api/v1/reopen-requests/${request.id}/decide`,
    { reopen: true, note: '重办' },
    d.dispatcher,
  );
  expect(decided.body).toMatchObject({ status: 'reopened', newIssueId: expect.any(Number) });
  expect((await t.api.post(`/api/v1/reopen-requests/${request.id}/decide`, { reopen: false }, d.dispatcher)).body.code).toBe(
    'REOPEN_REQUEST_NOT_PENDING',
  );
  const redo = await progress(res1, decided.body.newIssueId);
  expect(redo).toMatchObject({ status: 'reported', categoryId: category.id });
  expect((await progress(res1, issue.id)).status).toBe('closed');
});

it('lets a request for information lapse after 3 working days, resuming the handle clock', async () => {
  const d = cast.tokens;
  let issue: { id: number; version: number } = (await residentReport(res1, {})).body;
  issue = await act(t.api, d.dispatcher!, issue, 'accept');
  issue = await act(t.api, d.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
  issue = await act(t.api, d.lead1!, issue, 'sign');
  issue = await act(t.api, d.lead1!, issue, 'request_info', { note: '请补充具体位置' });
  const lapses = t.app.get(InfoRequestLapses);
  expect(await lapses.sweepOnce()).toBe(0);
  t.clock.advance(6 * 86_400_000); // more than 3 working days, whatever the weekday
  try {
    expect(await lapses.sweepOnce()).toBeGreaterThanOrEqual(1);
  } finally {
    t.clock.advance(-6 * 86_400_000);
  }
  const { rows } = await t.sql.query(
    `SELECT (SELECT status FROM info_requests WHERE issue_id = $1) AS status,
            (SELECT running_since IS NOT NULL FROM sla_clocks WHERE issue_id = $1 AND stage = 'handle' AND stopped_at IS NULL) AS running,
            (SELECT count(*)::int FROM issue_events WHERE issue_id = $1 AND type = 'info_request_lapsed') AS events`,
    [issue.id],
  );
  expect(rows[0]).toEqual({ status: 'lapsed', running: true, events: 1 });
  expect((await progress(res1, issue.id)).canAnswer).toBe(false);
});

it('lets a neighbour join an open issue nearby as me too instead of reporting it again, and shows it in their list until it closes', async () => {
  let issue: { id: number; version: number } = (await residentReport(res1, { description: '门口那盏灯坏了三天' })).body;
  const near = (await t.api.get<{ id: number; meTooCount: number }[]>(`/api/v1/resident/nearby?lat=${here.lat}&lng=${here.lng}`, res2))
    .body;
  expect(near.map((n) => n.id)).toContain(issue.id);
  expect(JSON.stringify(near)).not.toContain('门口那盏灯坏了三天'); // no description, no reporter: nothing personal

  // Too far from where they stand, or an unknown id: refused.
  expect((await t.api.post(`/api/v1/resident/issues/${issue.id}/join`, { lat: here.lat + 0.01, lng: here.lng }, res2)).body.code).toBe(
    'NOT_NEARBY',
  );
  expect((await t.api.post(`/api/v1/resident/issues/999999/join`, here, res2)).status).toBe(404);
  expect((await t.api.post(`/api/v1/resident/issues/${issue.id}/join`, here, res1)).body.code).toBe('ALREADY_JOINED');

  const joined = await t.api.post<ResidentIssueDetail>(`/api/v1/resident/issues/${issue.id}/join`, here, res2);
  expect(joined.status).toBe(201);
  expect(joined.body).toMatchObject({ joined: true, meTooCount: 1, canEvaluate: false });
  expect((await t.api.post(`/api/v1/resident/issues/${issue.id}/join`, here, res2)).body.code).toBe('ALREADY_JOINED');
  expect((await t.api.get<{ items: { id: number }[] }>('/api/v1/issues?mine=true', res2)).body.items.map((i) => i.id)).toContain(issue.id);

  const d = cast.tokens;
  issue = await act(t.api, d.dispatcher!, { id: issue.id, version: joined.body.version }, 'reject', { reason: '已有同类诉求' });
  const theirs = (await mine(res2)).find((i) => i.id === issue.id)!;
  expect(theirs).toMatchObject({ status: 'rejected', step: 'rejected', joined: true });
  // A closed issue cannot be joined any more.
  expect((await t.api.post(`/api/v1/resident/issues/${issue.id}/join`, here, res2)).status).toBe(404);
});

it('lets residents catch up on the events of their own and their "me too" issues only', async () => {
  const own = (await residentReport(res1, { description: '小区门口井盖松动' })).body;
  const other = (await residentReport(res1, { description: '楼道灯不亮' })).body;
  const joined = await t.api.post(`/api/v1/resident/issues/${own.id}/join`, here, res2);
  expect(joined.status).toBe(201);
  await t.app.get(EventRelay).drain();
  const events = async (token: string, query = '') => {
    const res = await t.api.get<EventPage>(`/api/v1/events?limit=500${query}`, token);
    expect(res.status).toBe(200);
    return res.body.items.map((e) => (e.data as { issueId?: number }).issueId);
  };
  expect(await events(res1)).toEqual(expect.arrayContaining([own.id, other.id]));
  const followed = await events(res2);
  expect(followed).toContain(own.id);
  expect(followed).not.toContain(other.id);
  expect((await t.api.get(`/api/v1/events?issueId=${other.id}`, res2)).status).toBe(404);
});
