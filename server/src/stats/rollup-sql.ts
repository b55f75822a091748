/**
 * How an issue counts in the roll-ups, written once as SQL over a source of "contribution rows"
 * (`sign`, then the issue's counted columns). The same CTEs aggregate
 * - the outbox's deltas (the applier: old state −1, new state +1),
 * - the issues table itself (a rebuild, and the truth the reconciliation compares with).
 *
 * Every statement takes $1 = the calendar time zone, $2 = the oldest hour bucket kept.
 * SLA clocks count the same way through `stats_sla_contribution()` (overdue now, resolved on time).
 */

/** Hourly flow buckets are kept this long (the 24-hour trend needs one day of them). */
export const HOUR_RETENTION_MS = 48 * 3600_000;

/** The issue columns a contribution row carries, in the outbox's order. */
export const COUNTED_COLUMNS =
  'grid_id, status, category_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at';

export const FLOW_COLUMNS = ['reported', 'accepted', 'dispatched', 'resolved', 'closed'] as const;

/**
 * CTEs `<p>_stock`, `<p>_day` and `<p>_flow`: the region-level deltas (or totals) of the
 * contribution rows in CTE `src`, one row per region of every level on the grid's path.
 */
export function rollupCtes(p: string, src: string): string {
  const flowSums = FLOW_COLUMNS.map((c, i) => `coalesce(sum(s.sign) FILTER (WHERE k.m = ${i + 1}), 0) AS ${c}`).join(', ');
  const sumFlows = FLOW_COLUMNS.map((c) => `sum(${c})::bigint AS ${c}`).join(', ');
  const anyFlow = FLOW_COLUMNS.map((c) => `sum(${c}) <> 0`).join(' OR ');
  return `
  ${p}_stock AS (
    SELECT region_id, status, category_id, department_id, sum(n)::bigint AS n FROM (
      SELECT unnest(r.path) AS region_id, g.status, g.category_id, g.department_id, g.n
        FROM (SELECT s.grid_id, s.status, coalesce(c.parent_id, c.id) AS category_id, coalesce(s.department_id, 0) AS department_id,
                     sum(s.sign) AS n
                FROM ${src} s JOIN categories c ON c.id = s.category_id
               GROUP BY 1, 2, 3, 4) g
        JOIN regions r ON r.id = g.grid_id) x
    GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0),
  ${p}_day AS (
    SELECT region_id, day, status, sum(n)::bigint AS n FROM (
      SELECT unnest(r.path) AS region_id, g.day, g.status, g.n
        FROM (SELECT grid_id, date_trunc('day', reported_at, $1::text) AS day, status, sum(sign) AS n FROM ${src} GROUP BY 1, 2, 3) g
        JOIN regions r ON r.id = g.grid_id) x
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0),
  -- Per grid and bucket: an hour for timestamps still kept hourly, else the day (far fewer groups
  -- when rebuilding years of history); days and all-time are summed from these below.
  ${p}_hours AS (
    SELECT s.grid_id,
           CASE WHEN k.at >= $2::timestamptz THEN date_trunc('hour', k.at, $1::text) ELSE date_trunc('day', k.at, $1::text) END AS hour,
           ${flowSums}
      FROM ${src} s
     CROSS JOIN LATERAL (VALUES (1, s.reported_at), (2, s.accepted_at), (3, s.dispatched_at), (4, s.resolved_at), (5, s.closed_at)) AS k(m, at)
     WHERE k.at IS NOT NULL
     GROUP BY 1, 2),
  ${p}_flow AS (
    SELECT region_id, grain, bucket, ${sumFlows} FROM (
      SELECT unnest(r.path) AS region_id, b.grain, b.bucket, ${FLOW_COLUMNS.map((c) => `h.${c}`).join(', ')}
        FROM ${p}_hours h
        JOIN regions r ON r.id = h.grid_id
       CROSS JOIN LATERAL (VALUES ('h', h.hour), ('d', date_trunc('day', h.hour, $1::text)), ('t', '-infinity'::timestamptz)) AS b(grain, bucket)
       WHERE b.grain <> 'h' OR h.hour >= $2::timestamptz) x
    GROUP BY 1, 2, 3 HAVING ${anyFlow})`;
}

export const SLA_COLUMNS = ['overdue', 'resolved', 'resolved_on_time'] as const;

/** SLA clocks as contribution rows (grid_id + SLA_COLUMNS), through stats_sla_contribution() of the migration. */
export const SLA_TRUTH_SRC = `
  SELECT i.grid_id, c.overdue, c.resolved, c.resolved_on_time
    FROM sla_clocks k JOIN issues i ON i.id = k.issue_id
   CROSS JOIN LATERAL stats_sla_contribution(k.stage, k.stopped_at,
         EXISTS (SELECT 1 FROM sla_firings f WHERE f.clock_id = k.id AND f.level = 'breach'), k.used_ms, k.target_ms, k.extended_ms) c`;

/** CTE `<p>_sla`: region-level SLA deltas (or totals) of the rows in CTE `src` (grid_id + SLA_COLUMNS). */
export function slaCte(p: string, src: string): string {
  const sums = (prefix: string) => SLA_COLUMNS.map((c) => `sum(${prefix}${c})::bigint AS ${c}`).join(', ');
  return `
  ${p}_sla AS (
    SELECT region_id, ${sums('')} FROM (
      SELECT unnest(r.path) AS region_id, ${SLA_COLUMNS.map((c) => `g.${c}`).join(', ')}
        FROM (SELECT grid_id, ${sums('')} FROM ${src} GROUP BY 1) g JOIN regions r ON r.id = g.grid_id) x
    GROUP BY 1 HAVING ${SLA_COLUMNS.map((c) => `sum(${c}) <> 0`).join(' OR ')})`;
}

/** SLA clocks as contribution rows with the issue's department (0 = none): the wall's 按期率 per department. */
export const SLA_DEPARTMENT_TRUTH_SRC = `
  SELECT i.grid_id, coalesce(i.department_id, 0) AS department_id, c.resolved, c.resolved_on_time
    FROM sla_clocks k JOIN issues i ON i.id = k.issue_id
   CROSS JOIN LATERAL stats_sla_contribution(k.stage, k.stopped_at, false, k.used_ms, k.target_ms, k.extended_ms) c
   WHERE k.stage = 'overall' AND k.stopped_at IS NOT NULL`;

/** CTE `<p>_sla_dept`: region × department deltas (or totals) of resolved / resolved on time, from rows of `src`. */
export function slaDepartmentCte(p: string, src: string): string {
  return `
  ${p}_sla_dept AS (
    SELECT region_id, department_id, sum(resolved)::bigint AS resolved, sum(resolved_on_time)::bigint AS resolved_on_time FROM (
      SELECT unnest(r.path) AS region_id, g.department_id, g.resolved, g.resolved_on_time
        FROM (SELECT grid_id, department_id, sum(resolved) AS resolved, sum(resolved_on_time) AS resolved_on_time
                FROM ${src} GROUP BY 1, 2) g JOIN regions r ON r.id = g.grid_id) x
    GROUP BY 1, 2 HAVING sum(resolved) <> 0 OR sum(resolved_on_time) <> 0)`;
}

const upsertDepartmentCte = (p: string) => `
  ${p}_f AS (
    INSERT INTO stats_sla_department AS t (region_id, department_id, resolved, resolved_on_time)
    SELECT region_id, department_id, resolved, resolved_on_time FROM ${p}_sla_dept
    ON CONFLICT (region_id, department_id) DO UPDATE SET resolved = t.resolved + EXCLUDED.resolved,
      resolved_on_time = t.resolved_on_time + EXCLUDED.resolved_on_time
    RETURNING region_id)`;

/**
 * The department SLA roll-up rebuilt from the clocks, after rebuildRollupsSql() in the same
 * transaction (which emptied the outbox). Kept apart from it: migration 1763900000000 runs that
 * list before this table exists.
 */
export const REBUILD_SLA_DEPARTMENT_SQL = [
  'TRUNCATE stats_sla_department',
  `WITH src AS (${SLA_DEPARTMENT_TRUTH_SRC}), ${slaDepartmentCte('r', 'src')}, ${upsertDepartmentCte('r')} SELECT count(*) AS rows FROM r_f`,
];

/** Adds the deltas in `<p>_*` to the roll-up tables; CTEs `<p>_a|b|c|e` return the regions touched. */
function upsertCtes(p: string): string {
  const flowSet = FLOW_COLUMNS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ');
  return `
  ${p}_a AS (
    INSERT INTO stats_stock AS t (region_id, status, category_id, department_id, n)
    SELECT region_id, status, category_id, department_id, n FROM ${p}_stock
    ON CONFLICT (region_id, status, category_id, department_id) DO UPDATE SET n = t.n + EXCLUDED.n
    RETURNING region_id),
  ${p}_b AS (
    INSERT INTO stats_reported_day AS t (region_id, day, status, n)
    SELECT region_id, day, status, n FROM ${p}_day
    ON CONFLICT (region_id, day, status) DO UPDATE SET n = t.n + EXCLUDED.n
    RETURNING region_id),
  ${p}_c AS (
    INSERT INTO stats_flows AS t (region_id, grain, bucket, ${FLOW_COLUMNS.join(', ')})
    SELECT region_id, grain, bucket, ${FLOW_COLUMNS.join(', ')} FROM ${p}_flow
    ON CONFLICT (region_id, grain, bucket) DO UPDATE SET ${flowSet}
    RETURNING region_id),
  ${p}_e AS (
    INSERT INTO stats_sla AS t (region_id, ${SLA_COLUMNS.join(', ')})
    SELECT region_id, ${SLA_COLUMNS.join(', ')} FROM ${p}_sla
    ON CONFLICT (region_id) DO UPDATE SET ${SLA_COLUMNS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}
    RETURNING region_id)`;
}

/**
 * The applier's batch: takes up to $3 outbox rows (deleting them), adds their deltas to the
 * roll-ups, and returns how many rows moved and the regions whose numbers changed.
 * Deltas commute, so rows committed out of id order are simply taken by a later batch.
 */
export const APPLY_BATCH_SQL = `
  WITH src AS (
    DELETE FROM stats_outbox WHERE id IN (SELECT id FROM stats_outbox ORDER BY id LIMIT $3)
    RETURNING sign, ${COUNTED_COLUMNS}),
  sla_src AS (
    DELETE FROM stats_sla_outbox WHERE id IN (SELECT id FROM stats_sla_outbox ORDER BY id LIMIT $3)
    RETURNING grid_id, department_id, ${SLA_COLUMNS.join(', ')}),
  ${rollupCtes('d', 'src')},
  ${slaCte('d', 'sla_src')},
  ${slaDepartmentCte('d', 'sla_src')},
  ${upsertCtes('d')},
  ${upsertDepartmentCte('d')}
  SELECT (SELECT count(*) FROM src)::int + (SELECT count(*) FROM sla_src)::int AS moved,
         coalesce((SELECT array_agg(DISTINCT region_id) FROM (
           SELECT region_id FROM d_a UNION ALL SELECT region_id FROM d_b UNION ALL SELECT region_id FROM d_c
           UNION ALL SELECT region_id FROM d_e UNION ALL SELECT region_id FROM d_f) u), '{}') AS regions`;

/** Whether any outbox holds anything (the applier's cheap check before taking the leader row). */
export const PENDING_SQL =
  'SELECT EXISTS (SELECT 1 FROM stats_outbox) OR EXISTS (SELECT 1 FROM stats_sla_outbox) OR EXISTS (SELECT 1 FROM stats_kpi_outbox) AS any';

export interface RollupStatement {
  sql: string;
  params(now: Date, timeZone: string): unknown[];
}

const horizonOf = (now: Date) => new Date(now.getTime() - HOUR_RETENTION_MS);

/**
 * Rebuilds every roll-up from the issues table, set-based, in the caller's transaction: writers
 * wait (SHARE lock) so nothing slips between the count and the emptied outbox; a new epoch
 * tells connected walls to take a new snapshot.
 */
export function rebuildRollupsSql(): RollupStatement[] {
  const none = () => [];
  return [
    { sql: `SET LOCAL work_mem = '256MB'`, params: none },
    { sql: 'LOCK TABLE issues IN SHARE MODE', params: none },
    { sql: 'LOCK TABLE sla_clocks, sla_firings IN SHARE MODE', params: none },
    { sql: 'TRUNCATE stats_outbox, stats_sla_outbox, stats_stock, stats_reported_day, stats_flows, stats_sla', params: none },
    {
      sql: `WITH src AS (SELECT 1 AS sign, ${COUNTED_COLUMNS} FROM issues), sla_src AS (${SLA_TRUTH_SRC}),
            ${rollupCtes('r', 'src')}, ${slaCte('r', 'sla_src')}, ${upsertCtes('r')}
            SELECT (SELECT count(*) FROM r_a) + (SELECT count(*) FROM r_b) + (SELECT count(*) FROM r_c) + (SELECT count(*) FROM r_e) AS rows`,
      params: (now, tz) => [tz, horizonOf(now)],
    },
    {
      sql: `UPDATE stats_state SET epoch = md5(random()::text || clock_timestamp()::text), version = version + 1, applied_at = clock_timestamp()`,
      params: none,
    },
  ];
}

/**
 * Every difference between the roll-ups and COUNT(*) truth, in one statement (one snapshot):
 * expected = the issues table aggregated now; actual = roll-up rows + outbox deltas not yet
 * applied. Hour buckets older than $2 are left out (they are pruned).
 */
export const RECONCILE_SQL = `
  WITH truth_src AS (SELECT 1 AS sign, ${COUNTED_COLUMNS} FROM issues),
       pend_src AS (SELECT sign, ${COUNTED_COLUMNS} FROM stats_outbox),
       truth_sla_src AS (${SLA_TRUTH_SRC}),
       pend_sla_src AS (SELECT grid_id, ${SLA_COLUMNS.join(', ')} FROM stats_sla_outbox),
       ${rollupCtes('truth', 'truth_src')},
       ${rollupCtes('pend', 'pend_src')},
       ${slaCte('truth', 'truth_sla_src')},
       ${slaCte('pend', 'pend_sla_src')},
       flows_kept AS (SELECT * FROM stats_flows WHERE grain <> 'h' OR bucket >= $2::timestamptz)
  SELECT 'stats_stock' AS rollup, concat_ws('/', k.region_id, k.status, k.category_id, k.department_id) AS key,
         coalesce(t.n, 0)::text AS expected, (coalesce(r.n, 0) + coalesce(p.n, 0))::text AS actual
    FROM (SELECT region_id, status, category_id, department_id FROM truth_stock
          UNION SELECT region_id, status, category_id, department_id FROM stats_stock
          UNION SELECT region_id, status, category_id, department_id FROM pend_stock) k
    LEFT JOIN truth_stock t USING (region_id, status, category_id, department_id)
    LEFT JOIN stats_stock r USING (region_id, status, category_id, department_id)
    LEFT JOIN pend_stock p USING (region_id, status, category_id, department_id)
   WHERE coalesce(t.n, 0) <> coalesce(r.n, 0) + coalesce(p.n, 0)
  UNION ALL
  SELECT 'stats_reported_day', concat_ws('/', k.region_id, k.day, k.status),
         coalesce(t.n, 0)::text, (coalesce(r.n, 0) + coalesce(p.n, 0))::text
    FROM (SELECT region_id, day, status FROM truth_day UNION SELECT region_id, day, status FROM stats_reported_day
          UNION SELECT region_id, day, status FROM pend_day) k
    LEFT JOIN truth_day t USING (region_id, day, status)
    LEFT JOIN stats_reported_day r USING (region_id, day, status)
    LEFT JOIN pend_day p USING (region_id, day, status)
   WHERE coalesce(t.n, 0) <> coalesce(r.n, 0) + coalesce(p.n, 0)
  UNION ALL
  SELECT 'stats_flows', concat_ws('/', k.region_id, k.grain, k.bucket),
         concat_ws(',', ${FLOW_COLUMNS.map((c) => `coalesce(t.${c}, 0)`).join(', ')}),
         concat_ws(',', ${FLOW_COLUMNS.map((c) => `coalesce(r.${c}, 0) + coalesce(p.${c}, 0)`).join(', ')})
    FROM (SELECT region_id, grain, bucket FROM truth_flow UNION SELECT region_id, grain, bucket FROM flows_kept
          UNION SELECT region_id, grain, bucket FROM pend_flow) k
    LEFT JOIN truth_flow t USING (region_id, grain, bucket)
    LEFT JOIN flows_kept r USING (region_id, grain, bucket)
    LEFT JOIN pend_flow p USING (region_id, grain, bucket)
   WHERE ${FLOW_COLUMNS.map((c) => `coalesce(t.${c}, 0) <> coalesce(r.${c}, 0) + coalesce(p.${c}, 0)`).join(' OR ')}
  UNION ALL
  SELECT 'stats_sla', k.region_id::text,
         concat_ws(',', ${SLA_COLUMNS.map((c) => `coalesce(t.${c}, 0)`).join(', ')}),
         concat_ws(',', ${SLA_COLUMNS.map((c) => `coalesce(r.${c}, 0) + coalesce(p.${c}, 0)`).join(', ')})
    FROM (SELECT region_id FROM truth_sla UNION SELECT region_id FROM stats_sla UNION SELECT region_id FROM pend_sla) k
    LEFT JOIN truth_sla t USING (region_id)
    LEFT JOIN stats_sla r USING (region_id)
    LEFT JOIN pend_sla p USING (region_id)
   WHERE ${SLA_COLUMNS.map((c) => `coalesce(t.${c}, 0) <> coalesce(r.${c}, 0) + coalesce(p.${c}, 0)`).join(' OR ')}
  ORDER BY 1, 2`;

/** The reconciliation's parameters: hour buckets a little newer than the applier keeps, so none is mid-prune. */
export function reconcileParams(now: Date, timeZone: string): unknown[] {
  return [timeZone, new Date(now.getTime() - HOUR_RETENTION_MS + 3600_000)];
}

/** Drops hour buckets older than the retention (the 24-hour trend never reads them). */
export const PRUNE_HOURS_SQL = `DELETE FROM stats_flows WHERE grain = 'h' AND bucket < $1`;
export const pruneParams = (now: Date): unknown[] => [horizonOf(now)];
export const applyParams = (now: Date, timeZone: string, batch: number): unknown[] => [timeZone, horizonOf(now), batch];
