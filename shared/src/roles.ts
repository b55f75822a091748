/** Who a user is in the product (SPEC §2). Scope is enforced per role on every read and write. */
export const ROLES = ['grid_worker', 'dispatcher', 'dept_lead', 'dept_staff', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  dispatcher: { zh: '指挥中心受理员', en: 'Dispatcher' },
  dept_lead: { zh: '部门负责人', en: 'Department lead' },
  dept_staff: { zh: '部门处置人员', en: 'Department staff' },
  viewer: { zh: '大屏/领导', en: 'Viewer' },
  admin: { zh: '管理员', en: 'Administrator' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
