/**
 * 督办 and KPIs (考核), SPEC §15: the supervision list and its answer/close, and the KPI table
 * (`GET /stats/kpi`, `.xlsx`) with its Chinese column names, shared by the server's export and
 * the /kpi screen so the two cannot name a figure differently.
 */

export const SUPERVISION_STATES = ['open', 'closed'] as const;
export type SupervisionState = (typeof SUPERVISION_STATES)[number];

/** One 督办 as the queue and the department see it. */
export interface SupervisionView {
  id: number;
  issueId: number;
  issueNumber: string;
  issueTitle: string;
  issueStatus: string;
  /** 1 = street command center (breach or by hand), 2 = district (escalation). */
  level: number;
  /** The command center it went to. */
  regionId: number | null;
  departmentId: number | null;
  /** true when the SLA engine raised it on a breach; false when a dispatcher did. */
  automatic: boolean;
  byUserId: number | null;
  reason: string;
  createdAt: string;
  response: { note: string; byUserId: number; at: string } | null;
  closedAt: string | null;
  closedByUserId: number | null;
}

export interface SupervisionListQuery {
  state?: SupervisionState;
  level?: number;
  regionId?: number;
  departmentId?: number;
  page?: number;
  pageSize?: number;
}

export interface RespondSupervisionBody {
  note: string;
}

export interface CloseSupervisionBody {
  note?: string;
}

/** The open 督办 of an issue as lists and the detail carry it: the highest open level, and how many are open. */
export interface SupervisionFlag {
  level: number;
  open: number;
}

export const KPI_GROUPINGS = ['department', 'street', 'month'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

export interface KpiQuery {
  regionId?: number;
  departmentId?: number;
  from?: string;
  to?: string;
  groupBy?: KpiGrouping;
}

/**
 * One row of the KPI table. Counts are over the issues reported in [from, to) (rejected and merged
 * ones left out), except `overdueNow`, which is the state now. Rates are 0–1, null when the
 * denominator is 0. Durations in ms of elapsed time without holds (挂账).
 */
export interface KpiRow {
  /** departmentId, streetId, or the month (YYYY-MM); null: issues not yet dispatched to a department. */
  key: number | string | null;
  name: string;
  /** 1 = best 按期结案率 (then 结案率, then 受理量); rows with no closed issue rank last. */
  rank: number;
  /** 受理量 */
  received: number;
  /** 结案量 */
  closed: number;
  /** 结案率 = closed / received */
  closeRate: number | null;
  /** 按期结案率 = closed within the overall target (+ approved extensions, holds not counted) / closed */
  onTimeCloseRate: number | null;
  /** 满意率 = evaluations ≥ 4 / evaluations */
  satisfactionRate: number | null;
  evaluations: number;
  /** Report → resolution, holds excluded. */
  avgHandlingMs: number | null;
  p90HandlingMs: number | null;
  /** 退回率 = returns by the department / dispatches to it */
  returnRate: number | null;
  returns: number;
  /** 返工率 = issues reopened after verification failed / issues resolved */
  reopenRate: number | null;
  reopened: number;
  /** 督办数 */
  supervisions: number;
  /** 当前超期 (now, not limited to the period) */
  overdueNow: number;
}

export interface KpiReport {
  regionId: number;
  departmentId: number | null;
  groupBy: KpiGrouping;
  from: string;
  to: string;
  asOf: string;
  rows: KpiRow[];
  total: KpiRow;
}

/** The columns of the table and the export, in order, with their Chinese headers. */
export const KPI_COLUMNS = [
  { field: 'rank', zh: '排名', kind: 'count' },
  { field: 'name', zh: '名称', kind: 'text' },
  { field: 'received', zh: '受理量', kind: 'count' },
  { field: 'closed', zh: '结案量', kind: 'count' },
  { field: 'closeRate', zh: '结案率', kind: 'rate' },
  { field: 'onTimeCloseRate', zh: '按期结案率', kind: 'rate' },
  { field: 'satisfactionRate', zh: '满意率', kind: 'rate' },
  { field: 'avgHandlingMs', zh: '平均处置时长(小时)', kind: 'hours' },
  { field: 'p90HandlingMs', zh: 'P90处置时长(小时)', kind: 'hours' },
  { field: 'returnRate', zh: '退回率', kind: 'rate' },
  { field: 'reopenRate', zh: '返工率', kind: 'rate' },
  { field: 'supervisions', zh: '督办数', kind: 'count' },
  { field: 'overdueNow', zh: '当前超期', kind: 'count' },
] as const satisfies readonly { field: keyof KpiRow; zh: string; kind: 'count' | 'rate' | 'hours' | 'text' }[];

export const KPI_GROUPING_ZH: Record<KpiGrouping, string> = { department: '按部门', street: '按街道', month: '按月' };
