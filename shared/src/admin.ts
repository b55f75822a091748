import type { RegionLevel } from './api';
import type { Role } from './roles';

/** Shapes of the admin API under `/api/v1/admin` (role `admin` only). Server DTO classes implement the inputs. */

/** What the admin audit trail records changes of. */
export const AUDIT_ENTITY_TYPES = [
  'region',
  'department',
  'duty',
  'category',
  'user',
  'sla_calendar',
  'sla_policy',
  'webhook',
  'api_key',
  'service_center',
  'volunteer',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** Caches that every server instance reloads after a committed admin change (`NOTIFY gridline_config, '<topic>'`). */
export const CONFIG_TOPICS = ['regions', 'departments', 'categories', 'sla'] as const;
export type ConfigTopic = (typeof CONFIG_TOPICS)[number];

/** Staff passwords set or changed from now on (demo users keep their seeded password outside production). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** The level a child of each level has (grids have none). */
export const CHILD_LEVEL: Record<RegionLevel, RegionLevel | null> = {
  city: 'district',
  district: 'street',
  street: 'community',
  community: 'grid',
  grid: null,
};

export interface AdminRegionView {
  id: number;
  parentId: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  active: boolean;
  /** Ids from the root down to this region, itself included. */
  path: number[];
  hasPolygon: boolean;
}

export interface AdminRegionDetail extends AdminRegionView {
  polygon: GeoJsonGeometry | null;
  usage: { children: number; issues: number; users: number; duties: number };
}

export interface GeoJsonPolygonGeometry {
  type: 'Polygon';
  coordinates: [number, number][][];
}
export interface GeoJsonMultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: [number, number][][][];
}
export type GeoJsonGeometry = GeoJsonPolygonGeometry | GeoJsonMultiPolygonGeometry;

export interface CreateRegionInput {
  parentId?: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  polygon?: GeoJsonGeometry | null;
}

export interface UpdateRegionInput {
  code?: string;
  name?: string;
  polygon?: GeoJsonGeometry | null;
  active?: boolean;
}

/** A FeatureCollection of grids: properties `code`, `name` and `parentCode` (the community). */
export interface ImportGridsInput {
  geojson: unknown;
  /** Validate and report what would change, write nothing. */
  dryRun?: boolean;
}

export const GEOJSON_PROBLEMS = [
  'NOT_A_FEATURE_COLLECTION',
  'TOO_MANY_FEATURES',
  'PROPERTIES_INVALID',
  'GEOMETRY_INVALID',
  'DUPLICATE_CODE',
  'PARENT_UNKNOWN',
  'OUTSIDE_PARENT',
  'CODE_CONFLICT',
] as const;
export type GeoJsonProblemKind = (typeof GEOJSON_PROBLEMS)[number];

/** One reason a GeoJSON import was refused (`details.problems` of GEOJSON_INVALID). */
export interface GeoJsonImportProblem {
  /** Index of the feature in `features`, or null for the collection itself. */
  feature: number | null;
  /** The feature's `code` property, when it has one. */
  code: string | null;
  problem: GeoJsonProblemKind;
  message: string;
}

export interface ImportGridsResult {
  dryRun: boolean;
  created: { code: string; name: string; parentCode: string }[];
  updated: { code: string; name: string; parentCode: string; changed: ('name' | 'polygon')[] }[];
  unchanged: string[];
}

export interface AdminDepartmentView {
  id: number;
  code: string;
  name: string;
  active: boolean;
  duties: number;
  users: number;
}

export interface DepartmentInput {
  code: string;
  name: string;
}

export interface UpdateDepartmentInput {
  code?: string;
  name?: string;
  active?: boolean;
}

export interface DutyView {
  id: number;
  departmentId: number;
  categoryId: number;
  /** null: everywhere. */
  regionId: number | null;
}

export interface CreateDutyInput {
  departmentId: number;
  categoryId: number;
  regionId?: number | null;
}

export interface AdminCategoryView {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  defaultDepartmentId: number | null;
  photoRequiredOnReport: boolean;
  photoRequiredOnResolve: boolean;
  sortOrder: number;
  active: boolean;
}

export interface CreateCategoryInput {
  parentId?: number | null;
  code: string;
  name: string;
  defaultDepartmentId?: number | null;
  photoRequiredOnReport?: boolean;
  photoRequiredOnResolve?: boolean;
  sortOrder?: number;
}

export interface UpdateCategoryInput {
  code?: string;
  name?: string;
  defaultDepartmentId?: number | null;
  photoRequiredOnReport?: boolean;
  photoRequiredOnResolve?: boolean;
  sortOrder?: number;
  active?: boolean;
}

export interface AdminUserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  regionId: number | null;
  gridIds: number[];
  backupUserId: number | null;
  /** Display name of the backup, for lists. */
  backupName: string | null;
  away: boolean;
  active: boolean;
  /** Locked after too many failed logins, until `lockedUntil`. */
  locked: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface UserListQuery {
  q?: string;
  role?: Role;
  active?: boolean;
  page?: number;
  pageSize?: number;
}

/** The scope fields each role uses; the others must be empty (the users table CHECKs the same). */
export interface UserScopeInput {
  departmentId?: number | null;
  regionId?: number | null;
  gridIds?: number[];
}

export interface CreateUserInput extends UserScopeInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  backupUserId?: number | null;
}

export interface UpdateUserInput extends UserScopeInput {
  displayName?: string;
  role?: Role;
  backupUserId?: number | null;
  away?: boolean;
  active?: boolean;
}

export interface ResetPasswordInput {
  password: string;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actorId: number | null;
  actorName: string | null;
  entityType: AuditEntityType;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

export interface AuditListQuery {
  entityType?: AuditEntityType;
  entityId?: string;
  actorId?: number;
  page?: number;
  pageSize?: number;
}

/** Which scope field each role needs (grids, a region or a department); the users table CHECKs the same. One rule for server and forms. */
export const ROLE_SCOPE: Record<Role, 'gridIds' | 'regionId' | 'departmentId' | null> = {
  grid_worker: 'gridIds',
  dispatcher: 'regionId',
  viewer: 'regionId',
  dept_lead: 'departmentId',
  dept_staff: 'departmentId',
  admin: null,
  // Residents have no staff scope: they see what they reported or joined (see the scope rules on the server).
  resident: null,
  // Volunteers are resident accounts: their one community lives in their registration (volunteers table).
  volunteer: null,
};
