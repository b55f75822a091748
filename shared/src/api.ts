import type { SupervisionFlag, SupervisionView } from './accountability';
import type { ResidentContactView } from './phone';
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
  /** All photos of one request together. */
  maxRequestBytes: 40 * 1024 * 1024,
  mimeTypes: ['image/jpeg', 'image/png', 'image/webp'],
  /** Pixels a photo may declare (width × height): more is refused before it is decoded. */
  maxPixels: 50_000_000,
  /** Longest side a photo may declare, in pixels. */
  maxDimension: 12_000,
  /** Longest side of a stored photo: larger photos are scaled down when re-encoded. */
  storedMaxEdge: 4096,
  /** Longest side of a thumbnail (lists, the wall). */
  thumbEdge: 320,
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

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** One login attempt as the admin's login audit shows it. */
export interface LoginAuditView {
  id: string;
  at: string;
  username: string;
  userId: number | null;
  outcome: 'success' | 'failure' | 'locked' | 'lockout';
  ip: string | null;
  userAgent: string | null;
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
  /** 来源: where the report came from; the caller's role decides which it may name (the server's reporting policy). */
  source?: IssueSource;
  /** 来电人: who called the hotline (only with `source: hotline`); kept once as the issue's resident contact. */
  caller?: HotlineCallerInput;
}

export interface HotlineCallerInput {
  /** A mainland mobile number (+86, spaces and dashes are removed). */
  phone: string;
  /** 1–50 characters; may be left out (a caller who gives no name). */
  name?: string;
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
  request_info: Versioned & { note: string };
  provide_info: Versioned & { note?: string };
  request_hold: Versioned & { reason: string };
  decline_hold: Versioned & { reason: string };
  assign: Versioned & { assigneeId: number; note?: string };
  escalate: Versioned & { reason: string };
}

export interface AttachmentView {
  id: number;
  kind: AttachmentKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  /** Pixels of the stored photo, orientation applied; null for photos stored before they were measured. */
  width: number | null;
  height: number | null;
  url: string;
  /** A small WebP of the photo (`?size=thumb`) for lists and the wall. */
  thumbUrl: string;
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
  /** The open 督办 of the issue (highest level, how many), null when none is open. Absent where a list does not read it. */
  supervision?: SupervisionFlag | null;
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

/**
 * The short answer to a report sent with `Prefer: return=minimal`: what a phone keeps of the new
 * issue (its outbox), without the detail view (GET /issues/{id} has it).
 */
export interface IssueReceipt {
  id: number;
  number: string;
  status: IssueStatus;
  version: number;
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
  /**
   * The resident to call back (reporting resident or hotline caller): masked (138****1234) for
   * staff other than the dispatcher handling the issue; null when there is none, and always for residents.
   */
  residentContact: ResidentContactView | null;
  /** The resident's pending request to handle the closed issue again (不满意 within 7 days), for the dispatcher to decide. */
  pendingReopenRequest: { id: number; score: number; reason: string | null; createdAt: string } | null;
  /** Residents who joined as "me too". */
  meTooCount: number;
  /** Every 督办 of the issue (open and closed), oldest first; the department answers the open ones. */
  supervisions: SupervisionView[];
  /** The department's request for a hold (挂账申请) waiting for the dispatcher: approved by `suspend`, declined by `decline_hold`. */
  pendingHoldRequest: HoldRequestView | null;
  /** The command centre the issue was passed up to (`escalate`, 上报); null while its own level handles it. */
  escalatedToRegionId: number | null;
}

export interface HoldRequestView {
  id: number;
  reason: string;
  requestedById: number;
  requestedByName: string | null;
  createdAt: string;
}

/** What an action returns: the issue as the caller now sees it, or only its new state when the action took it out of their scope. */
export type IssueActionResult = IssueDetail | { id: number; status: IssueStatus; version: number; visible: false };

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** How many items match, counted up to the server's cap (LIST_TOTAL_CAP, default 100,000). */
  total: number;
  /** More items than `total` match: the count stopped at the cap (show "100,000+"). */
  totalCapped: boolean;
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
  /** Only issues the caller reported or joined as "me too". */
  mine?: boolean;
  assignedToMe?: boolean;
  /** Only open issues past due now or with a running clock past its warning (黄牌). */
  slaAlert?: boolean;
  /** Only issues with an extension request waiting for a decision. */
  hasPendingExtension?: boolean;
  /** Only issues a department returned, waiting for a new dispatch. */
  returned?: boolean;
  /** Only closed issues whose resident asked for them to be handled again (a pending reopen request). */
  hasPendingReopenRequest?: boolean;
  /** 督办: only issues with an open 督办 (true), or without one (false). */
  supervised?: boolean;
  /** Only issues with a department's hold request (挂账申请) waiting for a decision. */
  hasPendingHold?: boolean;
  /** Only issues passed up (上报) to one of the caller's own command centres. */
  escalatedToMe?: boolean;
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
  /** The calendar day (in the server's TIME_ZONE, Asia/Shanghai by default) that "today" means. */
  day: string;
  total: StatusCounts;
  /** Issues reported today, by their current status. */
  today: StatusCounts & { resolved: number; closed: number };
}
