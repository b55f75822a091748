import type { Relation } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import type { Issue } from '../issues/issue.entity';
import type { RegionsService } from '../regions/regions.service';
import { scopeOf, unknownScope } from './actor-scope';

/** What the scope rules need of the region tree (RegionsService in the app; a tree built by hand in unit tests). */
export type RegionTree = Pick<RegionsService, 'get' | 'all' | 'isWithinAny' | 'subtreeCondition'>;

export type ScopedIssue = Pick<Issue, 'status' | 'gridId' | 'reporterId' | 'departmentId' | 'assigneeId' | 'escalatedToRegionId'> &
  Partial<Pick<Issue, 'followerIds'>>;

/** The command centres below the district, which pass big matters up (大事不出村): community, then street. */
const LOCAL_CENTRE_LEVELS: readonly string[] = ['community', 'street'];

/** How an actor relates to an issue (facts, whatever the role); the workflow table decides what each relation allows. */
export function issueRelations(actor: Actor, issue: ScopedIssue, regions: RegionTree): Set<Relation> {
  const out = new Set<Relation>();
  if (issue.reporterId !== null && actor.userIds.includes(issue.reporterId)) out.add('reporter');
  if (issue.departmentId !== null && actor.departmentIds.includes(issue.departmentId)) out.add('department');
  if (actor.gridIds.includes(issue.gridId)) out.add('grid');
  const centre = handlingCentre(actor, issue, regions);
  if (centre) out.add('region');
  if (centre && LOCAL_CENTRE_LEVELS.includes(centre.level) && centre.parentId !== null) out.add('local_centre');
  if (issue.assigneeId !== null && actor.userIds.includes(issue.assigneeId)) out.add('assignee');
  return out;
}

/**
 * The actor's own region from which they handle the issue: the deepest of their regions that holds
 * its grid and, once it was passed up (上报), the centre it went to. A centre that passed an issue
 * up still sees it (canSeeIssue) but no longer handles it.
 */
export function handlingCentre(
  actor: Actor,
  issue: Pick<ScopedIssue, 'gridId' | 'escalatedToRegionId'>,
  regions: RegionTree,
): ReturnType<RegionTree['get']> {
  let best: ReturnType<RegionTree['get']>;
  // Rows read without the column (older callers' selects) count as not escalated.
  const target = issue.escalatedToRegionId ?? null;
  for (const id of actor.regionIds) {
    if (!regions.isWithinAny(issue.gridId, [id])) continue;
    if (target !== null && !regions.isWithinAny(target, [id])) continue;
    const region = regions.get(id);
    if (region && (!best || region.path.length > best.path.length)) best = region;
  }
  return best;
}

// The two functions below are one rule written twice — for one issue in memory and for lists in
// SQL — and kept next to each other so that they cannot drift. test/scope.e2e.ts checks both.

/** Whether the actor may see this issue (anything else answers 404, never 403). */
export function canSeeIssue(actor: Actor, issue: ScopedIssue, regions: RegionTree): boolean {
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'regions':
      return regions.isWithinAny(issue.gridId, scope.regionIds);
    case 'grids':
      return scope.gridIds.includes(issue.gridId) || (issue.reporterId !== null && scope.reporterIds.includes(issue.reporterId));
    case 'department':
      return issue.departmentId !== null && scope.departmentIds.includes(issue.departmentId);
    case 'department_tasks':
      return (
        issue.departmentId !== null &&
        scope.departmentIds.includes(issue.departmentId) &&
        ((issue.assigneeId !== null && scope.assigneeIds.includes(issue.assigneeId)) ||
          (issue.status === 'dispatched' && issue.assigneeId === null))
      );
    case 'own':
      return (
        (issue.reporterId !== null && scope.userIds.includes(issue.reporterId)) ||
        (issue.followerIds ?? []).some((id) => scope.userIds.includes(id))
      );
    default:
      return unknownScope(scope);
  }
}

/** The same rule as canSeeIssue, as SQL over issue alias `i`; appends its parameters to `params`. */
export function issueVisibilitySql(actor: Actor, params: unknown[], regions: RegionTree): string {
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      return 'true';
    case 'regions':
      return regions.subtreeCondition(scope.regionIds, params);
    case 'grids':
      return `(i.grid_id = ANY(${p(scope.gridIds)}) OR i.reporter_id = ANY(${p(scope.reporterIds)}))`;
    case 'department':
      return `i.department_id = ANY(${p(scope.departmentIds)})`;
    case 'department_tasks': {
      const depts = p(scope.departmentIds);
      return `(i.department_id = ANY(${depts}) AND (i.assignee_id = ANY(${p(scope.assigneeIds)}) OR (i.status = 'dispatched' AND i.assignee_id IS NULL)))`;
    }
    case 'own': {
      const users = p(scope.userIds);
      return `(i.reporter_id = ANY(${users}) OR i.follower_ids && ${users}::int[])`;
    }
    default:
      return unknownScope(scope);
  }
}
