import type { DataSource } from 'typeorm';
import { RECONCILE_KPI_SQL } from './kpi-rollup-sql';
import { RECONCILE_SQL, reconcileParams } from './rollup-sql';

/** One roll-up row that differs from the truth counted from the tables. */
export interface RollupDifference {
  rollup: 'stats_stock' | 'stats_reported_day' | 'stats_flows' | 'stats_sla' | 'stats_kpi_issue' | 'stats_kpi_day';
  /**
   * The row's key, `/`-separated (region/status/category/department, region/day/status,
   * region/grain/bucket, region, issue/department, day/district/street/community/department).
   */
  key: string;
  expected: string;
  actual: string;
}

/**
 * Compares every roll-up with the tables, counted now; outbox rows not yet applied are taken
 * into account, so it is exact while writes go on. Empty = consistent. The wall's roll-ups are
 * compared in one snapshot, the KPI roll-up in another.
 */
export async function reconcileRollups(ds: DataSource, timeZone: string, now = new Date()): Promise<RollupDifference[]> {
  const wall: RollupDifference[] = await ds.query(RECONCILE_SQL, reconcileParams(now, timeZone));
  const kpi: RollupDifference[] = await ds.query(RECONCILE_KPI_SQL, [timeZone]);
  return [...wall, ...kpi];
}
