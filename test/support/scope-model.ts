import { ISSUE_STATUSES, ROLES, type Role } from '@gridline/shared';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../server/src/auth/actor';
import type { Region } from '../../server/src/regions/region.entity';
import { RegionsService } from '../../server/src/regions/regions.service';
import type { ScopedIssue } from '../../server/src/scope/issue-scope';

/**
 * A small region tree, generated actors and issues, and who should see what written out by hand
 * from the role descriptions — for the scope oracle (scope-oracle.spec.ts) and the check that the
 * SQL list rule agrees (scope-equivalence.e2e.ts).
 *
 * city 1 ─ district 2 ─ street 4 ─ community 5 ─ grids 6, 7
 *        └ district 3 ─ street 8 ─ community 9 ─ grid 10
 */
export const TREE: [number, number | null, Region['level']][] = [
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
export const GRIDS = [6, 7, 10];
const REGION_IDS = TREE.map(([id]) => id);
const DEPARTMENTS = [50, 51];
const USERS = [100, 101, 102, 103];

/** The ancestors of a region and itself, by walking the parents above. */
export function lineage(id: number): number[] {
  const out: number[] = [];
  for (let cur: number | null = id; cur !== null; cur = TREE.find(([r]) => r === cur)![1]) out.push(cur);
  return out;
}

export async function regionTree(): Promise<RegionsService> {
  const rows = new Map<number, Region>();
  for (const [id, parentId, level] of TREE) {
    const path = parentId === null ? [id] : [...rows.get(parentId)!.path, id];
    rows.set(id, { id, parentId, level, code: `R${id}`, name: `Region ${id}`, path, polygon: null, active: true });
  }
  const db = { getRepository: () => ({ find: () => Promise.resolve([...rows.values()]) }) } as unknown as DataSource;
  const service = new RegionsService(db);
  await service.reload();
  return service;
}

const subset = <T>(xs: readonly T[], minLength = 0) => fc.uniqueArray(fc.constantFrom(...xs), { minLength, maxLength: xs.length });

/**
 * An actor of any role, with the scope fields a user of that role has, sometimes covering an
 * away colleague (AB 岗: a second user id, and that colleague's grids, regions or department).
 */
export const actorArb: fc.Arbitrary<Actor> = fc
  .record({
    role: fc.constantFrom<Role>(...ROLES),
    id: fc.constantFrom(...USERS),
    covers: subset(USERS),
    regionIds: subset(
      REGION_IDS.filter((r) => !GRIDS.includes(r)),
      1,
    ),
    gridIds: subset(GRIDS, 1),
    departmentIds: subset(DEPARTMENTS, 1),
  })
  .map(({ role, id, covers, regionIds, gridIds, departmentIds }) => {
    const staffLike = role !== 'resident' && role !== 'volunteer' && role !== 'admin';
    const regions = role === 'dispatcher' || role === 'viewer' ? regionIds : [];
    const grids = role === 'grid_worker' ? gridIds : [];
    const depts = role === 'dept_lead' || role === 'dept_staff' ? departmentIds : [];
    return {
      id,
      username: `u${id}`,
      displayName: `u${id}`,
      role,
      departmentId: depts[0] ?? null,
      regionId: regions[0] ?? null,
      ownGridIds: grids.slice(0, 1),
      backupUserId: null,
      away: false,
      userIds: staffLike ? [id, ...covers.filter((u) => u !== id)] : [id],
      regionIds: regions,
      gridIds: grids,
      departmentIds: depts,
    };
  });

const userOrNull = fc.option(fc.constantFrom(...USERS, 104), { nil: null });

export const issueArb: fc.Arbitrary<Required<ScopedIssue>> = fc.record({
  status: fc.constantFrom(...ISSUE_STATUSES),
  gridId: fc.constantFrom(...GRIDS),
  reporterId: userOrNull,
  departmentId: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: null }),
  assigneeId: userOrNull,
  escalatedToRegionId: fc.option(fc.constantFrom(2, 4, 5, 8, 9), { nil: null }),
  followerIds: subset([...USERS, 104]),
});

/** Who sees an issue, from the role descriptions (admin everything; a resident only their own or joined ones; …). */
export function shouldSee(actor: Actor, issue: Required<ScopedIssue>): boolean {
  const mine = (id: number | null) => id !== null && actor.userIds.includes(id);
  switch (actor.role) {
    case 'admin':
      return true;
    case 'viewer':
    case 'dispatcher':
      return lineage(issue.gridId).some((r) => actor.regionIds.includes(r));
    case 'grid_worker':
      return actor.gridIds.includes(issue.gridId) || mine(issue.reporterId);
    case 'dept_lead':
      return issue.departmentId !== null && actor.departmentIds.includes(issue.departmentId);
    case 'dept_staff':
      // their own tasks, and the department's unsigned ones waiting to be picked up; never a colleague's
      return (
        issue.departmentId !== null &&
        actor.departmentIds.includes(issue.departmentId) &&
        (mine(issue.assigneeId) || (issue.status === 'dispatched' && issue.assigneeId === null))
      );
    case 'resident':
    case 'volunteer':
      return issue.reporterId === actor.id || issue.followerIds.includes(actor.id);
  }
}
