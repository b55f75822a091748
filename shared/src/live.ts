import type { ApiError } from './errors';
import type { IssueSource, Priority, RegionLevel } from './api';
import type { IssueAction, IssueStatus } from './workflow';
import type { NotificationFrame, NotificationsReadFrame } from './notifications';
import type { PoolItemKind, PoolItemStatus } from './pool';

/**
 * The realtime protocol (socket.io namespace `/live`: rooms per scope, snapshots with a version,
 * absolute `stats` frames, `issues` messages of issue frames, heartbeats) between the server's socket.io gateway and the dashboard.
 * The wall renders every panel from one `WallStats` object, so all panels are true at one
 * `version`; frames carry absolute numbers, never deltas.
 */

export const LIVE_NAMESPACE = '/live';
export const LIVE_HEARTBEAT_MS = 5_000;
/** A client that has had no frame (stats or heartbeat) for this long shows the "数据延迟" badge. */
export const LIVE_STALE_AFTER_MS = 10_000;
/** At most this many `stats` frames per second per room, however many changes arrive. */
export const LIVE_MAX_STATS_FRAMES_PER_SECOND = 4;
/** How many items the snapshot's live feed and overdue list hold. */
export const LIVE_FEED_SIZE = 30;
export const LIVE_OVERDUE_SIZE = 30;
/**
 * The snapshot's live feed holds the region's status changes of the last this many hours. The wall
 * shows each change's time of day, which names one instant only within a day.
 */
export const LIVE_FEED_HOURS = 24;

/** Client → server events and their acks. */
export const LIVE_CLIENT_EVENTS = { subscribe: 'subscribe', unsubscribe: 'unsubscribe' } as const;
/** Server → client events. */
export const LIVE_SERVER_EVENTS = {
  stats: 'stats',
  issues: 'issues',
  heartbeat: 'heartbeat',
  notification: 'notification',
  notificationsRead: 'notifications_read',
  pool: 'pool',
} as const;

export interface SubscribeRequest {
  regionId: number;
}
export type SubscribeAck = { ok: true; snapshot: WallSnapshot } | { ok: false; error: ApiError };
export type UnsubscribeAck = { ok: true } | { ok: false; error: ApiError };

/**
 * The event maps of the `/live` namespace, for typed sockets on both ends.
 * A refused handshake arrives as `connect_error` with `err.data: ApiError` (`AUTH_REQUIRED`).
 * A client ignores stats frames of a region before its subscribe ack, and frames whose
 * `version` is not above the last one it applied.
 */
export interface LiveServerToClientEvents {
  stats: (frame: StatsFrame) => void;
  /**
   * Issue frames, in commit order: the frames the server had for this socket at the same moment
   * go in one message (one under light load, dozens in a burst of reports).
   */
  issues: (frames: IssueFrame[]) => void;
  heartbeat: (frame: HeartbeatFrame) => void;
  /** The instance is shutting down: it closes the connection next, and the client reconnects (to another instance). */
  draining: (notice: DrainingNotice) => void;
  /** A new notification in the user's own inbox, with the unread count after it (ADR 0038). */
  notification: (frame: NotificationFrame) => void;
  /** Some of the user's notifications were read (on this device or another): the unread count now. */
  notifications_read: (frame: NotificationsReadFrame) => void;
  /** A committed change of a service-pool item in a region the socket follows (the wall's 点单·派单·接单 panel). */
  pool: (frame: PoolFrame) => void;
}
export interface DrainingNotice {
  at: string;
}
export interface LiveClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (response: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack: (response: UnsubscribeAck) => void) => void;
}

/** Flows: how many issues entered each milestone in a period (reported today, resolved today…). */
export interface FlowCounts {
  reported: number;
  accepted: number;
  dispatched: number;
  resolved: number;
  closed: number;
}

/** Issues currently in each status (a stock, not a flow). */
export type StatusStock = Record<IssueStatus, number>;

export interface TrendPoint {
  /** ISO instant the bucket starts (a local hour for the 24-hour trend, a local day for the 30-day one, in the server's TIME_ZONE). */
  at: string;
  reported: number;
  resolved: number;
}

export interface CategorySlice {
  categoryId: number;
  /** The top-level category (大类); its open and total counts include all its 小类. */
  name: string;
  open: number;
  total: number;
}

export interface DepartmentRank {
  departmentId: number;
  name: string;
  resolved: number;
  /** Resolved within the handle SLA / resolved, 0..1; null when nothing was resolved yet. */
  onTimeRate: number | null;
  /** Dispatched or in progress with this department now. */
  backlog: number;
}

/** One child region of the subscribed region, for the map and the drill-down. */
export interface RegionSlice {
  regionId: number;
  name: string;
  level: RegionLevel;
  open: number;
  total: number;
}

export interface OverdueItem {
  issueId: number;
  number: string;
  title: string;
  status: IssueStatus;
  stage: string;
  /** The wall counts down locally from this instant; it is not pushed every second. */
  dueAt: string;
  departmentId: number | null;
  gridId: number;
}

/** Every number the wall shows for one region subtree, all true at `version`. */
export interface WallStats {
  /** Changes when the server's counter store is rebuilt; a client seeing a new epoch resubscribes. */
  epoch: string;
  /** Monotonic version of the counters these numbers were read at. */
  version: number;
  regionId: number;
  /** ISO time the numbers were read. */
  asOf: string;
  /** The calendar day (in the server's TIME_ZONE, Asia/Shanghai by default) that "today" means. */
  day: string;
  /** The server's TIME_ZONE (IANA name): the wall's clock, feed times and trend labels follow it, not the browser's. */
  timeZone: string;
  stock: StatusStock;
  today: FlowCounts;
  total: FlowCounts;
  /** (resolved + closed) / accepted-or-later, 0..1; null when empty. 结案率 */
  resolutionRate: number | null;
  /** Resolved on time / resolved, 0..1; null when empty. 按期结案率 */
  onTimeRate: number | null;
  overdueNow: number;
  trend24h: TrendPoint[];
  trend30d: TrendPoint[];
  categories: CategorySlice[];
  departments: DepartmentRank[];
  children: RegionSlice[];
  overdue: OverdueItem[];
}

/** The subscribe ack: the stats plus the latest changes for the live feed. */
export interface WallSnapshot extends WallStats {
  feed: IssueFrame[];
}

/**
 * A `stats` frame for one room. `previousVersion` is the version of the frame this room got
 * before it (or of the snapshot); a client whose last seen version differs has missed a frame
 * and asks for a new snapshot.
 */
export interface StatsFrame extends WallStats {
  previousVersion: number;
}

/** An `issue` frame: one committed change of one issue, for the live feed and workbenches. */
export interface IssueFrame {
  issueId: number;
  number: string;
  title: string;
  action: IssueAction | `sla.${string}`;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus;
  priority: Priority;
  source: IssueSource;
  categoryId: number;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  departmentId: number | null;
  assigneeId: number | null;
  /** The issue's version after the change. */
  issueVersion: number;
  at: string;
}

/**
 * A `pool` frame: one committed change of a service-pool item (published, claimed, completed,
 * confirmed…), sent to the region rooms on its community's path. Ids only, no names: the wall
 * reads its figures and the masked claim list again from `GET /pool/summary`.
 */
export interface PoolFrame {
  type:
    | 'pool.published'
    | 'pool.claimed'
    | 'pool.promoted'
    | 'pool.withdrawn'
    | 'pool.completed'
    | 'pool.confirmed'
    | 'pool.cancelled'
    | 'pool.expired'
    | 'pool.claim_expired';
  poolItemId: number;
  kind: PoolItemKind;
  status: PoolItemStatus;
  claimId: number | null;
  communityId: number;
  streetId: number | null;
  districtId: number | null;
  at: string;
}

export interface HeartbeatFrame {
  epoch: string;
  at: string;
}
