import type { IssueTransitionData } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { scopeOf, unknownScope } from './actor-scope';
import type { RegionTree } from './issue-scope';

/**
 * The live feeds of issue changes, the socket twin of canSeeIssue: a region subtree's feed, a
 * department's tasks (leads), a department's pool of dispatched unsigned tasks (staff), and a
 * user's own feed (what they reported or are assigned). `feedsOfActor` is what an actor follows,
 * `feedsOfIssue` where one change goes; side by side, so that whoever may see an issue is in one
 * of the feeds it is sent to. The live gateway turns them into room names (live-rooms.ts).
 */
export interface Feeds {
  regions: number[];
  departments: number[];
  pools: number[];
  users: number[];
}

export function feedsOfActor(actor: Actor, regions: RegionTree): Feeds {
  const feeds: Feeds = { regions: [], departments: [], pools: [], users: [...actor.userIds] };
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      feeds.regions = regions
        .all()
        .filter((r) => r.parentId === null)
        .map((r) => r.id);
      break;
    case 'regions':
      feeds.regions = [...scope.regionIds];
      break;
    case 'grids':
      // Their own reports outside their grids reach them through the user feed.
      feeds.regions = [...scope.gridIds];
      break;
    case 'department':
      feeds.departments = [...scope.departmentIds];
      break;
    case 'department_tasks':
      // Their own tasks (user feed) and the department's unsigned ones, not their colleagues'.
      feeds.pools = [...scope.departmentIds];
      break;
    case 'own':
      // Only their user feed: no region, department or pool feed.
      break;
    default:
      return unknownScope(scope);
  }
  return feeds;
}

/** What routing an issue change needs (a workflow event's data has it all). */
export type IssueRouting = Pick<
  IssueTransitionData,
  | 'gridId'
  | 'communityId'
  | 'streetId'
  | 'districtId'
  | 'departmentId'
  | 'previousDepartmentId'
  | 'fromStatus'
  | 'toStatus'
  | 'reporterId'
  | 'assigneeId'
  | 'previousAssigneeId'
> & { followerIds?: readonly number[] };

/** Where one committed change goes: every region on the grid's path, the departments and the people involved. */
export function feedsOfIssue(e: IssueRouting, regions: RegionTree): Feeds {
  const feeds: Feeds = {
    regions: [...(regions.get(e.gridId)?.path ?? [e.districtId, e.streetId, e.communityId, e.gridId])],
    departments: [],
    pools: [],
    users: [],
  };
  for (const d of new Set([e.departmentId, e.previousDepartmentId])) {
    if (d === null) continue;
    feeds.departments.push(d);
    // Into the pool (dispatched, unsigned) or out of it (signed, returned): staff who could see it see that.
    if ((e.toStatus === 'dispatched' && e.assigneeId === null) || e.fromStatus === 'dispatched') feeds.pools.push(d);
  }
  for (const u of new Set([e.reporterId, e.assigneeId, e.previousAssigneeId, ...(e.followerIds ?? [])]))
    if (u !== null) feeds.users.push(u);
  return feeds;
}
