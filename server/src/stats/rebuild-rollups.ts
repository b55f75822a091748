import type { DataSource } from 'typeorm';
import { REBUILD_KPI_SQL } from './kpi-rollup-sql';
import { REBUILD_SLA_DEPARTMENT_SQL, rebuildRollupsSql } from './rollup-sql';

/** Recounts every roll-up (the KPI roll-up too) from the tables in one transaction (new epoch); returns the time it took. */
export async function rebuildRollups(ds: DataSource, timeZone: string, now = new Date()): Promise<number> {
  const started = Date.now();
  await ds.transaction(async (tx) => {
    for (const statement of rebuildRollupsSql()) await tx.query(statement.sql, statement.params(now, timeZone));
    for (const sql of REBUILD_SLA_DEPARTMENT_SQL) await tx.query(sql);
    for (const statement of REBUILD_KPI_SQL) await tx.query(statement.sql, statement.tz ? [timeZone] : []);
  });
  return Date.now() - started;
}
