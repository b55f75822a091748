import type { Role } from './roles';
import type { SlaClockView } from './sla';
import type { IssueStatus, IssueTransitionAction } from './workflow';

/** Shapes of the REST API under `/api/v1`. Server DTO classes implement the inputs. */

export const PRIORITIES = ['urgent', 'high', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ISSUE_SOURCES = ['grid_worker', 'dispatcher', 'hotline', 'open311', 'resident'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];

export const REGION_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const ATTACHMENT_KINDS = ['before', 'after', 'evidence'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Upload limits (also enforced by the server). */
export const UPLOAD_LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxFilesPerRequest: 9,
  mimeTypes: ['image/jpeg', 'image/png', 'image/webp'],
} as const;

export const PAGE_SIZE_MAX = 100;

export interface LoginInput {
  username: string;
  password: string;
}

export interface UserScope {
  /** Region roots of a dispatcher or viewer (their whole subtrees). */
  regionIds: number[];
  /** Grids of a grid worker. */
  gridIds: number[];
  /** The department of a lead or staff member (and those of away colleagues they cover). */
  departmentIds: number[];
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  regionId: number | null;
  gridIds: number[];
  backupUserId: number | null;
  away: boolean;
  /** Effective scope, including that of colleagues away for whom this user is the backup (AB 岗). */
  scope: UserScope;
}

/** What the login page may offer as one-click demo logins; empty unless the server runs with demo data. */
export interface DemoLogins {
  password: string | null;
  accounts: { username: string; role: Role }[];
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: UserView;
}

export interface RegionView {
  id: number;
  parentId: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  /** False once an admin deactivated it: kept for history, offered for nothing new. */
  active: boolean;
  polygon?: unknown;
}

export interface DepartmentView {
  id: number;
  code: string;
  name: string;
  /** False once an admin deactivated it: no new dispatches. */
  active: boolean;
}

export interface CategoryView {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  defaultDepartmentId: number | null;
  photoRequiredOnReport: boolean;
  photoRequiredOnResolve: boolean;
  /** False once an admin deactivated it (or its 大类): no new reports. */
  active: boolean;
}

export interface ReportIssueInput {
  title?: string;
  description: string;
  categoryId: number;
  priority?: Priority;
  gridId?: number;
  lat?: number;
  lng?: number;
  address?: string;
  /** When the device made the report (it may have been queued offline). ISO 8601. */
  deviceTime?: string;
}

interface Versioned {
  /** The issue version the caller saw; a stale one is refused with ISSUE_VERSION_CONFLICT. */
  version: number;
}

export interface ActionInputs {
  resolve_on_site: Versioned & { note: string };
  accept: Versioned & { note?: string };
  reject: Versioned & { reason: string };
  merge: Versioned & { primaryIssueId: number; note?: string };
  dispatch: Versioned & { departmentId: number; note?: string };
  sign: Versioned & { assigneeId?: number; note?: string };
  return: Versioned & { reason: string };
  suspend: Versioned & { reason: string };
  resume: Versioned & { note?: string };
  resolve: Versioned & { note: string };
  verify: Versioned & { note?: string };
  reopen: Versioned & { reason: string };
  request_extension: Versioned & { minutes: number; reason: string };
  decide_extension: Versioned & { approve: boolean; note?: string };
  supervise: Versioned & { note: string };
  evaluate: Versioned & { score: number; comment?: string };
  reclassify: Versioned & { categoryId?: number; priority?: Priority; note?: string };
}

export interface AttachmentView {
  id: number;
  kind: AttachmentKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  url: string;
}

export interface IssueEventView {
  id: string;
  type: string;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus | null;
  actorId: number | null;
  actorName: string | null;
  note: string | null;
  data: Record<string, unknown>;
  at: string;
  attachments: AttachmentView[];
}

export interface IssueSummary {
  id: number;
  number: string;
  title: string;
  status: IssueStatus;
  priority: Priority;
  categoryId: number;
  gridId: number;
  departmentId: number | null;
  assigneeId: number | null;
  reporterId: number | null;
  source: IssueSource;
  address: string | null;
  reportedAt: string;
  updatedAt: string;
  version: number;
  /** Due time of the clock of the current stage; null when none runs (on hold, or finished). */
  dueAt: string | null;
  overdue: boolean;
}

export interface ExtensionRequestView {
  id: number;
  minutes: number;
  reason: string;
  status: 'pending' | 'approved' | 'denied';
  requestedById: number;
  decidedById: number | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface IssueDetail extends IssueSummary {
  description: string;
  lat: number | null;
  lng: number | null;
  regionPath: { streetId: number; communityId: number; districtId: number };
  mergedIntoId: number | null;
  deviceTime: string | null;
  acceptedAt: string | null;
  dispatchedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  suggestedDepartmentId: number | null;
  allowedActions: IssueTransitionAction[];
  extensionRequests: ExtensionRequestView[];
  attachments: AttachmentView[];
  timeline: IssueEventView[];
  /** Every SLA clock of the issue, running and stopped, oldest first. */
  slaClocks: SlaClockView[];
}

/** What an action returns: the issue as the caller now sees it, or only its new state when the action took it out of their scope. */
export type IssueActionResult = IssueDetail | { id: number; status: IssueStatus; version: number; visible: false };

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface IssueListQuery {
  status?: IssueStatus[];
  regionId?: number;
  departmentId?: number;
  categoryId?: number;
  priority?: Priority;
  q?: string;
  from?: string;
  to?: string;
  reportedByMe?: boolean;
  assignedToMe?: boolean;
  /** Only open issues past due now or with a running clock past its warning (黄牌). */
  slaAlert?: boolean;
  /** Only issues with an extension request waiting for a decision. */
  hasPendingExtension?: boolean;
  /** Only issues a department returned, waiting for a new dispatch. */
  returned?: boolean;
  /** Only issues whose current stage clock is past due (true) or not (false). */
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

export interface StatusCounts {
  total: number;
  byStatus: Record<IssueStatus, number>;
}

export interface StatsOverview {
  regionId: number;
  /** ISO time the counts were taken at. */
  asOf: string;
  /** The calendar day (Asia/Shanghai) that "today" means. */
  day: string;
  total: StatusCounts;
  /** Issues reported today, by their current status. */
  today: StatusCounts & { resolved: number; closed: number };
}
