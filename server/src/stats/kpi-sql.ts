import type { KpiGrouping } from '@gridline/shared';
import { KPI_FACT_COLUMNS, kpiFactsSql } from './kpi-rollup-sql';

/**
 * The KPI statements (ADR 0046, refining ADR 0036). Every figure except "overdue now" is over the
 * cohort of issues reported in [from, to) within one region subtree, read from the KPI roll-up
 * (kpi-rollup-sql.ts) in one snapshot:
 *   the day roll-up for the whole days of the period (`alignedFrom`..`alignedTo`)
 *   + the stored per-issue facts for the part-days at either end
 *   − the stored facts of issues still in the outbox, + their facts computed from the tables now.
 * So a read is exact even while the applier trails the writes. The p90 of handling time is not
 * additive: it reads the handling times of the period's stored facts (a covering index).
 *
 * 按期结案率 reads the overall clock the SLA engine keeps (server/src/sla): `used_ms` does not
 * count time on hold (挂账 pauses the clock), and an approved extension adds to `extended_ms`,
 * so "on time" is `used_ms <= target_ms + extended_ms` — holds and extensions excluded as
 * GB/T 30428 says.
 */

export interface KpiFilter {
  /** The region subtree condition over `i` (RegionsService.subtreeCondition). */
  subtree: string;
  /** Only the issues now with this department, or all. */
  departmentId: number | null;
  from: Date;
  to: Date;
  now: Date;
  timeZone: string;
  groupBy: KpiGrouping;
}

/** A statement and its parameters (each statement numbers its own: PostgreSQL refuses unused ones). */
export interface KpiStatement {
  sql: string;
  params: unknown[];
}

export interface CohortRow {
  total: boolean;
  k: string | null;
  received: number;
  closed: number;
  on_time: number;
  resolved: number;
  reopened: number;
  evaluations: number;
  satisfied: number;
  supervisions: number;
  dispatches: number;
  returns: number;
  avg_ms: number | null;
}

export interface P90Row {
  total: boolean;
  k: string | null;
  p90_ms: number | null;
}

export interface OverdueRow {
  total: boolean;
  k: string | null;
  n: number;
}

/** Where a row's report time, department and street are (an issue row or a KPI roll-up row). */
interface KeyColumns {
  at: string;
  department: string;
  street: string;
}

/** The group key of a row as text: its department, street or month (in the configured zone). */
function keyOf(groupBy: KpiGrouping, tz: () => string, c: KeyColumns): string {
  switch (groupBy) {
    case 'department':
      return `${c.department}::text`;
    case 'street':
      return `${c.street}::text`;
    case 'month':
      return `to_char(${c.at} AT TIME ZONE ${tz()}::text, 'YYYY-MM')`;
    default: {
      const never: never = groupBy;
      throw new Error(`No key for grouping ${String(never)}`);
    }
  }
}

const ISSUE_KEYS: KeyColumns = { at: 'i.reported_at', department: 'i.department_id', street: 'i.street_id' };
/** In the roll-up, department 0 is "none". */
const ROLLUP_KEYS: KeyColumns = { at: 's.at', department: 'nullif(s.department_id, 0)', street: 's.street_id' };

/** subtree's parameters come first (the caller built it on an empty list); the rest are appended. */
function builder(subtreeParams: readonly unknown[]) {
  const params = [...subtreeParams];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return { params, p };
}

/** Which part of the period the day roll-up answers. */
export interface KpiWindow {
  /** The first local midnight at or after `from`, and the last at or before `to` (both `to` when no whole day lies between). */
  alignedFrom: Date;
  alignedTo: Date;
  /** false for a community or a grid (the day roll-up stops at streets): the whole period comes from the stored facts. */
  useDays: boolean;
}

const SUMS = [...KPI_FACT_COLUMNS, 'handled', 'handling_ms'] as const;

/**
 * The cohort's figures per group and in total (GROUPING SETS): counts, on time, evaluations,
 * 督办, steps, and the handling-time sum for the average. Grouped by department, the cohort's
 * figures count for the issue's department now and each dispatch/return for the department it
 * named; a department filter keeps both to that department.
 */
export function cohortSql(f: KpiFilter, w: KpiWindow, subtreeParams: readonly unknown[]): KpiStatement {
  const { params, p } = builder(subtreeParams);
  const [from, to, afrom, ato] = [p(f.from), p(f.to), p(w.alignedFrom), p(w.alignedTo)];
  const tz = () => p(f.timeZone);
  const dept = f.departmentId !== null ? ` AND i.department_id = ${p(f.departmentId)}` : '';
  const facts = () =>
    `i.reported_at AS at, i.district_id, i.street_id, i.community_id, i.department_id, ${KPI_FACT_COLUMNS.map((c) => `i.${c}`).join(', ')}, (i.handling_ms IS NOT NULL)::int AS handled, coalesce(i.handling_ms::numeric, 0) AS handling_ms`;
  const notPending = 'NOT EXISTS (SELECT 1 FROM pending q WHERE q.issue_id = i.issue_id)';
  const isPending = 'EXISTS (SELECT 1 FROM pending q WHERE q.issue_id = i.issue_id)';
  const parts = [
    `SELECT 1 AS sign, ${facts()} FROM stats_kpi_issue i
      WHERE ((i.reported_at >= ${from} AND i.reported_at < ${afrom}) OR (i.reported_at >= ${ato} AND i.reported_at < ${to}))
        AND ${f.subtree}${dept} AND ${notPending}`,
    `SELECT 1, ${facts()} FROM fresh i WHERE i.reported_at >= ${from} AND i.reported_at < ${to} AND ${f.subtree}${dept}`,
  ];
  if (w.useDays) {
    parts.push(
      `SELECT 1, i.day, i.district_id, i.street_id, 0, i.department_id, ${SUMS.map((c) => `i.${c}`).join(', ')}
         FROM stats_kpi_day i WHERE i.day >= ${afrom} AND i.day < ${ato} AND ${f.subtree}${dept}`,
      `SELECT -1, ${facts()} FROM stats_kpi_issue i
        WHERE i.reported_at >= ${afrom} AND i.reported_at < ${ato} AND ${f.subtree}${dept} AND ${isPending}`,
    );
  }
  const key = keyOf(f.groupBy, tz, ROLLUP_KEYS);
  const sql = `
    WITH pending AS (SELECT DISTINCT issue_id FROM stats_kpi_outbox),
    fresh AS MATERIALIZED (${kpiFactsSql('i.id IN (SELECT issue_id FROM pending)')}),
    src AS (${parts.join('\n      UNION ALL\n      ')})
    SELECT GROUPING(k) = 1 AS total, k,
           ${KPI_FACT_COLUMNS.map((c) => `coalesce(sum(sign * ${c}), 0)::int AS ${c}`).join(',\n           ')},
           (sum(sign * handling_ms) / nullif(sum(sign * handled), 0))::float8 AS avg_ms
      FROM (SELECT ${key} AS k, s.* FROM src s) x
     GROUP BY GROUPING SETS ((k), ())`;
  return { sql, params };
}

/** The p90 of handling time per group and in total, from the period's stored facts (issues in the outbox: computed now). */
export function p90Sql(f: KpiFilter, subtreeParams: readonly unknown[]): KpiStatement {
  const { params, p } = builder(subtreeParams);
  const [from, to] = [p(f.from), p(f.to)];
  const tz = () => p(f.timeZone);
  const dept = f.departmentId !== null ? ` AND i.department_id = ${p(f.departmentId)}` : '';
  const cols = 'i.reported_at AS at, i.street_id, i.department_id, i.handling_ms';
  const where = `i.reported_at >= ${from} AND i.reported_at < ${to} AND i.handling_ms IS NOT NULL AND ${f.subtree}${dept}`;
  const key = keyOf(f.groupBy, tz, ROLLUP_KEYS);
  const sql = `
    WITH pending AS (SELECT DISTINCT issue_id FROM stats_kpi_outbox),
    fresh AS MATERIALIZED (${kpiFactsSql('i.id IN (SELECT issue_id FROM pending)')}),
    src AS (
      SELECT ${cols} FROM stats_kpi_issue i WHERE ${where} AND NOT EXISTS (SELECT 1 FROM pending q WHERE q.issue_id = i.issue_id)
      UNION ALL
      SELECT ${cols} FROM fresh i WHERE ${where})
    SELECT GROUPING(k) = 1 AS total, k, percentile_cont(0.9) WITHIN GROUP (ORDER BY handling_ms)::float8 AS p90_ms
      FROM (SELECT ${key} AS k, s.handling_ms FROM src s) x
     GROUP BY GROUPING SETS ((k), ())`;
  return { sql, params };
}

/** Overdue now (the current stage's clock past due), in the subtree, whenever reported; by month: the months of the range. */
export function overdueSql(f: KpiFilter, subtreeParams: readonly unknown[]): KpiStatement {
  const { params, p } = builder(subtreeParams);
  const where = [f.subtree, `i.sla_due_at < ${p(f.now)}`];
  if (f.departmentId !== null) where.push(`i.department_id = ${p(f.departmentId)}`);
  if (f.groupBy === 'month') where.push(`i.reported_at >= ${p(f.from)}`, `i.reported_at < ${p(f.to)}`);
  const sql = `
    SELECT GROUPING(k) = 1 AS total, k, count(*)::int AS n
      FROM (SELECT ${keyOf(f.groupBy, () => p(f.timeZone), ISSUE_KEYS)} AS k FROM issues i WHERE ${where.join(' AND ')}) o
     GROUP BY GROUPING SETS ((k), ())`;
  return { sql, params };
}
