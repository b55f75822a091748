import { ISSUE_STATUSES, isResidentRole, ROLES, TERMINAL_STATUSES, type Relation } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { contactDisclosure, contactView } from './contact-disclosure';

const actor = (role: Actor['role']): Actor => ({
  id: 1,
  username: 'u',
  displayName: 'u',
  role,
  departmentId: null,
  regionId: null,
  ownGridIds: [],
  backupUserId: null,
  away: false,
  userIds: [1],
  regionIds: [],
  gridIds: [],
  departmentIds: [],
});
const ALL = new Set<Relation>(['reporter', 'department', 'grid', 'region', 'assignee']);

describe('resident contact disclosure', () => {
  it('shows the contact in full only to a dispatcher whose scope covers the open issue', () => {
    for (const role of ROLES) {
      for (const status of ISSUE_STATUSES) {
        const expected = isResidentRole(role) ? 'none' : role === 'dispatcher' && !TERMINAL_STATUSES.includes(status) ? 'full' : 'masked';
        expect({ role, status, d: contactDisclosure(actor(role), status, ALL) }).toEqual({ role, status, d: expected });
      }
    }
    expect(contactDisclosure(actor('dispatcher'), 'reported', new Set(['grid']))).toBe('masked');
  });

  it('masks the phone as 138****1234 and the name to its first character', () => {
    const row = { id: 7, phone: '13812341234', name: '张三丰' };
    expect(contactView(row, 'masked')).toEqual({ residentId: 7, phone: '138****1234', name: '张**', masked: true });
    expect(contactView(row, 'full')).toEqual({ residentId: 7, phone: '13812341234', name: '张三丰', masked: false });
    expect(contactView({ ...row, name: null }, 'masked').name).toBeNull();
  });
});
