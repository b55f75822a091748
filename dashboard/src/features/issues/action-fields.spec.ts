import { describe, expect, it } from '@jest/globals';
import { TRANSITION_ACTIONS } from '@gridline/shared';
import { buildBody, emptyValues, formSpec } from './action-fields';

describe('action forms', () => {
  it('has a form for every transition action, with photos exactly where the workflow takes them', () => {
    for (const action of TRANSITION_ACTIONS) expect(formSpec(action).fields).toBeDefined();
    expect(formSpec('resolve').photoKind).toBe('after');
    expect(formSpec('accept').photoKind).toBeNull();
  });

  it('sends only the fields of the action and leaves out empty optional ones', () => {
    const values = { ...emptyValues(), departmentId: 5, note: '', reason: 'ignored' };
    expect(buildBody('dispatch', values)).toEqual({ departmentId: 5 });
    expect(buildBody('sign', { ...values, assigneeId: 9, note: ' 请尽快 ' })).toEqual({ assigneeId: 9, note: '请尽快' });
  });

  it('sends required text even when empty, so the server can say what is missing', () => {
    expect(buildBody('reject', emptyValues())).toEqual({ reason: '' });
    expect(buildBody('decide_extension', { ...emptyValues(), approve: false })).toEqual({ approve: false });
  });
});
