import {
  allowedActions,
  canTransition,
  ISSUE_ACTIONS,
  ISSUE_STATUSES,
  isTerminal,
  nextStatus,
  OPEN_STATUSES,
  roleMayTake,
  TERMINAL_STATUSES,
  TRANSITION_ACTIONS,
  TRANSITIONS,
  type IssueStatus,
  type Relation,
} from './workflow';
import { ROLES } from './roles';

const ALL_RELATIONS = new Set<Relation>(['reporter', 'department', 'grid', 'region', 'assignee']);

function reachableFromReport(): Set<IssueStatus> {
  const seen = new Set<IssueStatus>([TRANSITIONS.report.to!]);
  const queue: IssueStatus[] = [TRANSITIONS.report.to!];
  while (queue.length) {
    const status = queue.shift()!;
    for (const action of TRANSITION_ACTIONS) {
      if (!canTransition(status, action)) continue;
      const next = nextStatus(status, action);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('the issue state machine', () => {
  it('reaches every status from a report', () => {
    expect([...reachableFromReport()].sort()).toEqual([...ISSUE_STATUSES].sort());
  });

  it('lets nothing leave a terminal status, not even status-keeping actions', () => {
    for (const status of TERMINAL_STATUSES) {
      const leaving = TRANSITION_ACTIONS.filter((a) => canTransition(status, a) && nextStatus(status, a) !== status);
      expect({ status, leaving }).toEqual({ status, leaving: [] });
    }
    expect(TERMINAL_STATUSES.every(isTerminal)).toBe(true);
    expect(OPEN_STATUSES.some(isTerminal)).toBe(false);
  });

  it('has a way forward from every open status', () => {
    for (const status of OPEN_STATUSES) {
      expect(TRANSITION_ACTIONS.some((a) => canTransition(status, a) && nextStatus(status, a) !== status)).toBe(true);
    }
  });

  it('only allows evaluation after close, and supervision while open', () => {
    expect(ISSUE_STATUSES.filter((s) => canTransition(s, 'evaluate'))).toEqual(['closed']);
    expect(ISSUE_STATUSES.filter((s) => canTransition(s, 'supervise')).sort()).toEqual([...OPEN_STATUSES].sort());
  });

  it('never offers report as a transition of an existing issue', () => {
    expect(ISSUE_STATUSES.some((s) => canTransition(s, 'report'))).toBe(false);
  });

  // The SPEC §4 table, restated by hand, so a change to the shared table shows up here.
  const SPEC_ROLES: Record<(typeof ISSUE_ACTIONS)[number], string[]> = {
    report: ['dispatcher', 'grid_worker'],
    resolve_on_site: ['grid_worker'],
    accept: ['dispatcher'],
    reject: ['dispatcher'],
    merge: ['dispatcher'],
    dispatch: ['dispatcher'],
    sign: ['dept_lead', 'dept_staff'],
    return: ['dept_lead'],
    suspend: ['dispatcher'],
    resume: ['dispatcher'],
    resolve: ['dept_lead', 'dept_staff'],
    verify: ['dispatcher', 'grid_worker'],
    reopen: ['dispatcher', 'grid_worker'],
    request_extension: ['dept_lead'],
    decide_extension: ['dispatcher'],
    supervise: ['dispatcher'],
    evaluate: ['dispatcher', 'grid_worker'],
    reclassify: ['dispatcher'],
  };

  it.each(ISSUE_ACTIONS)('gives %s to exactly the roles the SPEC names', (action) => {
    expect(ROLES.filter((r) => roleMayTake(r, action)).sort()).toEqual(SPEC_ROLES[action]);
  });

  it('gives viewers and admins no workflow action at all', () => {
    for (const status of ISSUE_STATUSES) {
      expect(allowedActions(status, 'viewer', ALL_RELATIONS)).toEqual([]);
      expect(allowedActions(status, 'admin', ALL_RELATIONS)).toEqual([]);
    }
  });

  it('needs the relation as well as the role', () => {
    expect(allowedActions('dispatched', 'dept_lead', new Set())).toEqual([]);
    expect(allowedActions('dispatched', 'dept_lead', new Set(['department']))).toEqual(['sign', 'return']);
    // Staff resolve only what is assigned to them.
    expect(allowedActions('in_progress', 'dept_staff', new Set(['department']))).toEqual([]);
    expect(allowedActions('in_progress', 'dept_staff', new Set(['department', 'assignee']))).toEqual(['resolve']);
    // On-the-spot resolution is for the reporting grid worker only.
    expect(allowedActions('reported', 'grid_worker', new Set(['grid']))).toEqual([]);
    expect(allowedActions('reported', 'grid_worker', new Set(['grid', 'reporter']))).toEqual(['resolve_on_site']);
  });

  it('gives a dispatcher the 立案 choices on a fresh report', () => {
    expect(allowedActions('reported', 'dispatcher', new Set(['region']))).toEqual(['accept', 'reject', 'merge', 'supervise', 'reclassify']);
  });
});
