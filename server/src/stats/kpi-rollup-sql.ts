/**
 * The KPI roll-up (ADR 0046), kept like the wall's roll-ups: triggers on the five tables a KPI
 * reads (issues, their overall SLA clock, the dispatch/return/reopen steps, evaluations, 督办)
 * append the issue's id to the insert-only `stats_kpi_outbox` in the writer's transaction; the
 * StatsApplier recomputes those issues' facts from the tables (`kpiFactsSql`), stores them in
 * `stats_kpi_issue` and adds the difference to the day × street × department roll-up
 * `stats_kpi_day` (communities and grids read the facts: finer keys would make a year of a
 * district read as many roll-up rows as issues).
 *
 * An issue's facts are its KPI contribution, independent of any period: one row for the
 * department it is with now (受理, 结案, on time, resolved, reopened, evaluations, 督办, handling
 * time) plus the dispatch/return steps that named that department, and one more row for every
 * other department a step named (steps only). Department 0 = none. Rejected and merged issues
 * have no facts.
 */

/** The fact columns, in the order of `stats_kpi_issue` after (issue_id, department_id). */
export const KPI_FACT_COLUMNS = [
  'received',
  'closed',
  'on_time',
  'resolved',
  'reopened',
  'evaluations',
  'satisfied',
  'supervisions',
  'dispatches',
  'returns',
] as const;

const KEYS = 'issue_id, department_id, reported_at, district_id, street_id, community_id, grid_id';
export const KPI_FACT_ROW = `${KEYS}, ${KPI_FACT_COLUMNS.join(', ')}, handling_ms`;
/** The roll-up's key and figures (handled = issues with a handling time, handling_ms = their sum). */
const DAY_KEYS = 'day, district_id, street_id, department_id';
export const KPI_DAY_FIGURES = [...KPI_FACT_COLUMNS, 'handled', 'handling_ms'] as const;

/**
 * The facts of the issues matching `where` (a condition over issues `i`), computed from the
 * tables — the truth the applier stores, the reconciliation compares with, and a KPI read uses
 * for issues whose outbox rows are not applied yet.
 *
 * On time reads the overall clock the SLA engine keeps: `used_ms` does not count time on hold
 * and an approved extension adds to `extended_ms`. Handling time = clock stop − start − pauses.
 */
export function kpiFactsSql(where: string): string {
  const sums = KPI_FACT_COLUMNS.map((c) => `sum(x.${c})::int AS ${c}`).join(', ');
  return `
    SELECT i.id AS issue_id, x.department_id, i.reported_at, i.district_id, i.street_id, i.community_id, i.grid_id, ${sums},
           max(x.handling_ms) AS handling_ms
      FROM issues i
     CROSS JOIN LATERAL (
       SELECT coalesce(i.department_id, 0) AS department_id, 1 AS received, (i.status = 'closed')::int AS closed,
              (i.status = 'closed' AND c.stopped_at IS NOT NULL AND c.used_ms <= c.target_ms + c.extended_ms)::int AS on_time,
              (c.stopped_at IS NOT NULL)::int AS resolved,
              EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.type = 'reopen' AND e.at >= i.reported_at)::int AS reopened,
              ev.n AS evaluations, ev.good AS satisfied,
              (SELECT count(*) FROM supervisions s WHERE s.issue_id = i.id)::int AS supervisions,
              0 AS dispatches, 0 AS returns,
              CASE WHEN c.stopped_at IS NOT NULL THEN (extract(epoch FROM c.stopped_at - c.started_at) * 1000 - c.paused_ms)::float8 END AS handling_ms
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT k.stopped_at, k.started_at, k.paused_ms, k.used_ms, k.target_ms, k.extended_ms
                              FROM sla_clocks k WHERE k.issue_id = i.id AND k.stage = 'overall' ORDER BY k.id DESC LIMIT 1) c ON true
        CROSS JOIN LATERAL (SELECT count(*)::int AS n, (count(*) FILTER (WHERE v.score >= 4))::int AS good
                              FROM evaluations v WHERE v.issue_id = i.id) ev
       UNION ALL
       SELECT coalesce((e.data->>'departmentId')::int, 0), 0, 0, 0, 0, 0, 0, 0, 0,
              (e.type = 'dispatch')::int, (e.type = 'return')::int, NULL
         FROM issue_events e
        WHERE e.issue_id = i.id AND e.type IN ('dispatch', 'return') AND e.at >= i.reported_at
     ) x
     WHERE (${where}) AND i.status NOT IN ('rejected', 'merged')
     GROUP BY i.id, x.department_id`;
}

/**
 * The applier's KPI batch, one statement (one snapshot): $1 = the issues taken from the outbox,
 * $2 = the calendar time zone. Their stored facts become the recomputed ones and the day
 * roll-up moves by the difference. Returns the rows written.
 */
export const APPLY_KPI_SQL = `
  WITH old AS (SELECT ${KPI_FACT_ROW} FROM stats_kpi_issue WHERE issue_id = ANY($1::int[])),
  fresh AS MATERIALIZED (${kpiFactsSql('i.id = ANY($1::int[])')}),
  up AS (
    INSERT INTO stats_kpi_issue AS t (${KPI_FACT_ROW}) SELECT ${KPI_FACT_ROW} FROM fresh
    ON CONFLICT (issue_id, department_id) DO UPDATE SET
      ${['reported_at', 'district_id', 'street_id', 'community_id', 'grid_id', ...KPI_FACT_COLUMNS, 'handling_ms'].map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
    RETURNING 1),
  gone AS (
    DELETE FROM stats_kpi_issue t USING old o
     WHERE t.issue_id = o.issue_id AND t.department_id = o.department_id
       AND NOT EXISTS (SELECT 1 FROM fresh n WHERE n.issue_id = o.issue_id AND n.department_id = o.department_id)
    RETURNING 1),
  delta AS (${dayRowsSql(`(SELECT -1 AS sign, ${KPI_FACT_ROW} FROM old UNION ALL SELECT 1, ${KPI_FACT_ROW} FROM fresh)`, '$2')}),
  roll AS (${upsertDaySql('delta')})
  SELECT ((SELECT count(*) FROM up) + (SELECT count(*) FROM gone) + (SELECT count(*) FROM roll))::int AS n`;

/** Day × district × street × department sums of signed fact rows `src` (sign, KPI_FACT_ROW). */
function dayRowsSql(src: string, tz: string): string {
  const sums = KPI_FACT_COLUMNS.map((c) => `sum(s.sign * s.${c})::int AS ${c}`).join(', ');
  return `
    SELECT date_trunc('day', s.reported_at, ${tz}::text) AS day, s.district_id, s.street_id, s.department_id, ${sums},
           sum(s.sign * (s.handling_ms IS NOT NULL)::int)::int AS handled, coalesce(sum(s.sign * s.handling_ms::numeric), 0) AS handling_ms
      FROM ${src} s
     GROUP BY 1, 2, 3, 4
    HAVING ${KPI_FACT_COLUMNS.map((c) => `sum(s.sign * s.${c}) <> 0`).join(' OR ')} OR coalesce(sum(s.sign * s.handling_ms::numeric), 0) <> 0`;
}

function upsertDaySql(src: string): string {
  return `
    INSERT INTO stats_kpi_day AS t (${DAY_KEYS}, ${KPI_DAY_FIGURES.join(', ')})
    SELECT ${DAY_KEYS}, ${KPI_DAY_FIGURES.join(', ')} FROM ${src}
    ON CONFLICT (${DAY_KEYS}) DO UPDATE SET ${KPI_DAY_FIGURES.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}
    RETURNING 1`;
}

/** Takes up to $1 outbox rows; returns the distinct issues they name. */
export const TAKE_KPI_OUTBOX_SQL = `
  WITH taken AS (DELETE FROM stats_kpi_outbox WHERE id IN (SELECT id FROM stats_kpi_outbox ORDER BY id LIMIT $1) RETURNING issue_id)
  SELECT coalesce(array_agg(DISTINCT issue_id), '{}') AS ids FROM taken`;

/**
 * Rebuilds the KPI facts and roll-up from the tables, set-based, in the caller's transaction
 * (after rebuildRollupsSql(), which locks issues and clocks); $1 = the calendar time zone.
 */
export const REBUILD_KPI_SQL: { sql: string; tz: boolean }[] = [
  { sql: 'LOCK TABLE evaluations, supervisions IN SHARE MODE', tz: false },
  { sql: 'TRUNCATE stats_kpi_outbox, stats_kpi_issue, stats_kpi_day', tz: false },
  { sql: `INSERT INTO stats_kpi_issue (${KPI_FACT_ROW}) ${kpiFactsSql('true')}`, tz: false },
  { sql: `${upsertDaySql(`(${dayRowsSql(`(SELECT 1 AS sign, ${KPI_FACT_ROW} FROM stats_kpi_issue)`, '$1')}) d`)}`, tz: true },
];

/**
 * Every difference of the KPI roll-up, in one snapshot: stored facts against the facts computed
 * now (issues still in the outbox are left out: the applier has yet to take them), and the day
 * roll-up against the sum of the stored facts. $1 = the calendar time zone.
 */
export const RECONCILE_KPI_SQL = `
  WITH pending AS (SELECT DISTINCT issue_id FROM stats_kpi_outbox),
  truth AS (${kpiFactsSql('NOT EXISTS (SELECT 1 FROM pending p WHERE p.issue_id = i.id)')}),
  stored AS (SELECT ${KPI_FACT_ROW} FROM stats_kpi_issue f WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.issue_id = f.issue_id)),
  summed AS (${dayRowsSql(`(SELECT 1 AS sign, ${KPI_FACT_ROW} FROM stats_kpi_issue)`, '$1')}),
  rolled AS (SELECT * FROM stats_kpi_day WHERE ${KPI_DAY_FIGURES.map((c) => `${c} <> 0`).join(' OR ')})
  SELECT 'stats_kpi_issue' AS rollup, concat_ws('/', coalesce(t.issue_id, s.issue_id), coalesce(t.department_id, s.department_id)) AS key,
         coalesce((SELECT concat_ws(',', ${KPI_FACT_ROW.split(', ')
           .map((c) => `t.${c}`)
           .join(', ')})), '') AS expected,
         coalesce((SELECT concat_ws(',', ${KPI_FACT_ROW.split(', ')
           .map((c) => `s.${c}`)
           .join(', ')})), '') AS actual
    FROM truth t FULL JOIN stored s USING (issue_id, department_id)
   WHERE (${KPI_FACT_ROW.split(', ')
     .map((c) => `t.${c}`)
     .join(', ')}) IS DISTINCT FROM (${KPI_FACT_ROW.split(', ')
     .map((c) => `s.${c}`)
     .join(', ')})
  UNION ALL
  SELECT 'stats_kpi_day', concat_ws('/', coalesce(a.day, b.day), coalesce(a.district_id, b.district_id), coalesce(a.street_id, b.street_id),
                                    coalesce(a.department_id, b.department_id)),
         coalesce((SELECT concat_ws(',', ${KPI_DAY_FIGURES.map((c) => `a.${c}`).join(', ')})), ''),
         coalesce((SELECT concat_ws(',', ${KPI_DAY_FIGURES.map((c) => `b.${c}`).join(', ')})), '')
    FROM summed a FULL JOIN rolled b USING (${DAY_KEYS})
   WHERE (${KPI_DAY_FIGURES.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM (${KPI_DAY_FIGURES.map((c) => `b.${c}`).join(', ')})
  ORDER BY 1, 2`;
