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
  RELATIONS,
  type Relation,
} from './workflow';
import { ROLES } from './roles';

const ALL_RELATIONS = new Set<Relation>(RELATIONS);

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

  // The product's workflow table (action → roles), restated by hand, so a change to the shared table shows up here.
  const SPEC_ROLES: Record<(typeof ISSUE_ACTIONS)[number], string[]> = {
    report: ['dispatcher', 'grid_worker', 'resident', 'volunteer'],
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
    evaluate: ['dispatcher', 'grid_worker', 'resident', 'volunteer'],
    reclassify: ['dispatcher'],
    request_info: ['dept_lead', 'dept_staff'],
    provide_info: ['grid_worker', 'resident', 'volunteer'],
    request_hold: ['dept_lead'],
    decline_hold: ['dispatcher'],
    assign: ['dept_lead'],
    escalate: ['dispatcher'],
  };

  it.each(ISSUE_ACTIONS)('gives %s to exactly the roles the product names', (action) => {
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
    expect(allowedActions('in_progress', 'dept_staff', new Set(['department', 'assignee']))).toEqual(['resolve', 'request_info']);
    // On-the-spot resolution is for the reporting grid worker only.
    expect(allowedActions('reported', 'grid_worker', new Set(['grid']))).toEqual([]);
    expect(allowedActions('reported', 'grid_worker', new Set(['grid', 'reporter']))).toEqual(['resolve_on_site']);
  });

  it('lets a resident only evaluate and answer requests for information, and only on their own report', () => {
    for (const status of ISSUE_STATUSES) {
      const own = status === 'closed' ? ['evaluate'] : status === 'in_progress' ? ['provide_info'] : [];
      expect(allowedActions(status, 'resident', ALL_RELATIONS)).toEqual(own);
      expect(allowedActions(status, 'resident', new Set(['region', 'grid', 'department']))).toEqual([]);
      // A volunteer is a resident account: the same rights on issues, no more.
      expect(allowedActions(status, 'volunteer', ALL_RELATIONS)).toEqual(own);
      expect(allowedActions(status, 'volunteer', new Set(['region', 'grid', 'department']))).toEqual([]);
    }
  });

  it('gives a dispatcher the 立案 choices on a fresh report, and a community or street centre the way up', () => {
    expect(allowedActions('reported', 'dispatcher', new Set(['region']))).toEqual(['accept', 'reject', 'merge', 'supervise', 'reclassify']);
    expect(allowedActions('reported', 'dispatcher', new Set(['region', 'local_centre']))).toEqual([
      'accept',
      'reject',
      'merge',
      'supervise',
      'reclassify',
      'escalate',
    ]);
    // A centre that passed the issue up has lost the region relation: nothing left to do there.
    expect(allowedActions('reported', 'dispatcher', new Set(['local_centre']))).toEqual([]);
  });

  it('lets a lead ask for a hold and re-assign only in their own department, and the dispatcher decide the hold', () => {
    expect(allowedActions('in_progress', 'dept_lead', new Set(['department']))).toEqual(expect.arrayContaining(['request_hold', 'assign']));
    expect(allowedActions('in_progress', 'dept_lead', new Set())).toEqual([]);
    expect(allowedActions('suspended', 'dept_lead', new Set(['department']))).toEqual(['assign']);
    expect(allowedActions('dispatched', 'dept_lead', new Set(['department']))).not.toContain('assign');
    // Staff neither ask for holds nor hand tasks on.
    expect(allowedActions('in_progress', 'dept_staff', ALL_RELATIONS)).not.toEqual(expect.arrayContaining(['request_hold']));
    expect(allowedActions('in_progress', 'dept_staff', ALL_RELATIONS)).not.toContain('assign');
    // Approve is the existing suspend; decline is its own action.
    expect(allowedActions('in_progress', 'dispatcher', new Set(['region']))).toEqual(expect.arrayContaining(['suspend', 'decline_hold']));
    expect(ISSUE_STATUSES.filter((s) => canTransition(s, 'decline_hold'))).toEqual(['in_progress']);
  });

  it('lets an issue be passed up only while open and before it is resolved, keeping its status', () => {
    expect(ISSUE_STATUSES.filter((s) => canTransition(s, 'escalate'))).toEqual([
      'reported',
      'accepted',
      'dispatched',
      'in_progress',
      'suspended',
    ]);
    for (const s of ISSUE_STATUSES) if (canTransition(s, 'escalate')) expect(nextStatus(s, 'escalate')).toBe(s);
  });
});
