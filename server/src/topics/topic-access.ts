import type { Actor } from '../auth/actor';
import { scopeOf, unknownScope } from '../scope/actor-scope';
import type { RegionTree } from '../scope/issue-scope';
import type { TopicRow } from './topic-rows';

/** What the topic scope rule needs of a topic. */
export type ScopedTopic = Pick<TopicRow, 'community_id' | 'assignee_user_id' | 'assignee_department_id'>;

/** The communities of the actor's grids (grid workers see their communities' topics). */
function communitiesOfGrids(gridIds: readonly number[], regions: RegionTree): number[] {
  return [...new Set(gridIds.map((g) => regions.get(g)?.parentId).filter((c): c is number => typeof c === 'number'))];
}

// One rule written twice — for one topic in memory and for lists in SQL — side by side so they cannot drift
// (as issue-scope.ts does for issues). Residents: their community (`residentCommunityId`); region roles: their
// subtrees; grid workers: their grids' communities; departments: topics assigned to them; and everyone the
// topics assigned to them as the leader who must answer.

export function canSeeTopic(actor: Actor, topic: ScopedTopic, residentCommunityId: number | null, regions: RegionTree): boolean {
  if (topic.assignee_user_id !== null && actor.userIds.includes(topic.assignee_user_id)) return true;
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'regions':
      return regions.isWithinAny(topic.community_id, scope.regionIds);
    case 'grids':
      return communitiesOfGrids(scope.gridIds, regions).includes(topic.community_id);
    case 'department':
    case 'department_tasks':
      return topic.assignee_department_id !== null && scope.departmentIds.includes(topic.assignee_department_id);
    case 'own':
      return residentCommunityId !== null && topic.community_id === residentCommunityId;
    default:
      return unknownScope(scope);
  }
}

/** canSeeTopic as SQL over topic alias `t`; appends its parameters to `params`. */
export function topicVisibilitySql(actor: Actor, residentCommunityId: number | null, params: unknown[], regions: RegionTree): string {
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const assigned = () => `t.assignee_user_id = ANY(${p(actor.userIds)}::int[])`;
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      return 'true';
    case 'regions': {
      const roots = scope.regionIds.length
        ? `t.community_id IN (SELECT id FROM regions WHERE path && ${p(scope.regionIds)}::int[])`
        : 'false';
      return `(${assigned()} OR ${roots})`;
    }
    case 'grids':
      return `(${assigned()} OR t.community_id = ANY(${p(communitiesOfGrids(scope.gridIds, regions))}::int[]))`;
    case 'department':
    case 'department_tasks':
      return `(${assigned()} OR t.assignee_department_id = ANY(${p(scope.departmentIds)}::int[]))`;
    case 'own':
      return residentCommunityId === null ? 'false' : `t.community_id = ${p(residentCommunityId)}`;
    default:
      return unknownScope(scope);
  }
}

/** Whether the actor answers for the topic: the leader it is assigned to, or a lead / staff of its department. */
export function answersFor(actor: Actor, topic: ScopedTopic): boolean {
  if (topic.assignee_user_id !== null) return actor.userIds.includes(topic.assignee_user_id);
  return (
    topic.assignee_department_id !== null &&
    (actor.role === 'dept_lead' || actor.role === 'dept_staff') &&
    actor.departmentIds.includes(topic.assignee_department_id)
  );
}
