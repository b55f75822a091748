import { ISSUE_STATUSES, ROLES, type Role } from '@gridline/shared';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import type { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { scopeOf, type ScopeKind } from './actor-scope';
import { departmentInScope, mayReportInGrid, regionInScope, statsScope } from './area-scope';
import { feedsOfActor, feedsOfIssue, type Feeds, type IssueRouting } from './feeds';
import { canSeeIssue, handlingCentre, issueRelations, issueVisibilitySql, type ScopedIssue } from './issue-scope';

// city 1 ─ district 2 ─ street 4 ─ community 5 ─ grids 6, 7
//        └ district 3 ─ street 8 ─ community 9 ─ grid 10
const TREE: [number, number | null, Region['level']][] = [
  [1, null, 'city'],
  [2, 1, 'district'],
  [3, 1, 'district'],
  [4, 2, 'street'],
  [5, 4, 'community'],
  [6, 5, 'grid'],
  [7, 5, 'grid'],
  [8, 3, 'street'],
  [9, 8, 'community'],
  [10, 9, 'grid'],
];

/** The tree above (or another list of rows), with the regions in `closed` inactive. */
async function regionTree(tree = TREE, closed: number[] = []): Promise<RegionsService> {
  const rows = new Map<number, Region>();
  for (const [id, parentId, level] of tree) {
    const path = parentId === null ? [id] : [...rows.get(parentId)!.path, id];
    rows.set(id, { id, parentId, level, code: `R${id}`, name: `Region ${id}`, path, polygon: null, active: !closed.includes(id) });
  }
  const db = { getRepository: () => ({ find: () => Promise.resolve([...rows.values()]) }) } as unknown as DataSource;
  const service = new RegionsService(db);
  await service.reload();
  return service;
}

/** User 100 + the scope fields their role uses (as the users table requires). */
function actor(role: Role, scope: Partial<Pick<Actor, 'regionIds' | 'gridIds' | 'departmentIds'>> = {}): Actor {
  return {
    id: 100,
    username: role,
    displayName: role,
    role,
    departmentId: scope.departmentIds?.[0] ?? null,
    regionId: scope.regionIds?.[0] ?? null,
    ownGridIds: scope.gridIds ?? [],
    backupUserId: null,
    away: false,
    userIds: [100],
    regionIds: scope.regionIds ?? [],
    gridIds: scope.gridIds ?? [],
    departmentIds: scope.departmentIds ?? [],
  };
}

const ACTORS: Record<Role, Actor> = {
  admin: actor('admin'),
  viewer: actor('viewer', { regionIds: [2] }),
  dispatcher: actor('dispatcher', { regionIds: [4] }),
  grid_worker: actor('grid_worker', { gridIds: [6] }),
  dept_lead: actor('dept_lead', { departmentIds: [50] }),
  dept_staff: actor('dept_staff', { departmentIds: [50] }),
  resident: actor('resident'),
  volunteer: actor('volunteer'),
};

/** A refusal as "not found" (404), never "forbidden": what lies outside a scope does not exist for the actor. */
const notFound = (message: string) => expect.objectContaining({ code: 'NOT_FOUND', message });

const issue = (over: Partial<ScopedIssue> = {}): ScopedIssue => ({
  status: 'reported',
  gridId: 7,
  reporterId: 200,
  departmentId: null,
  assigneeId: null,
  escalatedToRegionId: null,
  ...over,
});

/** Every combination of grid, reporter, department, assignee and status that matters to a rule. */
const ISSUES: ScopedIssue[] = ISSUE_STATUSES.flatMap((status) =>
  [6, 7, 10].flatMap((gridId) =>
    [100, 200].flatMap((reporterId) =>
      [null, 50, 51].flatMap((departmentId) =>
        [null, 100, 300].flatMap((assigneeId) =>
          [[], [100], [300]].map((followerIds) => issue({ status, gridId, reporterId, departmentId, assigneeId, followerIds })),
        ),
      ),
    ),
  ),
);

describe('scope', () => {
  let regions: RegionsService;
  beforeAll(async () => {
    regions = await regionTree();
  });

  it('gives every role a kind of scope', () => {
    const kinds: Record<Role, ScopeKind> = {
      admin: 'everything',
      viewer: 'regions',
      dispatcher: 'regions',
      grid_worker: 'grids',
      dept_lead: 'department',
      dept_staff: 'department_tasks',
      resident: 'own',
      volunteer: 'own',
    };
    for (const role of ROLES) expect([role, scopeOf(ACTORS[role]).kind]).toEqual([role, kinds[role]]);
  });

  it('lets each role see what its rule says, and nothing else', () => {
    const expected: Record<Role, (i: ScopedIssue) => boolean> = {
      admin: () => true,
      viewer: (i) => i.gridId !== 10,
      dispatcher: (i) => i.gridId !== 10,
      grid_worker: (i) => i.gridId === 6 || i.reporterId === 100,
      dept_lead: (i) => i.departmentId === 50,
      dept_staff: (i) => i.departmentId === 50 && (i.assigneeId === 100 || (i.status === 'dispatched' && i.assigneeId === null)),
      // Only what they reported or joined as "me too".
      resident: (i) => i.reporterId === 100 || (i.followerIds ?? []).includes(100),
      // A volunteer is a resident account: the same on issues.
      volunteer: (i) => i.reporterId === 100 || (i.followerIds ?? []).includes(100),
    };
    for (const role of ROLES) {
      for (const i of ISSUES) expect([role, i, canSeeIssue(ACTORS[role], i, regions)]).toEqual([role, i, expected[role](i)]);
    }
  });

  it('states how an actor relates to an issue, whatever the role', () => {
    const rel = issueRelations(ACTORS.grid_worker, issue({ gridId: 6, reporterId: 100, assigneeId: 100 }), regions);
    expect([...rel].sort()).toEqual(['assignee', 'grid', 'reporter']);
    expect([...issueRelations(ACTORS.viewer, issue({ gridId: 7, departmentId: 50 }), regions)]).toEqual(['region']);
    expect([...issueRelations(ACTORS.dept_lead, issue({ departmentId: 50 }), regions)]).toEqual(['department']);
  });

  it('hands an escalated issue to the centre it was passed to: the one that passed it up still sees it, but no longer handles it', () => {
    const community = actor('dispatcher', { regionIds: [5] });
    const street = actor('dispatcher', { regionIds: [4] });
    const district = actor('dispatcher', { regionIds: [2] });
    const rel = (a: Actor, escalatedToRegionId: number | null) =>
      [...issueRelations(a, issue({ gridId: 7, escalatedToRegionId }), regions)].sort();
    // Before: community and street centres are local centres (they may pass it up); the district is not.
    expect(rel(community, null)).toEqual(['local_centre', 'region']);
    expect(rel(street, null)).toEqual(['local_centre', 'region']);
    expect(rel(district, null)).toEqual(['region']);
    // Passed up to the street: the community centre only watches.
    expect(rel(community, 4)).toEqual([]);
    expect(rel(street, 4)).toEqual(['local_centre', 'region']);
    expect(rel(district, 4)).toEqual(['region']);
    // Passed on to the district.
    expect(rel(street, 2)).toEqual([]);
    expect(rel(district, 2)).toEqual(['region']);
    for (const a of [community, street, district]) expect(canSeeIssue(a, issue({ gridId: 7, escalatedToRegionId: 2 }), regions)).toBe(true);
    // Out of scope stays out of scope.
    expect(canSeeIssue(actor('dispatcher', { regionIds: [8] }), issue({ gridId: 7, escalatedToRegionId: 2 }), regions)).toBe(false);
  });

  it('writes the same rule as SQL, numbering its parameters after those already there', () => {
    const sql = (role: Role) => {
      const params: unknown[] = ['existing'];
      return { where: issueVisibilitySql(ACTORS[role], params, regions), params };
    };
    expect(sql('admin')).toEqual({ where: 'true', params: ['existing'] });
    expect(sql('viewer')).toEqual({ where: '(i.district_id = $2)', params: ['existing', 2] });
    expect(sql('dispatcher')).toEqual({ where: '(i.street_id = $2)', params: ['existing', 4] });
    expect(sql('grid_worker')).toEqual({ where: '(i.grid_id = ANY($2) OR i.reporter_id = ANY($3))', params: ['existing', [6], [100]] });
    expect(sql('dept_lead')).toEqual({ where: 'i.department_id = ANY($2)', params: ['existing', [50]] });
    expect(sql('dept_staff').where).toBe(
      "(i.department_id = ANY($2) AND (i.assignee_id = ANY($3) OR (i.status = 'dispatched' AND i.assignee_id IS NULL)))",
    );
    const own = sql('resident');
    expect(own).toEqual({ where: '(i.reporter_id = ANY($2) OR i.follower_ids && $2::int[])', params: ['existing', [100]] });
    // A region role without a region sees nothing (not everything).
    const params: unknown[] = [];
    expect(issueVisibilitySql(actor('viewer'), params, regions)).toBe('false');
  });

  it('decides which regions an actor may report in and read statistics for', () => {
    const inScope = (role: Role) => [1, 2, 3, 4, 6, 7, 10].filter((id) => regionInScope(ACTORS[role], id, regions));
    expect(inScope('admin')).toEqual([1, 2, 3, 4, 6, 7, 10]);
    expect(inScope('viewer')).toEqual([2, 4, 6, 7]);
    expect(inScope('dispatcher')).toEqual([4, 6, 7]);
    expect(inScope('grid_worker')).toEqual([6]);
    expect(regionInScope(ACTORS.dept_lead, 6, regions)).toBeNull();
    expect(regionInScope(ACTORS.dept_staff, 6, regions)).toBeNull();
    expect(regionInScope(ACTORS.resident, 6, regions)).toBeNull();
    // Residents report wherever they are; staff only within their scope.
    expect([6, 7, 10].filter((g) => mayReportInGrid(ACTORS.resident, g, regions))).toEqual([6, 7, 10]);
    expect([6, 7, 10].filter((g) => mayReportInGrid(ACTORS.grid_worker, g, regions))).toEqual([6]);
    expect(() => statsScope(ACTORS.resident, {}, regions)).toThrow(AppException);
  });

  it('gives statistics of the own region by default and refuses other regions as not found', () => {
    expect(statsScope(ACTORS.admin, {}, regions)).toEqual({ regionId: 1, departmentId: null });
    expect(statsScope(ACTORS.viewer, {}, regions)).toEqual({ regionId: 2, departmentId: null });
    expect(statsScope(ACTORS.viewer, { regionId: 4, departmentId: 51 }, regions)).toEqual({ regionId: 4, departmentId: 51 });
    expect(() => statsScope(ACTORS.viewer, { regionId: 3 }, regions)).toThrow(notFound('Region 3 not found'));
    expect(() => statsScope(ACTORS.admin, { regionId: 99 }, regions)).toThrow(notFound('Region 99 not found'));
    // Department leads: their department over any region, never another department.
    expect(statsScope(ACTORS.dept_lead, {}, regions)).toEqual({ regionId: 1, departmentId: 50 });
    expect(statsScope(ACTORS.dept_lead, { regionId: 3 }, regions)).toEqual({ regionId: 3, departmentId: 50 });
    expect(() => statsScope(ACTORS.dept_lead, { departmentId: 51 }, regions)).toThrow(notFound('Department 51 not found'));
    expect(() => statsScope(ACTORS.dept_staff, {}, regions)).toThrow(AppException);
  });

  it('lets region roles see every department, department roles only their own', () => {
    const sees = (role: Role) => [50, 51].filter((d) => departmentInScope(ACTORS[role], d));
    expect(ROLES.map((r) => [r, sees(r)])).toEqual(
      ROLES.map((r) => [
        r,
        {
          admin: [50, 51],
          viewer: [50, 51],
          dispatcher: [50, 51],
          grid_worker: [],
          dept_lead: [50],
          dept_staff: [50],
          resident: [],
          volunteer: [],
        }[r],
      ]),
    );
  });

  it('sends every change to a feed of everyone who may see the issue afterwards', () => {
    const meets = (a: Feeds, b: Feeds) => (Object.keys(a) as (keyof Feeds)[]).some((k) => a[k].some((id) => b[k].includes(id)));
    for (const i of ISSUES) {
      for (const fromStatus of [null, 'reported', 'dispatched', 'in_progress'] as const) {
        const place = regions.placeOfGrid(i.gridId)!;
        const change: IssueRouting = {
          ...place,
          departmentId: i.departmentId,
          previousDepartmentId: null,
          fromStatus,
          toStatus: i.status,
          reporterId: i.reporterId,
          assigneeId: i.assigneeId,
          previousAssigneeId: null,
          followerIds: i.followerIds ?? [],
        };
        const to = feedsOfIssue(change, regions);
        for (const role of ROLES) {
          if (canSeeIssue(ACTORS[role], i, regions))
            expect([role, i, meets(feedsOfActor(ACTORS[role], regions), to)]).toEqual([role, i, true]);
        }
      }
    }
  });

  it('follows the region tree for admins, the own grids and user feed for grid workers', () => {
    expect(feedsOfActor(ACTORS.admin, regions)).toEqual({ regions: [1], departments: [], pools: [], users: [100] });
    expect(feedsOfActor(ACTORS.grid_worker, regions)).toEqual({ regions: [6], departments: [], pools: [], users: [100] });
    expect(feedsOfActor(ACTORS.dept_staff, regions)).toEqual({ regions: [], departments: [], pools: [50], users: [100] });
    // Residents: no region room on the socket, only their own user feed.
    expect(feedsOfActor(ACTORS.resident, regions)).toEqual({ regions: [], departments: [], pools: [], users: [100] });
  });

  it('adds each relation only when it holds', () => {
    const rel = (a: Actor, over: Partial<ScopedIssue>) => [...issueRelations(a, issue(over), regions)].sort();
    // Someone else's report, another department, someone else's task: no relation at all.
    expect(rel(ACTORS.dept_staff, { reporterId: 200, departmentId: 51, assigneeId: 300 })).toEqual([]);
    expect(rel(ACTORS.dept_staff, { reporterId: 100 })).toEqual(['reporter']);
    expect(rel(ACTORS.dept_staff, { departmentId: 50, assigneeId: 300 })).toEqual(['department']);
    expect(rel(ACTORS.dept_staff, { departmentId: 50, assigneeId: 100 })).toEqual(['assignee', 'department']);
    expect(rel(ACTORS.grid_worker, { gridId: 7, reporterId: 200 })).toEqual([]);
  });

  it('handles an issue only from a region that holds its grid, and from the deepest of those', () => {
    const dispatcherOf = (...regionIds: number[]) => actor('dispatcher', { regionIds });
    const rel = (a: Actor) => [...issueRelations(a, issue({ gridId: 7 }), regions)].sort();
    // Street 8 lies in the other district: it neither handles grid 7 nor may pass it up.
    expect(handlingCentre(dispatcherOf(8), issue({ gridId: 7 }), regions)).toBeUndefined();
    expect(rel(dispatcherOf(8))).toEqual([]);
    // A dispatcher covering district 2 and community 5 handles from the community, in either order.
    expect(handlingCentre(dispatcherOf(2, 5), issue({ gridId: 7 }), regions)?.id).toBe(5);
    expect(handlingCentre(dispatcherOf(5, 2), issue({ gridId: 7 }), regions)?.id).toBe(5);
    expect(rel(dispatcherOf(5, 2))).toEqual(['local_centre', 'region']);
    expect(handlingCentre(dispatcherOf(8, 2), issue({ gridId: 7 }), regions)?.id).toBe(2);
  });

  it('lets every staff role report only within its scope, and residents in any open grid', async () => {
    const reportsIn = (a: Actor, tree: RegionsService = regions) => [6, 7, 10].filter((g) => mayReportInGrid(a, g, tree));
    expect(reportsIn(ACTORS.admin)).toEqual([6, 7, 10]);
    expect(reportsIn(ACTORS.viewer)).toEqual([6, 7]);
    expect(reportsIn(ACTORS.dispatcher)).toEqual([6, 7]);
    expect(reportsIn(ACTORS.dept_lead)).toEqual([]);
    expect(reportsIn(ACTORS.dept_staff)).toEqual([]);
    const grid7Closed = await regionTree(TREE, [7]);
    expect(reportsIn(ACTORS.resident, grid7Closed)).toEqual([6, 10]);
  });

  it('gives grid workers the statistics of their first grid, and says why it refuses', async () => {
    expect(statsScope(ACTORS.grid_worker, {}, regions)).toEqual({ regionId: 6, departmentId: null });
    expect(() => statsScope(ACTORS.grid_worker, { regionId: 7 }, regions)).toThrow(notFound('Region 7 not found'));
    expect(() => statsScope(ACTORS.dept_lead, { regionId: 99 }, regions)).toThrow(notFound('Region 99 not found'));
    expect(() => statsScope(ACTORS.resident, {}, regions)).toThrow(notFound('Residents have no statistics scope'));
    // Department staff have no statistics: the root is not in a region scope they do not have.
    expect(() => statsScope(ACTORS.dept_staff, {}, regions)).toThrow(notFound('Region 1 not found'));
    const noRegions = await regionTree([]);
    expect(() => statsScope(ACTORS.admin, {}, noRegions)).toThrow(notFound('There are no regions yet'));
  });

  it('routes each step of an issue to its regions, departments, pools and people, and nowhere else', () => {
    const route = (over: Partial<IssueRouting>) =>
      feedsOfIssue(
        {
          gridId: 7,
          communityId: 5,
          streetId: 4,
          districtId: 2,
          departmentId: null,
          previousDepartmentId: null,
          fromStatus: 'reported',
          toStatus: 'accepted',
          reporterId: null,
          assigneeId: null,
          previousAssigneeId: null,
          ...over,
        },
        regions,
      );
    const path = [1, 2, 4, 5, 7];
    // Accepted: the regions on the grid's path (city included) and the reporter.
    expect(route({ reporterId: 200 })).toEqual({ regions: path, departments: [], pools: [], users: [200] });
    // A reporter without an account (hotline) and no one else: no user feed.
    expect(route({})).toEqual({ regions: path, departments: [], pools: [], users: [] });
    // Dispatched to department 50: into its pool of unsigned tasks.
    expect(route({ fromStatus: 'accepted', toStatus: 'dispatched', departmentId: 50, reporterId: 200 })).toEqual({
      regions: path,
      departments: [50],
      pools: [50],
      users: [200],
    });
    // Signed by 300: out of the pool again.
    expect(route({ fromStatus: 'dispatched', toStatus: 'in_progress', departmentId: 50, assigneeId: 300 })).toEqual({
      regions: path,
      departments: [50],
      pools: [50],
      users: [300],
    });
    // Returned by the department while in progress: it was never in the pool, so no pool hears of it.
    expect(
      route({
        fromStatus: 'in_progress',
        toStatus: 'accepted',
        previousDepartmentId: 50,
        previousAssigneeId: 300,
        followerIds: [201, 300],
      }),
    ).toEqual({ regions: path, departments: [50], pools: [], users: [300, 201] });
    // A grid the tree does not know (yet): the path the event carries.
    expect(route({ gridId: 99 }).regions).toEqual([2, 4, 5, 99]);
  });
});
