import { TRANSITION_ACTIONS } from '@gridline/shared';
import { ROW_CHANGES, ROW_COLUMN } from './row-changes';

const at = new Date('2026-12-05T02:00:00Z');

describe('row changes', () => {
  it('follow from the audit event of each action', () => {
    expect(ROW_CHANGES.dispatch({ data: { departmentId: 4, suggestedDepartmentId: 2 }, at })).toEqual({
      departmentId: 4,
      assigneeId: null,
      dispatchedAt: at,
    });
    expect(ROW_CHANGES.sign({ data: { assigneeId: 9 }, at })).toEqual({ assigneeId: 9 });
    expect(ROW_CHANGES.return({ data: { departmentId: 4 }, at })).toEqual({ departmentId: null, assigneeId: null });
    expect(ROW_CHANGES.merge({ data: { primaryIssueId: 12 }, at })).toEqual({ mergedIntoId: 12 });
    expect(ROW_CHANGES.reopen({ data: {}, at })).toEqual({ resolvedAt: null });
    expect(ROW_CHANGES.verify({ data: {}, at })).toEqual({ closedAt: at });
    expect(ROW_CHANGES.suspend({ data: { sla: {} }, at })).toEqual({});
    expect(ROW_CHANGES.assign({ data: { assigneeId: 7, previousAssigneeId: 9 }, at })).toEqual({ assigneeId: 7 });
    expect(ROW_CHANGES.escalate({ data: { fromRegionId: 4, toRegionId: 2 }, at })).toEqual({ escalatedToRegionId: 2 });
    expect(ROW_CHANGES.request_hold({ data: { holdRequestId: 3 }, at })).toEqual({});
  });

  it('reclassify changes only what differs', () => {
    const change = (to: object) => ROW_CHANGES.reclassify({ data: { from: { categoryId: 3, priority: 'normal' }, to }, at });
    expect(change({ categoryId: 5, priority: 'normal' })).toEqual({ categoryId: 5 });
    expect(change({ categoryId: 3, priority: 'urgent' })).toEqual({ priority: 'urgent' });
  });

  it('refuses an event without the data it needs, and names only known columns', () => {
    expect(() => ROW_CHANGES.sign({ data: {}, at })).toThrow(/assigneeId/);
    for (const action of TRANSITION_ACTIONS) {
      const data = {
        departmentId: 1,
        assigneeId: 1,
        primaryIssueId: 1,
        toRegionId: 1,
        from: { categoryId: 1, priority: 'normal' },
        to: { categoryId: 2, priority: 'normal' },
      };
      for (const key of Object.keys(ROW_CHANGES[action]({ data, at }))) expect(Object.keys(ROW_COLUMN)).toContain(key);
    }
  });
});
