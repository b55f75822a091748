import type { IssueTransitionAction, Priority } from '@gridline/shared';
import type { Issue } from './issue.entity';

/** The issue columns an action may change besides status, version and updated_at. */
export type RowChanges = Partial<
  Pick<
    Issue,
    | 'categoryId'
    | 'priority'
    | 'departmentId'
    | 'assigneeId'
    | 'mergedIntoId'
    | 'escalatedToRegionId'
    | 'acceptedAt'
    | 'dispatchedAt'
    | 'resolvedAt'
    | 'closedAt'
  >
>;

export const ROW_COLUMN: Readonly<Record<keyof RowChanges, string>> = {
  categoryId: 'category_id',
  priority: 'priority',
  departmentId: 'department_id',
  assigneeId: 'assignee_id',
  mergedIntoId: 'merged_into_id',
  escalatedToRegionId: 'escalated_to_region_id',
  acceptedAt: 'accepted_at',
  dispatchedAt: 'dispatched_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
};

/** An action's audit event, as far as the issue row follows from it. */
export interface RecordedAction {
  data: Readonly<Record<string, unknown>>;
  at: Date;
}

/**
 * What each action leaves on the issue row, read from its audit event: the one table of these
 * rules, used by the transition path (IssueTransitionsService) and by the seed's history replay,
 * so the demo rows are what the server would have written. Status follows from the workflow table.
 */
export const ROW_CHANGES: Readonly<Record<IssueTransitionAction, (e: RecordedAction) => RowChanges>> = {
  resolve_on_site: ({ at }) => ({ resolvedAt: at }),
  accept: ({ at }) => ({ acceptedAt: at }),
  reject: () => ({}),
  merge: ({ data }) => ({ mergedIntoId: num(data, 'primaryIssueId') }),
  // A new department starts unsigned.
  dispatch: ({ data, at }) => ({ departmentId: num(data, 'departmentId'), assigneeId: null, dispatchedAt: at }),
  sign: ({ data }) => ({ assigneeId: num(data, 'assigneeId') }),
  return: () => ({ departmentId: null, assigneeId: null }),
  suspend: () => ({}),
  resume: () => ({}),
  resolve: ({ at }) => ({ resolvedAt: at }),
  verify: ({ at }) => ({ closedAt: at }),
  // 核查不通过: no longer resolved.
  reopen: () => ({ resolvedAt: null }),
  request_extension: () => ({}),
  decide_extension: () => ({}),
  supervise: () => ({}),
  evaluate: () => ({}),
  request_info: () => ({}),
  provide_info: () => ({}),
  // Settled in hold_requests; the hold itself is `suspend`.
  request_hold: () => ({}),
  decline_hold: () => ({}),
  assign: ({ data }) => ({ assigneeId: num(data, 'assigneeId') }),
  // The centre above handles it from now on (scope: the `region` relation); clocks and status stay.
  escalate: ({ data }) => ({ escalatedToRegionId: num(data, 'toRegionId') }),
  reclassify: ({ data }) => {
    const from = data.from as { categoryId: number; priority: Priority };
    const to = data.to as { categoryId: number; priority: Priority };
    return {
      ...(to.categoryId !== from.categoryId ? { categoryId: to.categoryId } : {}),
      ...(to.priority !== from.priority ? { priority: to.priority } : {}),
    };
  },
};

function num(data: Readonly<Record<string, unknown>>, key: string): number {
  const value = data[key];
  if (typeof value !== 'number') throw new Error(`The audit event's data.${key} is not a number`);
  return value;
}
