import type { GridLocation, IssueSummary, NearbyIssue, Page, StaffMember } from '@gridline/shared';
import { expectApiError } from './support/checks';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import { startTestApp, type TestApp } from './support/test-app';

/** The helpers of the work screens: nearby duplicates, the grid at a point, department staff, queue filters. */
let t: TestApp;
let cast: Cast;
let centre: { latitude: number; longitude: number };

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  centre = await gridCentre(t.api, cast.tokens.worker1!, cast.gridId);
});
afterAll(() => t?.close());

const tok = (name: string) => cast.tokens[name]!;
/** About `m` metres north of the grid centre. */
const north = (m: number) => ({ lat: centre.latitude + m / 111_195, lng: centre.longitude });

describe('GET /issues/nearby', () => {
  it('lists open issues of the category within the radius, nearest first, and none farther or closed', async () => {
    const near = await report(t.api, cast, { ...north(30), gridId: undefined, description: '近处 30 米' });
    const nearer = await report(t.api, cast, { ...north(5), gridId: undefined, description: '近处 5 米' });
    const far = await report(t.api, cast, { ...north(400), gridId: undefined, description: '远处 400 米' });
    const closed = await issueIn(t.api, cast, 'closed');
    const here = north(0);
    const res = await t.api.get<NearbyIssue[]>(
      `/api/v1/issues/nearby?lat=${here.lat}&lng=${here.lng}&categoryId=${cast.category.id}&radiusM=100&days=7`,
      tok('worker1'),
    );
    expect(res.status).toBe(200);
    const ids = res.body.map((i) => i.id);
    expect(ids.indexOf(nearer.id)).toBeLessThan(ids.indexOf(near.id));
    expect(ids).toContain(near.id);
    expect(ids).not.toContain(far.id);
    expect(ids).not.toContain(closed.id);
    expect(res.body.find((i) => i.id === nearer.id)!.distanceM).toBeLessThanOrEqual(10);
  });

  it('shows only what the caller may see', async () => {
    const issue = await report(t.api, cast, { ...north(10), gridId: undefined });
    const here = north(0);
    const path = `/api/v1/issues/nearby?lat=${here.lat}&lng=${here.lng}`;
    expect((await t.api.get<NearbyIssue[]>(path, tok('worker2'))).body.map((i) => i.id)).not.toContain(issue.id);
    expect((await t.api.get<NearbyIssue[]>(path, tok('lead2'))).body).toEqual([]);
    expect((await t.api.get<NearbyIssue[]>(path, tok('dispatcher'))).body.map((i) => i.id)).toContain(issue.id);
  });

  it('matches by grid when there are no coordinates, and refuses a half point', async () => {
    const issue = await report(t.api, cast);
    const byGrid = await t.api.get<NearbyIssue[]>(`/api/v1/issues/nearby?gridId=${cast.gridId}`, tok('worker1'));
    expect(byGrid.body.map((i) => i.id)).toContain(issue.id);
    expectApiError(await t.api.get(`/api/v1/issues/nearby?lat=30.2`, tok('worker1')), 400, 'VALIDATION_FAILED');
    expectApiError(await t.api.get(`/api/v1/issues/nearby?lat=30.2&lng=120.2&radiusM=99999`, tok('worker1')), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /regions/locate', () => {
  it("finds worker1's grid at its centre and refuses a point outside every grid", async () => {
    const res = await t.api.get<GridLocation>(`/api/v1/regions/locate?lat=${centre.latitude}&lng=${centre.longitude}`, tok('worker1'));
    expect(res.status).toBe(200);
    expect(res.body.grid.id).toBe(cast.gridId);
    expect(res.body.community?.level).toBe('community');
    expect(res.body.street?.level).toBe('street');
    expectApiError(await t.api.get('/api/v1/regions/locate?lat=10&lng=10', tok('worker1')), 422, 'LOCATION_NOT_IN_ANY_GRID');
  });
});

describe('GET /departments/:id/staff', () => {
  it('lists the staff to a lead of that department only', async () => {
    const res = await t.api.get<StaffMember[]>(`/api/v1/departments/${cast.departmentId}/staff`, tok('lead1'));
    expect(res.status).toBe(200);
    expect(res.body.map((s) => s.username)).toEqual(expect.arrayContaining(['lead1', 'staff1']));
    expect(res.body.every((s) => s.role === 'dept_lead' || s.role === 'dept_staff')).toBe(true);
    expectApiError(await t.api.get(`/api/v1/departments/${cast.departmentId}/staff`, tok('lead2')), 404, 'NOT_FOUND');
    expectApiError(await t.api.get(`/api/v1/departments/${cast.departmentId}/staff`, tok('worker1')), 403, 'FORBIDDEN_ROLE');
  });
});

describe('queue filters', () => {
  it('slaAlert: open issues past due or with a warned running clock, nothing else', async () => {
    const warned = await issueIn(t.api, cast, 'reported');
    const overdue = await issueIn(t.api, cast, 'reported');
    const calm = await issueIn(t.api, cast, 'reported');
    const closed = await issueIn(t.api, cast, 'closed');
    // The SLA engine's warning instants, moved directly: the filter reads them, it does not make them.
    await t.sql.query(`UPDATE sla_clocks SET warn_at = now() - interval '1 minute' WHERE issue_id = $1 AND stopped_at IS NULL`, [
      warned.id,
    ]);
    await t.sql.query(`UPDATE sla_clocks SET warn_at = now() - interval '1 minute' WHERE issue_id = $1`, [closed.id]);
    await t.sql.query(`UPDATE issues SET sla_due_at = now() - interval '1 minute' WHERE id = $1`, [overdue.id]);
    const ids = (await t.api.get<Page<IssueSummary>>('/api/v1/issues?slaAlert=true&pageSize=100', tok('dispatcher'))).body.items.map(
      (i) => i.id,
    );
    expect(ids).toEqual(expect.arrayContaining([warned.id, overdue.id]));
    expect(ids).not.toContain(calm.id);
    expect(ids).not.toContain(closed.id);
  });

  it('returned: accepted issues a department sent back; hasPendingExtension: requests waiting for a decision', async () => {
    let returned = await issueIn(t.api, cast, 'dispatched');
    returned = await act(t.api, tok('lead1'), returned, 'return', { reason: '不属于本部门职责' });
    const plain = await issueIn(t.api, cast, 'accepted');
    const list = (await t.api.get<Page<IssueSummary>>('/api/v1/issues?returned=true&pageSize=100', tok('dispatcher'))).body;
    expect(list.items.map((i) => i.id)).toContain(returned.id);
    expect(list.items.map((i) => i.id)).not.toContain(plain.id);

    const extended = await issueIn(t.api, cast, 'in_progress');
    await act(t.api, tok('lead1'), extended, 'request_extension', { minutes: 120, reason: '需要协调设备' });
    const pending = (await t.api.get<Page<IssueSummary>>('/api/v1/issues?hasPendingExtension=true&pageSize=100', tok('dispatcher'))).body;
    expect(pending.items.map((i) => i.id)).toContain(extended.id);
    expect(pending.items.every((i) => i.status === 'in_progress' || i.status === 'suspended')).toBe(true);
  });
});
