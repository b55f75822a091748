import type {
  IssueAction,
  IssueEventBase,
  IssueReportedData,
  IssueSource,
  IssueStatus,
  IssueTransitionData,
  Priority,
  SlaFiredData,
  SlaLevel,
  SlaStage,
  SupervisionAnsweredData,
  SupervisionRaisedData,
} from '@gridline/shared';

/**
 * One builder per event type. Issue events share a base read from the issue row; the base is
 * written once, as a table of field → column, so the TypeScript builders (report, transitions,
 * a supervise action) and the SQL one (the SLA sweep builds its events inside its statement)
 * cannot drift.
 */

/** The issue columns an event is built from (the entity's property names). */
export interface IssueForEvent {
  id: number;
  number: string;
  status: IssueStatus;
  version: number;
  title: string;
  categoryId: number;
  priority: Priority;
  source: IssueSource;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  departmentId: number | null;
  reporterId: number | null;
  assigneeId: number | null;
}

/** Each base field (except `seq`) and the `issues` column it comes from. */
const BASE_COLUMNS = {
  issueId: 'id',
  number: 'number',
  status: 'status',
  version: 'version',
  title: 'title',
  categoryId: 'category_id',
  priority: 'priority',
  source: 'source',
  gridId: 'grid_id',
  communityId: 'community_id',
  streetId: 'street_id',
  districtId: 'district_id',
  departmentId: 'department_id',
  reporterId: 'reporter_id',
  assigneeId: 'assignee_id',
} as const satisfies Record<Exclude<keyof IssueEventBase, 'seq'>, string>;

const PROPERTY_OF: Record<keyof typeof BASE_COLUMNS, keyof IssueForEvent> = {
  issueId: 'id',
  number: 'number',
  status: 'status',
  version: 'version',
  title: 'title',
  categoryId: 'categoryId',
  priority: 'priority',
  source: 'source',
  gridId: 'gridId',
  communityId: 'communityId',
  streetId: 'streetId',
  districtId: 'districtId',
  departmentId: 'departmentId',
  reporterId: 'reporterId',
  assigneeId: 'assigneeId',
};

export function issueEventBase(issue: IssueForEvent, seq: number): IssueEventBase {
  const out: Record<string, unknown> = { seq };
  for (const [field, property] of Object.entries(PROPERTY_OF)) out[field] = issue[property];
  return out as unknown as IssueEventBase;
}

/**
 * An event's payload: the issue base, then the event's own fields (in that order). Built onto the
 * base with Object.assign rather than spread into a copy and extended: V8 keeps such copies past
 * the young generation (docs/adr/0063-no-spread-then-extend-on-hot-paths.md).
 */
function withIssueBase<T extends object>(issue: IssueForEvent, seq: number, own: T): IssueEventBase & T {
  return Object.assign(issueEventBase(issue, seq), own);
}

/**
 * The same base as SQL: a select list (camelCase names) over the issue columns of `alias` (a row
 * of `issues`, or a CTE with the same column names) and a `seq` expression. jsonObjectSql turns
 * it, with the event's own fields, into one json object.
 */
export function issueEventBaseSql(alias: string, seqSql: string): string {
  const columns = Object.entries(BASE_COLUMNS).map(([field, column]) => `${alias}.${column} AS "${field}"`);
  return `${columns.join(', ')}, ${seqSql} AS "seq"`;
}

/**
 * One json object of a select list (each item named as its field): a single to_json over a row,
 * as the outbox stores it (text, never queried inside). On PostgreSQL 18, for the sweep's 4,000
 * payloads a batch: to_jsonb over a row took 0.75 of the time of one jsonb_build_object and 0.55
 * of two joined by ||; to_json into the json column takes 0.6 of to_jsonb into jsonb (20 ms
 * against 32, insert included).
 */
export function jsonObjectSql(selectList: string): string {
  return `(SELECT to_json(r) FROM (SELECT ${selectList}) r)`;
}

/** issue.reported: the issue as its report statement inserted it (event 1 of the issue). */
export function reportedData(issue: IssueForEvent, actorId: number | null, sla: Record<string, SlaStage[]> | null): IssueReportedData {
  return withIssueBase(issue, 1, {
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    actorId,
    previousDepartmentId: null,
    previousAssigneeId: null,
    sla,
  });
}

/** The part of issue.reported the report statement cannot know before it inserts (id, number): see reportedData. */
export type ReportedDataBeforeInsert = Omit<IssueReportedData, 'issueId' | 'number'>;

export function reportedDataBeforeInsert(
  issue: Omit<IssueForEvent, 'id' | 'number'>,
  actorId: number | null,
  sla: Record<string, SlaStage[]> | null,
): ReportedDataBeforeInsert {
  const { issueId: _id, number: _number, ...rest } = reportedData(Object.assign({ id: 0, number: '' }, issue), actorId, sla);
  return rest;
}

/** issue.transitioned: `before` is the issue as locked, `after` as updated (status, version, department, assignee…). */
export function transitionedData(
  before: Pick<IssueForEvent, 'status' | 'departmentId' | 'assigneeId'>,
  after: IssueForEvent,
  seq: number,
  action: IssueAction,
  actorId: number | null,
  sla: Record<string, SlaStage[]> | null,
): IssueTransitionData {
  return withIssueBase(after, seq, {
    action,
    fromStatus: before.status,
    toStatus: after.status,
    actorId,
    previousDepartmentId: before.departmentId,
    previousAssigneeId: before.assigneeId,
    sla,
  });
}

export interface FiredClock {
  clockId: number;
  stage: SlaStage;
  level: SlaLevel;
  dueAt: Date | null;
  supervisionId: number | null;
  supervisionRegionId: number | null;
}

/** sla.warning / sla.breached / sla.escalated (the TypeScript twin of SLA_FIRED_DATA_SQL). */
export function slaFiredData(issue: IssueForEvent, seq: number, fired: FiredClock): SlaFiredData {
  return withIssueBase(issue, seq, {
    clockId: fired.clockId,
    stage: fired.stage,
    level: fired.level,
    dueAt: fired.dueAt ? fired.dueAt.toISOString() : null,
    supervisionId: fired.supervisionId,
    supervisionRegionId: fired.supervisionRegionId,
  });
}

/**
 * The SQL of slaFiredData over issue alias `i` and a fired row `f` (clock_id, stage, level,
 * due_at) with an optional supervision `sup` (id, region_id).
 */
export function slaFiredDataSql(i: string, f: string, sup: string, seqSql: string): string {
  return jsonObjectSql(`${issueEventBaseSql(i, seqSql)}, ${f}.clock_id AS "clockId", ${f}.stage AS "stage", ${f}.level AS "level",
    to_char(${f}.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
    ${sup}.id AS "supervisionId", ${sup}.region_id AS "supervisionRegionId"`);
}

export interface RaisedSupervision {
  id: number;
  level: number;
  regionId: number;
  clockId: number | null;
  byUserId: number | null;
}

/** supervision.raised (the TypeScript twin of supervisionRaisedDataSql). */
export function supervisionRaisedData(issue: IssueForEvent, seq: number, sup: RaisedSupervision): SupervisionRaisedData {
  return withIssueBase(issue, seq, {
    supervisionId: sup.id,
    level: sup.level,
    regionId: sup.regionId,
    clockId: sup.clockId,
    byUserId: sup.byUserId,
  });
}

/** supervision.responded / supervision.closed: the 督办 answered or closed by a staff user. */
export function supervisionAnsweredData(
  issue: IssueForEvent,
  seq: number,
  sup: { id: number; level: number; regionId: number | null },
  actorId: number,
): SupervisionAnsweredData {
  return withIssueBase(issue, seq, { supervisionId: sup.id, level: sup.level, regionId: sup.regionId, actorId });
}

/** The SQL of supervisionRaisedData over issue alias `i` and a supervisions row `sup`. */
export function supervisionRaisedDataSql(i: string, sup: string, seqSql: string): string {
  return jsonObjectSql(`${issueEventBaseSql(i, seqSql)}, ${sup}.id AS "supervisionId", ${sup}.level AS "level",
    ${sup}.region_id AS "regionId", ${sup}.clock_id AS "clockId", ${sup}.by_user_id AS "byUserId"`);
}

/** The level → event type of an SLA rung. */
export const SLA_EVENT_OF_LEVEL = {
  warning: 'sla.warning',
  breach: 'sla.breached',
  escalation_1: 'sla.escalated',
} as const satisfies Record<SlaLevel, 'sla.warning' | 'sla.breached' | 'sla.escalated'>;
