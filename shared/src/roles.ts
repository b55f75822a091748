/** Who a user is in the product. Scope is enforced per role on every read and write (server/src/scope/). */
export const ROLES = ['grid_worker', 'dispatcher', 'dept_lead', 'dept_staff', 'viewer', 'admin', 'resident', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Resident accounts: they sign themselves up with a phone number and a one-time code. A volunteer
 * (志愿者) is a resident whose registration the community approved (报到); they keep every resident
 * right and gain the service pool's.
 */
export const RESIDENT_ROLES = ['resident', 'volunteer'] as const satisfies readonly Role[];
export type ResidentRole = (typeof RESIDENT_ROLES)[number];
export const isResidentRole = (role: Role): role is ResidentRole => (RESIDENT_ROLES as readonly Role[]).includes(role);

/** Roles an administrator creates and scopes. */
export const STAFF_ROLES = ROLES.filter((r): r is Exclude<Role, ResidentRole> => !isResidentRole(r));
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  dispatcher: { zh: '指挥中心受理员', en: 'Dispatcher' },
  dept_lead: { zh: '部门负责人', en: 'Department lead' },
  dept_staff: { zh: '部门处置人员', en: 'Department staff' },
  viewer: { zh: '大屏/领导', en: 'Viewer' },
  admin: { zh: '管理员', en: 'Administrator' },
  resident: { zh: '群众', en: 'Resident' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
