import type { Role } from '@gridline/shared';
import type { MessageKey } from '@/i18n';

/** The work areas of the app and which roles use them. One table for routes, guard and home cards. */
export const AREA_IDS = ['m', 'console', 'dept', 'wall', 'admin', 'r', 'kpi', 'v'] as const;
export type AreaId = (typeof AREA_IDS)[number];

export interface AreaDef {
  id: AreaId;
  path: `/${string}`;
  titleKey: MessageKey;
  descKey: MessageKey;
}

export const AREAS: Record<AreaId, AreaDef> = {
  m: { id: 'm', path: '/m', titleKey: 'area.m.title', descKey: 'area.m.desc' },
  console: { id: 'console', path: '/console', titleKey: 'area.console.title', descKey: 'area.console.desc' },
  dept: { id: 'dept', path: '/dept', titleKey: 'area.dept.title', descKey: 'area.dept.desc' },
  wall: { id: 'wall', path: '/wall', titleKey: 'area.wall.title', descKey: 'area.wall.desc' },
  admin: { id: 'admin', path: '/admin', titleKey: 'area.admin.title', descKey: 'area.admin.desc' },
  r: { id: 'r', path: '/r', titleKey: 'area.r.title', descKey: 'area.r.desc' },
  kpi: { id: 'kpi', path: '/kpi', titleKey: 'area.kpi.title', descKey: 'area.kpi.desc' },
  v: { id: 'v', path: '/v', titleKey: 'area.v.title', descKey: 'area.v.desc' },
};

/** The areas each role works in, most used first. */
export const ROLE_AREAS: Record<Role, readonly AreaId[]> = {
  grid_worker: ['m'],
  dispatcher: ['console', 'wall', 'kpi'],
  dept_lead: ['dept', 'kpi'],
  dept_staff: ['dept'],
  viewer: ['wall', 'kpi'],
  admin: ['admin', 'wall', 'kpi'],
  resident: ['r'],
  // A volunteer is a resident account: the volunteer app first, and everything of /r.
  volunteer: ['v', 'r'],
};

/**
 * Where signing in lands: straight in the work area when the role has only one (the grid worker
 * in /m, department staff in /dept), else the home page with its cards. The wall is the
 * exception: a display opened on purpose (often on a big screen), so a viewer still lands home.
 */
export function landingPath(role: Role): `/${string}` {
  // /kpi is read beside the daily work, never instead of it: it does not make a second work area.
  const areas = ROLE_AREAS[role].filter((a) => a !== 'kpi');
  const only = areas.length === 1 ? areas[0] : undefined;
  return only !== undefined && only !== 'wall' ? AREAS[only].path : '/';
}

export function canUseArea(role: Role, area: AreaId): boolean {
  return ROLE_AREAS[role].includes(area);
}

export function isAreaId(value: unknown): value is AreaId {
  return typeof value === 'string' && (AREA_IDS as readonly string[]).includes(value);
}
