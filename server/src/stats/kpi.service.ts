import { Injectable } from '@nestjs/common';
import type { KpiGrouping, KpiQuery, KpiReport, KpiRow } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { localDayNumber, midnightOf } from '../common/time-zone';
import { ReadReplica } from '../database/read-replica.service';
import { DepartmentsService } from '../departments/departments.service';
import { RegionsService } from '../regions/regions.service';
import { ScopeService } from '../scope/scope.service';
import { cohortSql, overdueSql, p90Sql, type CohortRow, type KpiFilter, type KpiWindow, type OverdueRow, type P90Row } from './kpi-sql';

const DAY_MS = 86_400_000;
/** The longest period one request counts (a little over a year: a year of a district is the export's case). */
export const KPI_MAX_DAYS = 400;

const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const ms = (v: number | null): number | null => (v === null ? null : Math.round(v));

/** The first instant of the month holding `at`, in the zone. */
export function startOfMonthIn(timeZone: string, at: Date): Date {
  const day = localDayNumber(timeZone, at.getTime());
  const date = new Date(day * DAY_MS);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
  return new Date(midnightOf(timeZone, first));
}

/**
 * 考核 KPIs (SPEC §15) per department, street or month of a region subtree: three set-based
 * statements over the KPI roll-up (kpi-sql.ts, ADR 0046) merged here, ranked by 按期结案率, then 结案率, then 受理量.
 * Scope: region roles a region in their scope, any department; department leads their own only.
 */
@Injectable()
export class KpiService {
  constructor(
    private readonly db: ReadReplica,
    private readonly scope: ScopeService,
    private readonly regions: RegionsService,
    private readonly departments: DepartmentsService,
    private readonly clock: ClockService,
  ) {}

  async report(actor: Actor, q: KpiQuery): Promise<KpiReport> {
    const { regionId, departmentId } = this.scope.stats(actor, q);
    const now = this.clock.now();
    const to = q.to ? new Date(q.to) : now;
    const from = q.from ? new Date(q.from) : startOfMonthIn(this.clock.timeZone, now);
    if (!(from < to)) throw new AppException('KPI_RANGE_INVALID', 'from must be before to', { field: 'from' });
    if (to.getTime() - from.getTime() > KPI_MAX_DAYS * DAY_MS) {
      throw new AppException('KPI_RANGE_INVALID', `The period may span at most ${KPI_MAX_DAYS} days`, {
        field: 'to',
        maxDays: KPI_MAX_DAYS,
      });
    }
    const groupBy: KpiGrouping = q.groupBy ?? 'department';
    const subtreeParams: unknown[] = [];
    const subtree = this.regions.subtreeCondition([regionId], subtreeParams);
    const f: KpiFilter = { subtree, departmentId, from, to, now, timeZone: this.clock.timeZone, groupBy };
    const level = this.regions.require(regionId).level;
    const window = this.windowOf(from, to, level !== 'grid' && level !== 'community');
    const [a, b, c] = [cohortSql(f, window, subtreeParams), p90Sql(f, subtreeParams), overdueSql(f, subtreeParams)];
    const [cohort, p90, overdue] = await Promise.all([
      this.db.query<CohortRow>(a.sql, a.params),
      this.db.query<P90Row>(b.sql, b.params),
      this.db.query<OverdueRow>(c.sql, c.params),
    ]);

    const keyed = <T extends { total: boolean; k: string | null }>(rows: T[]) => new Map(rows.filter((r) => !r.total).map((r) => [r.k, r]));
    const cohortBy = keyed(cohort);
    const p90By = keyed(p90);
    const overdueBy = keyed(overdue);
    const keys = new Set<string | null>([...cohortBy.keys(), ...overdueBy.keys()]);
    if (departmentId !== null && groupBy === 'department') {
      keys.clear();
      keys.add(String(departmentId));
    }
    const rows = [...keys].map((k) => this.row(groupBy, k, cohortBy.get(k), p90By.get(k), overdueBy.get(k)?.n ?? 0));
    ranked(rows);
    if (groupBy === 'month') rows.sort((x, y) => String(x.key).localeCompare(String(y.key)));
    const total = this.row(
      groupBy,
      null,
      cohort.find((r) => r.total),
      p90.find((r) => r.total),
      overdue.find((r) => r.total)?.n ?? 0,
    );
    return {
      regionId,
      departmentId,
      groupBy,
      from: from.toISOString(),
      to: to.toISOString(),
      asOf: now.toISOString(),
      rows,
      total: { ...total, key: null, name: '合计', rank: 0 },
    };
  }

  /**
   * The whole local days of [from, to), read from the day roll-up; the part-days at either end
   * come from the stored facts. The day roll-up stops at streets: a community or a grid reads all of it from the facts.
   */
  private windowOf(from: Date, to: Date, useDays: boolean): KpiWindow {
    const tz = this.clock.timeZone;
    const fromDay = localDayNumber(tz, from.getTime());
    const alignedFrom = midnightOf(tz, fromDay) === from.getTime() ? from : new Date(midnightOf(tz, fromDay + 1));
    const alignedTo = new Date(midnightOf(tz, localDayNumber(tz, to.getTime())));
    if (!useDays || !(alignedFrom < alignedTo)) return { alignedFrom: to, alignedTo: to, useDays: false };
    return { alignedFrom, alignedTo, useDays };
  }

  private row(groupBy: KpiGrouping, k: string | null, c: CohortRow | undefined, p: P90Row | undefined, overdueNow: number): KpiRow {
    const received = c?.received ?? 0;
    const closed = c?.closed ?? 0;
    const evaluations = c?.evaluations ?? 0;
    const dispatches = c?.dispatches ?? 0;
    const returns = c?.returns ?? 0;
    const resolved = c?.resolved ?? 0;
    const reopened = c?.reopened ?? 0;
    return {
      key: groupBy === 'month' ? k : k === null ? null : Number(k),
      name: this.nameOf(groupBy, k),
      rank: 0,
      received,
      closed,
      closeRate: rate(closed, received),
      onTimeCloseRate: rate(c?.on_time ?? 0, closed),
      satisfactionRate: rate(c?.satisfied ?? 0, evaluations),
      evaluations,
      avgHandlingMs: ms(c?.avg_ms ?? null),
      p90HandlingMs: ms(p?.p90_ms ?? null),
      returnRate: rate(returns, dispatches),
      returns,
      reopenRate: rate(reopened, resolved),
      reopened,
      supervisions: c?.supervisions ?? 0,
      overdueNow,
    };
  }

  private nameOf(groupBy: KpiGrouping, k: string | null): string {
    switch (groupBy) {
      case 'department':
        return k === null ? '未派遣' : (this.departments.list().find((d) => d.id === Number(k))?.name ?? `#${k}`);
      case 'street':
        return k === null ? '—' : (this.regions.get(Number(k))?.name ?? `#${k}`);
      case 'month':
        return k ?? '—';
      default: {
        const never: never = groupBy;
        throw new Error(`No name for grouping ${String(never)}`);
      }
    }
  }
}

/** Ranks in place: best 按期结案率 first, then 结案率, then 受理量; rows without a closed issue last. */
export function ranked(rows: KpiRow[]): KpiRow[] {
  const score = (v: number | null) => (v === null ? -1 : v);
  rows.sort(
    (a, b) =>
      score(b.onTimeCloseRate) - score(a.onTimeCloseRate) ||
      score(b.closeRate) - score(a.closeRate) ||
      b.received - a.received ||
      String(a.key).localeCompare(String(b.key)),
  );
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}
