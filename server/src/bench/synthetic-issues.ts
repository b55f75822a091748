import { createDataSource } from '../database/data-source';
import { rebuildRollups } from '../stats/rebuild-rollups';
import { benchDatabase, fmt, sql } from './bench-support';

/**
 * Grows the bench database to `size` issues (never shrinks it): synthetic issues over every grid,
 * leaf category and department of the last 365 days, inserted set-based with the secondary indexes
 * dropped and the triggers off, then the indexes built again and the roll-ups rebuilt set-based.
 * The wall's and the lists' benches measure reads at 1 M and 10 M issues on it.
 */
export async function growTo(dbUrl: string, size: number): Promise<void> {
  const n = (await sql<{ n: number }>(dbUrl, 'SELECT count(*)::int AS n FROM issues'))[0]!.n;
  if (n >= size) return;
  console.log(`\nGrowing to ${size.toLocaleString('en-US')} issues…`);
  const t0 = Date.now();
  // Secondary indexes are dropped for the fill and built again after (much faster than maintaining them row by row).
  const indexes = await sql<{ indexname: string; indexdef: string }>(
    dbUrl,
    `SELECT indexname, indexdef FROM pg_indexes i
      WHERE tablename = 'issues' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const ix of indexes) await sql(dbUrl, `DROP INDEX ${ix.indexname}`);
  await sql(dbUrl, 'ALTER TABLE issues DISABLE TRIGGER USER');
  try {
    const batch = 500_000;
    for (let from = n + 1; from <= size; from += batch) {
      const to = Math.min(size, from + batch - 1);
      await sql(dbUrl, SYNTHETIC_ISSUES_SQL, [from, to]);
      process.stdout.write(`\r  inserted ${to.toLocaleString('en-US')} / ${size.toLocaleString('en-US')}`);
    }
  } finally {
    await sql(dbUrl, 'ALTER TABLE issues ENABLE TRIGGER USER');
  }
  const insertS = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  for (const ix of indexes) await sql(dbUrl, `SET maintenance_work_mem = '512MB'; ${ix.indexdef}`);
  const indexS = (Date.now() - t1) / 1000;
  await sql(dbUrl, 'VACUUM ANALYZE issues');
  const ds = createDataSource(dbUrl, 1);
  await ds.initialize();
  const rebuildMs = await rebuildRollups(ds, benchDatabase(dbUrl).timeZone);
  await ds.destroy();
  await sql(dbUrl, 'VACUUM ANALYZE stats_stock, stats_flows, stats_reported_day, stats_sla');
  const [rows] = await sql<{ stock: number; flows: number; days: number }>(
    dbUrl,
    'SELECT (SELECT count(*) FROM stats_stock)::int AS stock, (SELECT count(*) FROM stats_flows)::int AS flows, (SELECT count(*) FROM stats_reported_day)::int AS days',
  );
  console.log(
    `\n  insert ${fmt(insertS)} s (set-based, generate_series), ${indexes.length} indexes rebuilt in ${fmt(indexS)} s; roll-ups rebuilt set-based in ${fmt(rebuildMs / 1000)} s ` +
      `(${rows!.stock.toLocaleString('en-US')} stock, ${rows!.flows.toLocaleString('en-US')} flow, ${rows!.days.toLocaleString('en-US')} day rows)`,
  );
}

/** Synthetic issues over every grid, leaf category and department, the last 365 days, consistent with the CHECKs. */
const SYNTHETIC_ISSUES_SQL = `
  WITH grids AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, path FROM regions WHERE level = 'grid'),
       ng AS (SELECT count(*) AS n FROM grids),
       cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM categories WHERE parent_id IS NOT NULL),
       depts AS (SELECT array_agg(id ORDER BY id) AS ids FROM departments),
       src AS (
         SELECT g, CASE g % 20 WHEN 0 THEN 'reported' WHEN 1 THEN 'accepted' WHEN 2 THEN 'dispatched' WHEN 3 THEN 'in_progress'
                               WHEN 4 THEN 'resolved' WHEN 5 THEN 'rejected' ELSE 'closed' END AS status,
                now() - ((g::bigint * 7919) % 525600) * interval '1 minute' AS at
           FROM generate_series($1::int, $2::int) g)
  INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id, district_id,
                      department_id, version, reported_at, accepted_at, dispatched_at, resolved_at, closed_at, updated_at)
  SELECT 'GL-SYN-' || s.g, '预置事件', '批量预置的历史数据', cats.ids[1 + s.g % cardinality(cats.ids)], 'normal', s.status, 'grid_worker',
         gr.id, gr.path[4], gr.path[3], gr.path[2],
         CASE WHEN s.status IN ('dispatched', 'in_progress', 'resolved', 'closed') THEN depts.ids[1 + s.g % cardinality(depts.ids)] END,
         1, s.at,
         CASE WHEN s.status NOT IN ('reported', 'rejected') THEN s.at + interval '10 minutes' END,
         CASE WHEN s.status IN ('dispatched', 'in_progress', 'resolved', 'closed') THEN s.at + interval '30 minutes' END,
         CASE WHEN s.status IN ('resolved', 'closed') THEN s.at + interval '20 hours' END,
         CASE WHEN s.status = 'closed' THEN s.at + interval '22 hours' END,
         s.at
    FROM src s JOIN grids gr ON gr.k = s.g % (SELECT n FROM ng), cats, depts`;
