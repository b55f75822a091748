import type { AttachmentKind } from './api';
import type { Role } from './roles';

/**
 * The one issue state machine (statuses, actions, who may take them from where). The server enforces it, the API returns the allowed
 * actions computed from it, and the dashboard builds its buttons from those.
 */
export const ISSUE_STATUSES = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'suspended',
  'resolved',
  'closed',
  'rejected',
  'merged',
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const TERMINAL_STATUSES: readonly IssueStatus[] = ['closed', 'rejected', 'merged'];
export const OPEN_STATUSES: readonly IssueStatus[] = ISSUE_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export const ISSUE_ACTIONS = [
  'report',
  'resolve_on_site',
  'accept',
  'reject',
  'merge',
  'dispatch',
  'sign',
  'return',
  'suspend',
  'resume',
  'resolve',
  'verify',
  'reopen',
  'request_extension',
  'decide_extension',
  'supervise',
  'evaluate',
  'reclassify',
  'request_info',
  'provide_info',
  // Everyday moves (SPEC §15): a hold asked for by the department, a new handler, a matter passed up.
  'request_hold',
  'decline_hold',
  'assign',
  'escalate',
] as const;
export type IssueAction = (typeof ISSUE_ACTIONS)[number];
/** Actions taken on an existing issue through `POST /issues/:id/actions/:action`. */
export type IssueTransitionAction = Exclude<IssueAction, 'report'>;
export const TRANSITION_ACTIONS = ISSUE_ACTIONS.filter((a): a is IssueTransitionAction => a !== 'report');

/**
 * How an actor must relate to the issue, beyond role and scope:
 * - `reporter`: the actor reported this issue;
 * - `department`: the issue is dispatched to the actor's department;
 * - `grid`: the issue lies in one of the actor's grids (grid workers);
 * - `region`: the issue lies in the actor's region subtree (dispatchers);
 * - `region`: the issue lies in the actor's region subtree and, once escalated, the command centre it
 *   was passed to lies there too (dispatchers; a centre that passed it up no longer handles it);
 * - `assignee`: the issue is assigned to the actor (department staff work only their own tasks);
 * - `local_centre`: the actor's command centre handling the issue is a community or street one, with a
 *   centre above it to pass big matters to (大事不出村: the district centre escalates nowhere).
 */
export type Relation = 'reporter' | 'department' | 'grid' | 'region' | 'assignee' | 'local_centre';
export const RELATIONS: readonly Relation[] = ['reporter', 'department', 'grid', 'region', 'assignee', 'local_centre'];

export interface ActorRule {
  role: Role;
  /** Every relation listed must hold. */
  relations: readonly Relation[];
}

export interface TransitionRule {
  /** Statuses the action may be taken from; `null` for `report`, which creates the issue. */
  from: readonly IssueStatus[] | null;
  /** The status after the action; `null` when the action leaves the status as it is. */
  to: IssueStatus | null;
  actors: readonly ActorRule[];
}

const dept = (role: Role): ActorRule => ({ role, relations: ['department'] });
const dispatcher: ActorRule = { role: 'dispatcher', relations: ['region'] };
const gridWorker: ActorRule = { role: 'grid_worker', relations: ['grid'] };
/** A resident reports anywhere (the location picks the grid); on an existing issue they act only as its reporter. */
const residentReporter: ActorRule = { role: 'resident', relations: ['reporter'] };
/** A volunteer is a resident account too (approved by the community): the same rights on issues. */
const volunteerReporter: ActorRule = { role: 'volunteer', relations: ['reporter'] };

export const TRANSITIONS: Readonly<Record<IssueAction, TransitionRule>> = {
  report: {
    from: null,
    to: 'reported',
    actors: [gridWorker, dispatcher, { role: 'resident', relations: [] }, { role: 'volunteer', relations: [] }],
  },
  resolve_on_site: {
    from: ['reported'],
    to: 'resolved',
    actors: [{ role: 'grid_worker', relations: ['grid', 'reporter'] }],
  },
  accept: { from: ['reported'], to: 'accepted', actors: [dispatcher] },
  reject: { from: ['reported'], to: 'rejected', actors: [dispatcher] },
  merge: { from: ['reported'], to: 'merged', actors: [dispatcher] },
  dispatch: { from: ['accepted'], to: 'dispatched', actors: [dispatcher] },
  sign: { from: ['dispatched'], to: 'in_progress', actors: [dept('dept_lead'), dept('dept_staff')] },
  return: { from: ['dispatched', 'in_progress'], to: 'accepted', actors: [dept('dept_lead')] },
  suspend: { from: ['in_progress'], to: 'suspended', actors: [dispatcher] },
  resume: { from: ['suspended'], to: 'in_progress', actors: [dispatcher] },
  resolve: {
    from: ['in_progress'],
    to: 'resolved',
    actors: [dept('dept_lead'), { role: 'dept_staff', relations: ['department', 'assignee'] }],
  },
  verify: { from: ['resolved'], to: 'closed', actors: [gridWorker, dispatcher] },
  reopen: { from: ['resolved'], to: 'in_progress', actors: [gridWorker, dispatcher] },
  request_extension: { from: ['in_progress'], to: null, actors: [dept('dept_lead')] },
  // A request made while in progress may still be decided after the issue was put on hold.
  decide_extension: { from: ['in_progress', 'suspended'], to: null, actors: [dispatcher] },
  supervise: { from: OPEN_STATUSES, to: null, actors: [dispatcher] },
  // Change of category or priority (改派类别/级别): SLA clocks are recomputed keeping elapsed and paused time.
  reclassify: { from: OPEN_STATUSES, to: null, actors: [dispatcher] },
  // 补充材料: the department asks the reporter for more (a note); the handle clock stands still until the answer (or 3 working days).
  request_info: {
    from: ['in_progress'],
    to: null,
    actors: [dept('dept_lead'), { role: 'dept_staff', relations: ['department', 'assignee'] }],
  },
  provide_info: {
    from: ['in_progress'],
    to: null,
    actors: [residentReporter, volunteerReporter, { role: 'grid_worker', relations: ['reporter'] }],
  },
  evaluate: {
    from: ['closed'],
    to: null,
    actors: [{ role: 'grid_worker', relations: ['grid', 'reporter'] }, dispatcher, residentReporter, volunteerReporter],
  },
  // 挂账申请: the department asks; the dispatcher approves with `suspend` (which settles the request) or declines.
  request_hold: { from: ['in_progress'], to: null, actors: [dept('dept_lead')] },
  decline_hold: { from: ['in_progress'], to: null, actors: [dispatcher] },
  // 改派承办人: after signing, the lead hands the task to another member of the department (during a hold too).
  assign: { from: ['in_progress', 'suspended'], to: null, actors: [dept('dept_lead')] },
  // 上报: a community or street centre passes the issue to the centre one level up; the clocks run on.
  escalate: {
    from: ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended'],
    to: null,
    actors: [{ role: 'dispatcher', relations: ['region', 'local_centre'] }],
  },
};

/** Which actions take photos, and as what kind; other actions refuse them. */
export const ACTION_PHOTO_KIND: Readonly<Partial<Record<IssueAction, AttachmentKind>>> = {
  report: 'before',
  resolve_on_site: 'after',
  resolve: 'after',
  reopen: 'evidence',
  verify: 'evidence',
  return: 'evidence',
  supervise: 'evidence',
  provide_info: 'evidence',
};

export function isIssueStatus(value: unknown): value is IssueStatus {
  return typeof value === 'string' && (ISSUE_STATUSES as readonly string[]).includes(value);
}

export function isTransitionAction(value: unknown): value is IssueTransitionAction {
  return typeof value === 'string' && (TRANSITION_ACTIONS as readonly string[]).includes(value);
}

export function isTerminal(status: IssueStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Whether the action may be taken from this status, whoever asks. */
export function canTransition(status: IssueStatus, action: IssueAction): boolean {
  const from = TRANSITIONS[action].from;
  return from !== null && from.includes(status);
}

/** The status an action leads to from `status` (unchanged for actions that keep it). */
export function nextStatus(status: IssueStatus, action: IssueTransitionAction): IssueStatus {
  return TRANSITIONS[action].to ?? status;
}

/** Whether this role appears among the action's actors at all (otherwise: 403). */
export function roleMayTake(role: Role, action: IssueAction): boolean {
  return TRANSITIONS[action].actors.some((a) => a.role === role);
}

/**
 * The actions this actor may take now. `relations` says which relations hold between the
 * actor and the issue; the server computes them, so this stays a pure function of data.
 */
export function allowedActions(status: IssueStatus, role: Role, relations: ReadonlySet<Relation>): IssueTransitionAction[] {
  return TRANSITION_ACTIONS.filter(
    (action) =>
      canTransition(status, action) &&
      TRANSITIONS[action].actors.some((a) => a.role === role && a.relations.every((r) => relations.has(r))),
  );
}
