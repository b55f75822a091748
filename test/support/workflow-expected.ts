import type { IssueStatus, IssueTransitionAction, Relation, Role } from '@gridline/shared';

/**
 * The workflow as the product description states it, typed in by hand and never derived from
 * shared/src/workflow.ts: for each status and role, the actions allowed and, in brackets, the
 * relations to the issue each one needs (grid = in the actor's grid, region = the actor's centre
 * handles it, local_centre = a community or street centre with one above it, department =
 * dispatched to the actor's department, assignee = assigned to the actor, reporter = the actor
 * reported it). A role or status not listed may do nothing. The workflow table must equal this
 * exactly: widening it (say, `verify` from `in_progress`) or narrowing it fails the oracle test.
 */
const BY_STATUS: Record<IssueStatus, Partial<Record<Role, string>>> = {
  reported: {
    grid_worker: 'resolve_on_site(grid,reporter)',
    dispatcher: 'accept(region) reject(region) merge(region) supervise(region) reclassify(region) escalate(region,local_centre)',
  },
  accepted: {
    dispatcher: 'dispatch(region) supervise(region) reclassify(region) escalate(region,local_centre)',
  },
  dispatched: {
    dispatcher: 'supervise(region) reclassify(region) escalate(region,local_centre)',
    dept_lead: 'sign(department) return(department)',
    dept_staff: 'sign(department)',
  },
  in_progress: {
    dispatcher:
      'suspend(region) decide_extension(region) decline_hold(region) supervise(region) reclassify(region) escalate(region,local_centre)',
    dept_lead:
      'return(department) resolve(department) request_extension(department) request_info(department) request_hold(department) assign(department)',
    dept_staff: 'resolve(department,assignee) request_info(department,assignee)',
    grid_worker: 'provide_info(reporter)',
    resident: 'provide_info(reporter)',
    volunteer: 'provide_info(reporter)',
  },
  suspended: {
    dispatcher: 'resume(region) decide_extension(region) supervise(region) reclassify(region) escalate(region,local_centre)',
    dept_lead: 'assign(department)',
  },
  resolved: {
    grid_worker: 'verify(grid) reopen(grid)',
    dispatcher: 'verify(region) reopen(region) supervise(region) reclassify(region)',
  },
  closed: {
    grid_worker: 'evaluate(grid,reporter)',
    dispatcher: 'evaluate(region)',
    resident: 'evaluate(reporter)',
    volunteer: 'evaluate(reporter)',
  },
  rejected: {},
  merged: {},
};

/** Where each status-changing action leads; the others keep the status. */
export const EXPECTED_NEXT: Partial<Record<IssueTransitionAction, IssueStatus>> = {
  resolve_on_site: 'resolved',
  accept: 'accepted',
  reject: 'rejected',
  merge: 'merged',
  dispatch: 'dispatched',
  sign: 'in_progress',
  return: 'accepted',
  suspend: 'suspended',
  resume: 'in_progress',
  resolve: 'resolved',
  verify: 'closed',
  reopen: 'in_progress',
};

export interface ExpectedRule {
  action: IssueTransitionAction;
  relations: Relation[];
}

/** The rules of one status and role, as written above. */
export function expectedRules(status: IssueStatus, role: Role): ExpectedRule[] {
  const text = BY_STATUS[status][role] ?? '';
  return text
    .split(' ')
    .filter(Boolean)
    .map((item) => {
      const m = /^(\w+)\(([\w,]*)\)$/.exec(item);
      if (!m) throw new Error(`workflow-expected: cannot read "${item}"`);
      return { action: m[1] as IssueTransitionAction, relations: m[2]!.split(',').filter(Boolean) as Relation[] };
    });
}

/** The actions this role may take in this status when the given relations hold. */
export function expectedActions(status: IssueStatus, role: Role, relations: ReadonlySet<Relation>): IssueTransitionAction[] {
  return expectedRules(status, role)
    .filter((r) => r.relations.every((rel) => relations.has(rel)))
    .map((r) => r.action);
}

/** Whether anyone may take the action from this status. */
export function expectedFrom(status: IssueStatus, action: IssueTransitionAction, roles: readonly Role[]): boolean {
  return roles.some((role) => expectedRules(status, role).some((r) => r.action === action));
}

/** Whether the role may take the action in some status at all (otherwise the answer is 403 FORBIDDEN_ROLE). */
export function expectedRoleMayTake(role: Role, action: IssueTransitionAction, statuses: readonly IssueStatus[]): boolean {
  return statuses.some((s) => expectedRules(s, role).some((r) => r.action === action));
}

/** The status after the action. */
export function expectedNext(status: IssueStatus, action: IssueTransitionAction): IssueStatus {
  return EXPECTED_NEXT[action] ?? status;
}

/** Every action named in the table, for the check that the code knows no other. */
export function expectedActionNames(): IssueTransitionAction[] {
  const names = new Set<IssueTransitionAction>();
  for (const status of Object.keys(BY_STATUS) as IssueStatus[]) {
    for (const role of Object.keys(BY_STATUS[status]) as Role[]) for (const r of expectedRules(status, role)) names.add(r.action);
  }
  return [...names];
}
