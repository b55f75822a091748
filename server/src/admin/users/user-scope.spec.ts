import { AppException } from '../../common/app.exception';
import { scopeFor } from './user-scope';

const refused = (fn: () => unknown, field: string) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppException);
    expect((err as AppException).code).toBe('SCOPE_INVALID');
    expect((err as AppException).details).toEqual({ field });
    return;
  }
  throw new Error('not refused');
};

describe('scopeFor', () => {
  it('keeps only the field the role uses', () => {
    expect(scopeFor('grid_worker', { gridIds: [5, 5, 6] })).toEqual({ departmentId: null, regionId: null, gridIds: [5, 6] });
    expect(scopeFor('viewer', { regionId: 3 })).toEqual({ departmentId: null, regionId: 3, gridIds: [] });
    expect(scopeFor('admin', {})).toEqual({ departmentId: null, regionId: null, gridIds: [] });
  });

  it('refuses a missing scope and a scope of another role', () => {
    refused(() => scopeFor('grid_worker', { gridIds: [] }), 'gridIds');
    refused(() => scopeFor('dept_lead', { departmentId: 1, regionId: 2 }), 'regionId');
    refused(() => scopeFor('admin', { departmentId: 1 }), 'departmentId');
  });

  it('on a role change keeps the old value only when the new role uses the same field', () => {
    const current = { departmentId: 4, regionId: null, gridIds: [] };
    expect(scopeFor('dept_staff', {}, current, 'dept_lead').departmentId).toBe(4);
    refused(() => scopeFor('dispatcher', {}, current, 'dept_lead'), 'regionId');
    // the old field is cleared, not refused, when it was the user's own
    expect(scopeFor('dispatcher', { regionId: 2 }, current, 'dept_lead')).toEqual({ departmentId: null, regionId: 2, gridIds: [] });
  });
});
