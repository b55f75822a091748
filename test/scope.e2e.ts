import type { IssueDetail, IssueSummary, Page, RegionView } from '@gridline/shared';
import { act, issueIn, loadCast, photo, report, type Cast } from './support/fixtures';
import { demoRegions } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Scope on every read and write (server/src/scope/; OWASP API1/BOLA): what a caller may not see does not
 * exist for them (404, never its data); a missing role is 403 FORBIDDEN_ROLE; seeing an issue
 * but lacking the relation an action needs is 403 FORBIDDEN_RELATION. Nothing refused is written.
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let s1: number;
let s2: number;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ districtId, s1, s2 } = await demoRegions(t));
});
afterAll(() => t?.close());

const tok = (name: string) => cast.tokens[name]!;

/** What the database holds for an issue and around it, to prove a refusal wrote nothing. */
async function footprint(issueId?: number) {
  const { rows } = await t.sql.query(
    `SELECT (SELECT count(*)::int FROM issues) AS issues,
            (SELECT count(*)::int FROM issue_events) AS events,
            (SELECT count(*)::int FROM attachments) AS attachments,
            (SELECT row_to_json(i) FROM (SELECT status, version, department_id, assignee_id, updated_at FROM issues WHERE id = $1) i) AS issue`,
    [issueId ?? 0],
  );
  return rows[0];
}

function expectRefusal(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  // refusals carry no issue data
  expect(res.body).not.toHaveProperty('description');
  expect(res.body).not.toHaveProperty('items');
}

describe("a department lead and another department's task", () => {
  let task: IssueDetail;
  let attachmentId: number;

  beforeAll(async () => {
    // reported with a photo, then accepted and dispatched to lead1's department (城管)
    const created = await t.api.request<IssueDetail>('POST', '/api/v1/issues', {
      token: tok('worker1'),
      body: { categoryId: cast.category.id, gridId: cast.gridId, description: '店外占道经营，堆放杂物', address: '越权测试路1号' },
      photos: [{ bytes: photo() }],
    });
    expect(created.status).toBe(201);
    let issue = await act(t.api, tok('dispatcher'), created.body, 'accept');
    issue = await act(t.api, tok('dispatcher'), issue, 'dispatch', { departmentId: cast.departmentId });
    task = issue;
    attachmentId = issue.attachments[0]!.id;
  });

  it('lead1 sees it with its photo', async () => {
    expect((await t.api.get(`/api/v1/issues/${task.id}`, tok('lead1'))).status).toBe(200);
    const file = await t.api.get(`/api/v1/attachments/${attachmentId}`, tok('lead1'));
    expect(file.status).toBe(200);
  });

  it('lead2 gets 404 for the task, its events and its photo, the same as for an id that does not exist', async () => {
    const missing = 2_000_000_000;
    expectRefusal(await t.api.get(`/api/v1/issues/${task.id}`, tok('lead2')), 404, 'ISSUE_NOT_FOUND');
    expectRefusal(await t.api.get(`/api/v1/issues/${missing}`, tok('lead2')), 404, 'ISSUE_NOT_FOUND');
    expectRefusal(await t.api.get(`/api/v1/issues/${task.id}/events`, tok('lead2')), 404, 'ISSUE_NOT_FOUND');
    const photoRes = await t.api.get(`/api/v1/attachments/${attachmentId}`, tok('lead2'));
    expectRefusal(photoRes, 404, 'ATTACHMENT_NOT_FOUND');
    expect(photoRes.headers.get('content-type')).toMatch(/json/);
    expectRefusal(await t.api.get(`/api/v1/attachments/${missing}`, tok('lead2')), 404, 'ATTACHMENT_NOT_FOUND');
  });

  it('lead2 does not find it in any list', async () => {
    for (const query of [
      '',
      `?q=${encodeURIComponent(task.number)}`,
      `?departmentId=${cast.departmentId}`,
      '?status=dispatched&pageSize=100',
    ]) {
      const res = await t.api.get<Page<IssueSummary>>(`/api/v1/issues${query}`, tok('lead2'));
      expect(res.status).toBe(200);
      expect(res.body.items.map((i) => i.id)).not.toContain(task.id);
      if (query.startsWith('?q=') || query.startsWith('?departmentId')) expect(res.body.total).toBe(0);
    }
  });

  it('lead2 gets 404 for every action on it, and nothing is written', async () => {
    const before = await footprint(task.id);
    const bodies: Record<string, object> = {
      sign: {},
      return: { reason: '不归我们管' },
      resolve: { note: '已处置' },
      request_extension: { minutes: 60, reason: '协调' },
    };
    for (const [action, body] of Object.entries(bodies)) {
      const res = await t.api.post(`/api/v1/issues/${task.id}/actions/${action}`, { version: task.version, ...body }, tok('lead2'));
      expect({ action, status: res.status, code: res.body.code }).toEqual({ action, status: 404, code: 'ISSUE_NOT_FOUND' });
    }
    // even with a wrong version it says 404, not 409: a conflict would confirm the issue exists
    const stale = await t.api.post(`/api/v1/issues/${task.id}/actions/sign`, { version: task.version + 5 }, tok('lead2'));
    expectRefusal(stale, 404, 'ISSUE_NOT_FOUND');
    expect(await footprint(task.id)).toEqual(before);
  });
});

describe('grid workers report only in their own grids', () => {
  let grids: RegionView[];
  const centre = (r: RegionView) => {
    const ring = (r.polygon as { coordinates: number[][][] }).coordinates[0]!;
    const lngs = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    return { lat: (Math.min(...lats) + Math.max(...lats)) / 2, lng: (Math.min(...lngs) + Math.max(...lngs)) / 2 };
  };

  beforeAll(async () => {
    const res = await t.api.get<RegionView[]>('/api/v1/regions?level=grid&withPolygon=true', tok('worker1'));
    expect(res.status).toBe(200);
    grids = res.body;
  });

  it("refuses worker1 in worker2's grid, by gridId or by a point inside it, and writes nothing", async () => {
    const worker2Grid = grids.find((g) => g.id === cast.users.worker2!.gridIds[0])!;
    const before = await footprint();
    const base = { categoryId: cast.category.id, description: '越界上报测试' };
    expectRefusal(await t.api.post('/api/v1/issues', { ...base, gridId: worker2Grid.id }, tok('worker1')), 403, 'GRID_OUT_OF_SCOPE');
    expectRefusal(await t.api.post('/api/v1/issues', { ...base, ...centre(worker2Grid) }, tok('worker1')), 403, 'GRID_OUT_OF_SCOPE');
    // with a photo too: the upload is not kept
    const withPhoto = await t.api.request('POST', '/api/v1/issues', {
      token: tok('worker1'),
      body: { ...base, gridId: worker2Grid.id },
      photos: [{ bytes: photo() }],
    });
    expectRefusal(withPhoto, 403, 'GRID_OUT_OF_SCOPE');
    expect(await footprint()).toEqual(before);
  });

  it('fills in the grid from a point inside worker1’s grid', async () => {
    const mine = grids.find((g) => g.id === cast.gridId)!;
    const point = centre(mine);
    const res = await t.api.post<IssueDetail>(
      '/api/v1/issues',
      { categoryId: cast.category.id, description: '按定位上报', ...point },
      tok('worker1'),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ gridId: cast.gridId, lat: point.lat, lng: point.lng, status: 'reported' });
    const { rows } = await t.sql.query('SELECT grid_id, street_id FROM issues WHERE id = $1', [res.body.id]);
    expect(rows[0]).toEqual({ grid_id: cast.gridId, street_id: s1 });
  });

  it('refuses a point outside every grid with 422 LOCATION_NOT_IN_ANY_GRID', async () => {
    const lats = grids.flatMap((g) => (g.polygon as { coordinates: number[][][] }).coordinates[0]!.map((p) => p[1]!));
    const lngs = grids.flatMap((g) => (g.polygon as { coordinates: number[][][] }).coordinates[0]!.map((p) => p[0]!));
    const before = await footprint();
    const res = await t.api.post(
      '/api/v1/issues',
      { categoryId: cast.category.id, description: '区外', lat: Math.min(...lats) - 0.5, lng: Math.min(...lngs) - 0.5 },
      tok('worker1'),
    );
    expectRefusal(res, 422, 'LOCATION_NOT_IN_ANY_GRID');
    const dispatcherRes = await t.api.post(
      '/api/v1/issues',
      { categoryId: cast.category.id, description: '区外', lat: Math.max(...lats) + 0.5, lng: Math.max(...lngs) + 0.5 },
      tok('dispatcher'),
    );
    expectRefusal(dispatcherRes, 422, 'LOCATION_NOT_IN_ANY_GRID');
    expect(await footprint()).toEqual(before);
  });
});

describe('a street dispatcher', () => {
  it('sees the issues of street S01 only', async () => {
    const res = await t.api.get<Page<IssueSummary>>('/api/v1/issues?pageSize=100', tok('dispatcher_s1'));
    expect(res.status).toBe(200);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM issues WHERE street_id = $1', [s1]);
    expect(res.body.total).toBe(rows[0].n);
    const { rows: streets } = await t.sql.query('SELECT DISTINCT street_id FROM issues WHERE id = ANY($1)', [
      res.body.items.map((i) => i.id),
    ]);
    expect(streets).toEqual([{ street_id: s1 }]);
    const asked = await t.api.get<Page<IssueSummary>>(`/api/v1/issues?regionId=${s2}`, tok('dispatcher_s1'));
    expect(asked.status).toBe(200);
    expect(asked.body.total).toBe(0);
  });

  it('gets 404 for an issue of street S02 and cannot act on it', async () => {
    const { rows } = await t.sql.query(`SELECT id, version FROM issues WHERE street_id = $1 AND status = 'reported' ORDER BY id LIMIT 1`, [
      s2,
    ]);
    const other = rows[0] as { id: number; version: number };
    expect(other).toBeDefined();
    expect((await t.api.get(`/api/v1/issues/${other.id}`, tok('dispatcher'))).status).toBe(200);
    expectRefusal(await t.api.get(`/api/v1/issues/${other.id}`, tok('dispatcher_s1')), 404, 'ISSUE_NOT_FOUND');
    expectRefusal(await t.api.get(`/api/v1/issues/${other.id}/events`, tok('dispatcher_s1')), 404, 'ISSUE_NOT_FOUND');
    const before = await footprint(other.id);
    for (const [action, body] of Object.entries({ accept: {}, reject: { reason: '越权' }, supervise: { note: '越权督办' } })) {
      const res = await t.api.post(
        `/api/v1/issues/${other.id}/actions/${action}`,
        { version: other.version, ...body },
        tok('dispatcher_s1'),
      );
      expect({ action, status: res.status, code: res.body.code }).toEqual({ action, status: 404, code: 'ISSUE_NOT_FOUND' });
    }
    // nor merge its own issue into it
    const own = await report(t.api, cast);
    const merge = await t.api.post(
      `/api/v1/issues/${own.id}/actions/merge`,
      { version: own.version, primaryIssueId: other.id },
      tok('dispatcher_s1'),
    );
    expect(merge.status).toBe(422);
    expect(merge.body.code).toBe('MERGE_TARGET_INVALID');
    expect(await footprint(other.id)).toMatchObject({ issue: before.issue });
    // nor report into S02
    const worker2Grid = cast.users.worker2!.gridIds[0]!;
    const rep = await t.api.post(
      '/api/v1/issues',
      { categoryId: cast.category.id, gridId: worker2Grid, description: '越界受理' },
      tok('dispatcher_s1'),
    );
    expectRefusal(rep, 403, 'GRID_OUT_OF_SCOPE');
  });
});

describe('stats scope', () => {
  it('shows a street viewer their street, and 404 for the district or another street', async () => {
    expectRefusal(await t.api.get(`/api/v1/stats/overview?regionId=${districtId}`, tok('viewer_s2')), 404, 'NOT_FOUND');
    expectRefusal(await t.api.get(`/api/v1/stats/overview?regionId=${s1}`, tok('viewer_s2')), 404, 'NOT_FOUND');
    const own = await t.api.get(`/api/v1/stats/overview?regionId=${s2}`, tok('viewer_s2'));
    expect(own.status).toBe(200);
    expect(own.body.regionId).toBe(s2);
    const byDefault = await t.api.get('/api/v1/stats/overview', tok('viewer_s2'));
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.regionId).toBe(s2);
    expect(byDefault.body.total).toEqual(own.body.total);
  });

  it('refuses grid workers and department roles with 403 FORBIDDEN_ROLE', async () => {
    for (const name of ['worker1', 'lead1', 'staff1', 'lead2']) {
      const res = await t.api.get(`/api/v1/stats/overview?regionId=${districtId}`, tok(name));
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 403, code: 'FORBIDDEN_ROLE' });
    }
  });
});

describe('department staff', () => {
  it('see unsigned tasks of their department and tasks assigned to them, not a colleague’s', async () => {
    const unsigned = await issueIn(t.api, cast, 'dispatched');
    const mine = await issueIn(t.api, cast, 'in_progress'); // assigned to staff1
    let leads = await issueIn(t.api, cast, 'dispatched');
    leads = await act(t.api, tok('lead1'), leads, 'sign'); // lead1 signs for themselves
    expect(leads.assigneeId).toBe(cast.users.lead1!.id);

    const seen = await t.api.get<IssueDetail>(`/api/v1/issues/${unsigned.id}`, tok('staff1'));
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toEqual(['sign']);
    const assigned = await t.api.get<IssueDetail>(`/api/v1/issues/${mine.id}`, tok('staff1'));
    expect(assigned.status).toBe(200);
    expect(assigned.body.allowedActions).toContain('resolve');
    expectRefusal(await t.api.get(`/api/v1/issues/${leads.id}`, tok('staff1')), 404, 'ISSUE_NOT_FOUND');
    const before = await footprint(leads.id);
    expectRefusal(
      await t.api.post(`/api/v1/issues/${leads.id}/actions/resolve`, { version: leads.version, note: '代为处置' }, tok('staff1')),
      404,
      'ISSUE_NOT_FOUND',
    );
    expect(await footprint(leads.id)).toEqual(before);

    const list = await t.api.get<Page<IssueSummary>>(`/api/v1/issues?pageSize=100&status=dispatched,in_progress`, tok('staff1'));
    const ids = list.body.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([unsigned.id, mine.id]));
    expect(ids).not.toContain(leads.id);
    // once another member signs it, the unsigned task leaves staff1's sight
    await act(t.api, tok('lead1'), unsigned, 'sign');
    expectRefusal(await t.api.get(`/api/v1/issues/${unsigned.id}`, tok('staff1')), 404, 'ISSUE_NOT_FOUND');
  });

  it('cannot sign a task for someone else (403 FORBIDDEN_RELATION)', async () => {
    const task = await issueIn(t.api, cast, 'dispatched');
    const before = await footprint(task.id);
    const res = await t.api.post(
      `/api/v1/issues/${task.id}/actions/sign`,
      { version: task.version, assigneeId: cast.users.lead1!.id },
      tok('staff1'),
    );
    expectRefusal(res, 403, 'FORBIDDEN_RELATION');
    expect(await footprint(task.id)).toEqual(before);
    // signing for themselves works
    const signed = await act(t.api, tok('staff1'), task, 'sign', { assigneeId: cast.users.staff1!.id });
    expect(signed.assigneeId).toBe(cast.users.staff1!.id);
  });

  it('a lead cannot assign a task to someone outside the department (422 ASSIGNEE_NOT_IN_DEPARTMENT)', async () => {
    const task = await issueIn(t.api, cast, 'dispatched');
    const before = await footprint(task.id);
    for (const outsider of [cast.users.lead2!.id, cast.users.worker1!.id, 987_654]) {
      const res = await t.api.post(`/api/v1/issues/${task.id}/actions/sign`, { version: task.version, assigneeId: outsider }, tok('lead1'));
      expectRefusal(res, 422, 'ASSIGNEE_NOT_IN_DEPARTMENT');
    }
    expect(await footprint(task.id)).toEqual(before);
  });
});

describe('a second grid worker of the same grid', () => {
  let colleague: string;

  beforeAll(async () => {
    const { rows } = await t.sql.query(
      `SELECT username FROM users WHERE role = 'grid_worker' AND $1 = ANY(grid_ids) AND username <> 'worker1' ORDER BY id LIMIT 1`,
      [cast.gridId],
    );
    colleague = rows[0].username;
    cast.tokens[colleague] = await t.api.token(colleague);
  });

  it("cannot settle worker1's report on the spot (403 FORBIDDEN_RELATION), but verifies it after", async () => {
    const issue = await report(t.api, cast);
    const seen = await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, tok(colleague));
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).not.toContain('resolve_on_site');
    const before = await footprint(issue.id);
    const res = await t.api.request('POST', `/api/v1/issues/${issue.id}/actions/resolve_on_site`, {
      token: tok(colleague),
      body: { version: issue.version, note: '顺手处理' },
      photos: [{ bytes: photo() }],
    });
    expectRefusal(res, 403, 'FORBIDDEN_RELATION');
    expect(await footprint(issue.id)).toEqual(before);

    const resolved = await act(t.api, tok('worker1'), issue, 'resolve_on_site', { note: '现场已清理' }, [photo()]);
    expect(resolved.status).toBe('resolved');
    const afterResolve = await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, tok(colleague));
    expect(afterResolve.body.allowedActions).toEqual(expect.arrayContaining(['verify', 'reopen']));
    const closed = await act(t.api, tok(colleague), resolved, 'verify', { note: '核查通过' });
    expect(closed.status).toBe('closed');
  });

  it("worker2 cannot see or verify an issue of worker1's grid", async () => {
    const resolved = await issueIn(t.api, cast, 'resolved');
    expectRefusal(await t.api.get(`/api/v1/issues/${resolved.id}`, tok('worker2')), 404, 'ISSUE_NOT_FOUND');
    const res = await t.api.post(`/api/v1/issues/${resolved.id}/actions/verify`, { version: resolved.version }, tok('worker2'));
    expectRefusal(res, 404, 'ISSUE_NOT_FOUND');
  });
});

describe('lists never show what the detail would hide', () => {
  /** Who sees what, written here by hand in SQL over issues `i`, independent of the server's rule. */
  const TRUTH: Record<string, (ids: Record<string, number>) => { where: string; params: unknown[] }> = {
    admin: () => ({ where: 'true', params: [] }),
    dispatcher: () => ({ where: 'i.district_id = $1', params: [districtId] }),
    viewer: () => ({ where: 'i.district_id = $1', params: [districtId] }),
    dispatcher_s1: () => ({ where: 'i.street_id = $1', params: [s1] }),
    viewer_s2: () => ({ where: 'i.street_id = $1', params: [s2] }),
    worker1: (u) => ({ where: 'i.grid_id = $1 OR i.reporter_id = $2', params: [cast.gridId, u.worker1] }),
    worker2: (u) => ({ where: 'i.grid_id = $1 OR i.reporter_id = $2', params: [cast.users.worker2!.gridIds[0], u.worker2] }),
    lead1: () => ({ where: 'i.department_id = $1', params: [cast.departmentId] }),
    lead2: () => ({ where: 'i.department_id = $1', params: [cast.users.lead2!.departmentId] }),
    staff1: (u) => ({
      where: `i.department_id = $1 AND (i.assignee_id = $2 OR (i.status = 'dispatched' AND i.assignee_id IS NULL))`,
      params: [cast.departmentId, u.staff1],
    }),
  };

  it.each(Object.keys(TRUTH))('%s: list total matches the scope, and every listed issue opens', async (name) => {
    const ids = Object.fromEntries(Object.entries(cast.users).map(([k, u]) => [k, u.id]));
    const { where, params } = TRUTH[name]!(ids);
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM issues i WHERE ${where}`, params);
    const first = await t.api.get<Page<IssueSummary>>('/api/v1/issues?pageSize=25', tok(name));
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(rows[0].n);
    expect(first.body.total).toBeGreaterThan(0);
    const lastPage = Math.max(1, Math.ceil(first.body.total / 25));
    const pages = [
      first.body,
      ...(lastPage > 1 ? [(await t.api.get<Page<IssueSummary>>(`/api/v1/issues?pageSize=25&page=${lastPage}`, tok(name))).body] : []),
    ];
    const sample = pages.flatMap((p) => p.items);
    const { rows: inScope } = await t.sql.query(`SELECT i.id FROM issues i WHERE i.id = ANY($${params.length + 1}) AND (${where})`, [
      ...params,
      sample.map((i) => i.id),
    ]);
    expect(inScope).toHaveLength(sample.length);
    for (const item of sample) {
      const res = await t.api.get<IssueDetail>(`/api/v1/issues/${item.id}`, tok(name));
      expect({ id: item.id, status: res.status }).toEqual({ id: item.id, status: 200 });
      expect(res.body).toMatchObject({ number: item.number, status: item.status, version: item.version });
    }
  });
});
