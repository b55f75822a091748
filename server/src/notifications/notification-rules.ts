import {
  SMS_KINDS,
  type IssueDomainEvent,
  type IssueEventBase,
  type NotificationKind,
  type Role,
  type SlaFiredData,
  type SlaStage,
} from '@gridline/shared';

/**
 * Who is told of what, as data: each domain event that concerns someone becomes one notification
 * kind, its text, whether it is urgent, and its audiences. An audience is a role within a scope
 * (the grid's workers, the department's leads, the dispatchers above the grid) or a named person
 * (the assignee, the reporter); the SQL twin in notification-sql.ts turns them into users, with
 * their AB 岗 backups, active users only, the actor left out.
 */
export type Audience =
  | { kind: 'grid_workers' }
  | { kind: 'department_leads' }
  | { kind: 'dispatchers' }
  | { kind: 'assignee' }
  | { kind: 'reporter' }
  /** The residents of the issue: the one who reported it (a resident) and those who joined it as "me too". */
  | { kind: 'residents' };

export interface NotificationPlan {
  kind: NotificationKind;
  urgent: boolean;
  audiences: Audience[];
  title: string;
  body: string;
  /** Who caused it: not told of their own act. */
  actorId: number | null;
}

const GRID: Audience = { kind: 'grid_workers' };
const LEADS: Audience = { kind: 'department_leads' };
const DISPATCHERS: Audience = { kind: 'dispatchers' };
const ASSIGNEE: Audience = { kind: 'assignee' };
const REPORTER: Audience = { kind: 'reporter' };
const RESIDENTS: Audience = { kind: 'residents' };

const STAGE_ZH: Record<SlaStage, string> = {
  accept: '受理',
  dispatch: '派遣',
  sign: '签收',
  handle: '处置',
  verify: '核查',
  overall: '总',
};

/** Who answers for an SLA stage: dispatchers for intake, the department while it holds the task, the grid for 核查. */
function slaAudiences(d: SlaFiredData): Audience[] {
  switch (d.stage) {
    case 'accept':
    case 'dispatch':
      return [DISPATCHERS];
    case 'sign':
    case 'handle':
      return [LEADS, ASSIGNEE];
    case 'verify':
      return [GRID];
    case 'overall':
      return d.departmentId === null ? [DISPATCHERS] : [LEADS, ASSIGNEE];
  }
}

const issueText = (d: IssueEventBase) => d.title || d.number;

/** The notification an event makes, or null when it concerns no one's inbox. */
export function planFor(e: IssueDomainEvent): NotificationPlan | null {
  switch (e.type) {
    case 'issue.reported':
    case 'sla.escalated': // the 督办 raised with it is its own event (supervision.raised)
    case 'supervision.responded': // the answer shows on the 督办 queue and the issue
    case 'supervision.closed':
      return null;
    case 'issue.transitioned': {
      const d = e.data;
      const base = { actorId: d.actorId, body: issueText(d) };
      if (d.toStatus === 'closed') {
        return { ...base, kind: 'closed', urgent: false, audiences: [RESIDENTS], title: `您反映的问题已办结 ${d.number}` };
      }
      switch (d.action) {
        case 'resolve':
          return { ...base, kind: 'verify_task', urgent: false, audiences: [GRID], title: `待核查 ${d.number}` };
        case 'reopen':
          return {
            ...base,
            kind: 'reopened',
            urgent: false,
            audiences: [GRID, REPORTER, LEADS, ASSIGNEE],
            title: `核查不通过，已重办 ${d.number}`,
          };
        case 'dispatch': {
          const urgent = d.priority === 'urgent';
          return {
            ...base,
            kind: 'dispatched',
            urgent,
            audiences: [LEADS, ASSIGNEE],
            title: `${urgent ? '【紧急】' : ''}新派遣任务 ${d.number}`,
          };
        }
        case 'return':
          return { ...base, kind: 'returned', urgent: false, audiences: [DISPATCHERS], title: `部门退回 ${d.number}` };
        case 'request_extension':
          return { ...base, kind: 'extension_requested', urgent: false, audiences: [DISPATCHERS], title: `延期申请 ${d.number}` };
        default:
          return null;
      }
    }
    case 'sla.warning':
      return {
        kind: 'sla_warning',
        urgent: false,
        audiences: slaAudiences(e.data),
        title: `黄牌预警 ${e.data.number}`,
        body: `${STAGE_ZH[e.data.stage]}时限将到：${issueText(e.data)}`,
        actorId: null,
      };
    case 'sla.breached':
      return {
        kind: 'sla_breached',
        urgent: true,
        audiences: slaAudiences(e.data),
        title: `红牌超时 ${e.data.number}`,
        body: `${STAGE_ZH[e.data.stage]}已超时：${issueText(e.data)}`,
        actorId: null,
      };
    case 'supervision.raised': {
      const d = e.data;
      return {
        kind: 'supervision',
        urgent: true,
        audiences: d.departmentId === null ? [DISPATCHERS] : [LEADS, ASSIGNEE],
        title: `督办 ${d.number}`,
        body: `${d.clockId === null ? '指挥中心督办' : '超时自动督办'}：${issueText(d)}`,
        actorId: d.byUserId,
      };
    }
  }
}

/** Whether this notification may also go by SMS (must not be missed): 红牌, 督办, an urgent dispatch. */
export function smsEligible(plan: Pick<NotificationPlan, 'kind' | 'urgent'>): boolean {
  return SMS_KINDS.includes(plan.kind) && (plan.kind !== 'dispatched' || plan.urgent);
}

/** Roles a named person (reporter, assignee) must have to be told: staff who work the issue, not residents. */
export const NAMED_ROLES: readonly Role[] = ['grid_worker', 'dept_lead', 'dept_staff'];
