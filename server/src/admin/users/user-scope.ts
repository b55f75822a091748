import { ROLE_SCOPE, type Role } from '@gridline/shared';
import { AppException } from '../../common/app.exception';

export interface Scope {
  departmentId: number | null;
  regionId: number | null;
  gridIds: number[];
}

const EMPTY: Scope = { departmentId: null, regionId: null, gridIds: [] };
const isEmpty = (field: keyof Scope, value: Scope[keyof Scope] | undefined) =>
  value === undefined || value === null || (field === 'gridIds' && (value as number[]).length === 0);

/**
 * The scope a user of `role` ends up with: the one field their role uses (ROLE_SCOPE; the users
 * table CHECKs the same), taken from `sent` or else kept from `current`; the others cleared.
 * A field sent that the role does not use is refused rather than silently dropped.
 */
export function scopeFor(role: Role, sent: Partial<Scope>, current: Scope = EMPTY, currentRole: Role | null = null): Scope {
  const field = ROLE_SCOPE[role];
  for (const other of ['departmentId', 'regionId', 'gridIds'] as const) {
    if (other !== field && !isEmpty(other, sent[other])) {
      throw new AppException('SCOPE_INVALID', `A ${role} has no ${other}${field ? `; set ${field}` : ''}`, { field: other });
    }
  }
  if (field === null) return EMPTY;
  // A new role keeps the old value only when it uses the same field (e.g. dept_staff → dept_lead).
  const kept = currentRole !== null && ROLE_SCOPE[currentRole] === field ? current[field] : EMPTY[field];
  const value = sent[field] !== undefined ? sent[field] : kept;
  if (isEmpty(field, value)) {
    const what = field === 'gridIds' ? 'at least one grid' : field === 'regionId' ? 'a region' : 'a department';
    throw new AppException('SCOPE_INVALID', `A ${role} needs ${what} (${field})`, { field });
  }
  return { ...EMPTY, [field]: field === 'gridIds' ? [...new Set(value as number[])] : value };
}
