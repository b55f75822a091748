import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ISSUE_STATUSES,
  LIVE_FEED_HOURS,
  LIVE_FEED_SIZE,
  LIVE_OVERDUE_SIZE,
  OPEN_STATUSES,
  type FlowCounts,
  type IssueFrame,
  type IssueStatus,
  type OverdueItem,
  type StatusStock,
  type TrendPoint,
  type WallStats,
} from '@gridline/shared';
import { CategoriesService } from '../categories/categories.service';
import { ClockService } from '../common/clock.service';
import { PreparedStatements } from '../database/prepared';
import { ReadReplica } from '../database/read-replica.service';
import { DepartmentsService } from '../departments/departments.service';
import { RegionsService } from '../regions/regions.service';
import { FLOW_COLUMNS } from './rollup-sql';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Statuses that count as "accepted or later" for 结案率. */
const ACCEPTED_OR_LATER: readonly IssueStatus[] = ['accepted', 'dispatched', 'in_progress', 'suspended', 'resolved', 'closed'];
const BACKLOG: readonly IssueStatus[] = ['dispatched', 'in_progress'];

type FlowRow = [grain: 'h' | 'd' | 't', bucket: string, ...counts: number[]];

interface RollupRead {
  state: { epoch: string; version: number };
  stock: [IssueStatus, number, number, number][];
  flows: FlowRow[];
  reported_today: [IssueStatus, number][];
  children: [number, IssueStatus, number][];
  sla: [overdue: number, resolved: number, resolvedOnTime: number] | null;
  sla_departments: [departmentId: number, resolved: number, resolvedOnTime: number][];
  overdue: (Omit<OverdueItem, 'dueAt'> & { dueAt: string })[];
}

/** WallStats plus what only the REST overview shows: today's reports by their current status. */
export interface RegionStats extends WallStats {
  reportedTodayByStatus: StatusStock;
}

export const zeroStock = (): StatusStock => Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as StatusStock;
const zeroFlows = (): FlowCounts => ({ reported: 0, accepted: 0, dispatched: 0, resolved: 0, closed: 0 });

/**
 * The wall's numbers for one region in one statement (one snapshot). Reads roll-ups only, plus the
 * overdue list (the latest breaches). Exported for the bench, which times it with EXPLAIN ANALYZE.
 */
export const WALL_STATS_SQL = `SELECT
         (SELECT json_build_object('epoch', epoch, 'version', version) FROM stats_state) AS state,
         (SELECT coalesce(json_agg(json_build_array(status, category_id, department_id, n)), '[]')
            FROM stats_stock WHERE region_id = $1 AND n <> 0) AS stock,
         (SELECT coalesce(json_agg(json_build_array(grain, bucket, ${FLOW_COLUMNS.join(', ')})), '[]')
            FROM stats_flows
           WHERE region_id = $1 AND ((grain = 'h' AND bucket >= $2) OR (grain = 'd' AND bucket >= $3) OR grain = 't')) AS flows,
         (SELECT coalesce(json_agg(json_build_array(status, n)), '[]')
            FROM stats_reported_day WHERE region_id = $1 AND day = $4 AND n <> 0) AS reported_today,
         (SELECT coalesce(json_agg(json_build_array(region_id, status, n)), '[]')
            FROM (SELECT region_id, status, sum(n) AS n FROM stats_stock WHERE region_id = ANY($5) GROUP BY 1, 2) c) AS children,
         (SELECT json_build_array(overdue, resolved, resolved_on_time) FROM stats_sla WHERE region_id = $1) AS sla,
         (SELECT coalesce(json_agg(json_build_array(department_id, resolved, resolved_on_time)), '[]')
            FROM stats_sla_department WHERE region_id = $1 AND department_id <> 0) AS sla_departments,
         -- the overdue list: open stage clocks with a breach (sla_open_breaches: only those, each with
         -- its grid's path), the latest breaches first (the same order on every wall); only the rows shown are joined
         (SELECT coalesce(json_agg(o), '[]') FROM (
            SELECT i.id AS "issueId", i.number, i.title, i.status, c.stage, c.due_at AS "dueAt",
                   i.department_id AS "departmentId", i.grid_id AS "gridId"
              FROM (SELECT clock_id, issue_id, fired_at FROM sla_open_breaches
                     WHERE $1 = ANY(path) ORDER BY fired_at DESC, clock_id DESC LIMIT $6) b
              JOIN sla_clocks c ON c.id = b.clock_id
              JOIN issues i ON i.id = b.issue_id
             ORDER BY b.fired_at DESC, b.clock_id DESC) o) AS overdue`;

/** An issue frame's columns, from the trail's row `e` and its issue `i`. */
export const FEED_COLUMNS = `i.id AS "issueId", i.number, i.title, e.type AS action, e.from_status AS "fromStatus", e.to_status AS "toStatus",
       i.priority, i.source, i.category_id AS "categoryId", i.grid_id AS "gridId", i.community_id AS "communityId",
       i.street_id AS "streetId", i.district_id AS "districtId", i.department_id AS "departmentId",
       i.assignee_id AS "assigneeId", i.version AS "issueVersion", to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at`;

/**
 * The live feed: at most $1 status changes since $2 of the issues that `subtree` selects (a
 * condition on `i`, its parameters from $3), newest first. It walks the trail's status changes by
 * time from now backwards (issue_events_status_changes_idx) and stops at $2, so a quiet region
 * costs at most the window's changes, however long its history. Exported for the bench.
 */
export const feedSql = (subtree: string): string => `SELECT ${FEED_COLUMNS}
  FROM issue_events e JOIN issues i ON i.id = e.issue_id
 WHERE ${subtree} AND e.to_status IS NOT NULL AND e.at >= $2
 ORDER BY e.at DESC, e.id DESC LIMIT $1`;

export const wallStatsParams = (regionId: number, hourStart: Date, day30Start: Date, dayStart: Date, childIds: number[]): unknown[] => [
  regionId,
  hourStart,
  day30Start,
  dayStart,
  childIds,
  LIVE_OVERDUE_SIZE,
];

/**
 * Every number of the wall for one region subtree, read from the roll-ups only (one statement,
 * so one snapshot: all numbers are true at the `version` it returns). At most a few hundred
 * small rows, whatever the number of issues. Names come from the in-memory configuration.
 */
@Injectable()
export class WallStatsService {
  constructor(
    private readonly db: DataSource,
    private readonly replica: ReadReplica,
    private readonly prepared: PreparedStatements,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
    private readonly departments: DepartmentsService,
    private readonly clock: ClockService,
  ) {}

  /** The counter store's identity and version. */
  async state(): Promise<{ epoch: string; version: number }> {
    const rows: { epoch: string; version: string }[] = await this.db.query('SELECT epoch, version FROM stats_state');
    return { epoch: rows[0]!.epoch, version: Number(rows[0]!.version) };
  }

  async read(regionId: number): Promise<RegionStats> {
    const now = this.clock.now();
    const dayStart = this.clock.startOfDay(now);
    const hourStart = new Date(this.clock.startOfHour(now).getTime() - 23 * HOUR_MS);
    const day30Start = new Date(dayStart.getTime() - 29 * DAY_MS);
    const children = this.regions.all().filter((r) => r.parentId === regionId);
    // One fixed text, prepared once per connection: frames re-read it up to 4 times a second per room.
    const rows = await this.prepared.query<RollupRead>(
      'wall-stats',
      WALL_STATS_SQL,
      wallStatsParams(
        regionId,
        hourStart,
        day30Start,
        dayStart,
        children.map((c) => c.id),
      ),
    );
    const read = rows[0]!;

    const stock = zeroStock();
    const byCategory = new Map<number, { open: number; total: number }>();
    const byDepartment = new Map<number, { resolved: number; backlog: number }>();
    for (const [status, categoryId, departmentId, n] of read.stock) {
      stock[status] += n;
      const open = OPEN_STATUSES.includes(status) ? n : 0;
      const c = byCategory.get(categoryId) ?? { open: 0, total: 0 };
      byCategory.set(categoryId, { open: c.open + open, total: c.total + n });
      if (departmentId !== 0) {
        const d = byDepartment.get(departmentId) ?? { resolved: 0, backlog: 0 };
        if (status === 'resolved' || status === 'closed') d.resolved += n;
        if (BACKLOG.includes(status)) d.backlog += n;
        byDepartment.set(departmentId, d);
      }
    }

    const flowsOf = (counts: number[]): FlowCounts => {
      const f = zeroFlows();
      FLOW_COLUMNS.forEach((c, i) => (f[c] = counts[i] ?? 0));
      return f;
    };
    let today = zeroFlows();
    let total = zeroFlows();
    const hours = new Map<number, FlowCounts>();
    const days = new Map<number, FlowCounts>();
    for (const [grain, bucket, ...counts] of read.flows) {
      if (grain === 't') total = flowsOf(counts);
      else (grain === 'h' ? hours : days).set(new Date(bucket).getTime(), flowsOf(counts));
    }
    today = days.get(dayStart.getTime()) ?? today;
    const trend = (start: Date, step: number, n: number, from: Map<number, FlowCounts>): TrendPoint[] =>
      Array.from({ length: n }, (_, i) => {
        const at = start.getTime() + i * step;
        const f = from.get(at);
        return { at: new Date(at).toISOString(), reported: f?.reported ?? 0, resolved: f?.resolved ?? 0 };
      });

    const childTotals = new Map<number, { open: number; total: number }>();
    for (const [id, status, n] of read.children) {
      const c = childTotals.get(id) ?? { open: 0, total: 0 };
      childTotals.set(id, { open: c.open + (OPEN_STATUSES.includes(status) ? n : 0), total: c.total + n });
    }
    const reportedTodayByStatus = zeroStock();
    for (const [status, n] of read.reported_today) reportedTodayByStatus[status] = n;

    const sla = read.sla;
    // 按期结案率 per department, from the region × department SLA roll-up (resolved on time / resolved).
    const onTimeByDepartment = new Map(
      read.sla_departments
        .filter(([, resolved]) => Number(resolved) > 0)
        .map(([id, resolved, onTime]) => [id, Number(onTime) / Number(resolved)]),
    );
    const accepted = ACCEPTED_OR_LATER.reduce((sum, s) => sum + stock[s], 0);
    return {
      epoch: read.state.epoch,
      version: Number(read.state.version),
      regionId,
      asOf: now.toISOString(),
      day: this.clock.dayOf(now),
      timeZone: this.clock.timeZone,
      stock,
      today,
      total,
      resolutionRate: accepted ? (stock.resolved + stock.closed) / accepted : null,
      onTimeRate: sla && sla[1] > 0 ? sla[2] / sla[1] : null,
      overdueNow: sla?.[0] ?? 0,
      trend24h: trend(hourStart, HOUR_MS, 24, hours),
      trend30d: trend(day30Start, DAY_MS, 30, days),
      categories: this.categories
        .all()
        .filter((c) => c.parentId === null)
        .map((c) => ({ categoryId: c.id, name: c.name, ...(byCategory.get(c.id) ?? { open: 0, total: 0 }) }))
        .sort((a, b) => b.open - a.open || b.total - a.total),
      departments: this.departments
        .list()
        .map((d) => ({
          departmentId: d.id,
          name: d.name,
          onTimeRate: onTimeByDepartment.get(d.id) ?? null,
          ...(byDepartment.get(d.id) ?? { resolved: 0, backlog: 0 }),
        }))
        .sort((a, b) => b.resolved - a.resolved || b.backlog - a.backlog),
      children: children.map((c) => ({
        regionId: c.id,
        name: c.name,
        level: c.level,
        ...(childTotals.get(c.id) ?? { open: 0, total: 0 }),
      })),
      overdue: read.overdue.map((o) => ({ ...o, dueAt: new Date(o.dueAt).toISOString() })),
      reportedTodayByStatus,
    };
  }

  /** The subtree's latest status changes of the last LIVE_FEED_HOURS, newest first: the live feed a snapshot starts from. */
  async feed(regionId: number): Promise<IssueFrame[]> {
    const since = new Date(this.clock.now().getTime() - LIVE_FEED_HOURS * HOUR_MS);
    const params: unknown[] = [LIVE_FEED_SIZE, since];
    return this.replica.query(feedSql(this.regions.subtreeCondition([regionId], params)), params);
  }
}
