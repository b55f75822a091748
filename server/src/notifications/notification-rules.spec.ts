import { ISSUE_ACTIONS, type IssueDomainEvent, type IssueTransitionData, type SlaFiredData } from '@gridline/shared';
import { planFor, smsEligible } from './notification-rules';

const base = {
  issueId: 1,
  number: 'GL-20261205-000001',
  seq: 2,
  status: 'dispatched',
  version: 3,
  title: '路灯不亮',
  categoryId: 10,
  priority: 'normal',
  source: 'grid_worker',
  gridId: 9,
  communityId: 8,
  streetId: 7,
  districtId: 6,
  departmentId: 5,
  reporterId: 4,
  assigneeId: null,
} as const;

const step = (action: IssueTransitionData['action'], extra: Partial<IssueTransitionData> = {}): IssueDomainEvent => ({
  id: '100',
  type: 'issue.transitioned',
  occurredAt: '2026-12-05T08:00:00.000Z',
  data: {
    ...base,
    action,
    fromStatus: 'accepted',
    toStatus: 'dispatched',
    actorId: 2,
    previousDepartmentId: null,
    previousAssigneeId: null,
    sla: null,
    ...extra,
  },
});
const sla = (type: 'sla.warning' | 'sla.breached', stage: SlaFiredData['stage'], departmentId: number | null = 5): IssueDomainEvent =>
  ({
    id: '101',
    type,
    occurredAt: '2026-12-05T08:00:00.000Z',
    data: {
      ...base,
      departmentId,
      clockId: 1,
      stage,
      level: type === 'sla.warning' ? 'warning' : 'breach',
      dueAt: null,
      supervisionId: null,
      supervisionRegionId: null,
    },
  }) as IssueDomainEvent;

describe('planFor', () => {
  it('tells only of the steps someone must act on', () => {
    const told = ISSUE_ACTIONS.filter((a) => a !== 'report' && planFor(step(a)) !== null);
    expect(told.sort()).toEqual(['dispatch', 'reopen', 'request_extension', 'resolve', 'return']);
  });

  it('names who: the grid for 核查, the department for a dispatch, the dispatchers for returns and extensions', () => {
    expect(planFor(step('resolve'))!.audiences).toEqual([{ kind: 'grid_workers' }]);
    expect(planFor(step('dispatch'))!.audiences).toEqual([{ kind: 'department_leads' }, { kind: 'assignee' }]);
    expect(planFor(step('return'))!.audiences).toEqual([{ kind: 'dispatchers' }]);
    expect(planFor(step('request_extension'))).toMatchObject({ kind: 'extension_requested', actorId: 2 });
  });

  it('an urgent dispatch is urgent, and may go by SMS; an ordinary one may not', () => {
    const urgent = planFor(step('dispatch', { priority: 'urgent' }))!;
    expect(urgent).toMatchObject({ kind: 'dispatched', urgent: true });
    expect(smsEligible(urgent)).toBe(true);
    expect(smsEligible(planFor(step('dispatch'))!)).toBe(false);
  });

  it('SLA cards go to whoever holds the stage; 红牌 may go by SMS, 黄牌 not', () => {
    expect(planFor(sla('sla.warning', 'accept'))!.audiences).toEqual([{ kind: 'dispatchers' }]);
    expect(planFor(sla('sla.warning', 'handle'))!.audiences).toEqual([{ kind: 'department_leads' }, { kind: 'assignee' }]);
    expect(planFor(sla('sla.breached', 'verify'))!.audiences).toEqual([{ kind: 'grid_workers' }]);
    expect(planFor(sla('sla.breached', 'overall', null))!.audiences).toEqual([{ kind: 'dispatchers' }]);
    expect(smsEligible(planFor(sla('sla.breached', 'sign'))!)).toBe(true);
    expect(smsEligible(planFor(sla('sla.warning', 'sign'))!)).toBe(false);
  });
});
