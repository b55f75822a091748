import type { DataSource } from 'typeorm';
import { rebuildRollupsSql } from './rollup-sql';

/** Recounts every roll-up from the issues table in one transaction (new epoch); returns the time it took. */
export async function rebuildRollups(ds: DataSource, timeZone: string, now = new Date()): Promise<number> {
  const started = Date.now();
  await ds.transaction(async (tx) => {
    for (const statement of rebuildRollupsSql()) await tx.query(statement.sql, statement.params(now, timeZone));
  });
  return Date.now() - started;
}
