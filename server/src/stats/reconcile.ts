import type { DataSource } from 'typeorm';
import { RECONCILE_SQL, reconcileParams } from './rollup-sql';

/** One roll-up row that differs from COUNT(*) truth. */
export interface RollupDifference {
  rollup: 'stats_stock' | 'stats_reported_day' | 'stats_flows' | 'stats_sla';
  /** The row's key, `/`-separated (region/status/category/department, region/day/status, region/grain/bucket, region). */
  key: string;
  expected: string;
  actual: string;
}

/**
 * Compares every roll-up with the issues table, counted now, in one snapshot; outbox rows not
 * yet applied are added to the roll-ups, so it is exact while writes go on. Empty = consistent.
 */
export async function reconcileRollups(ds: DataSource, timeZone: string, now = new Date()): Promise<RollupDifference[]> {
  return ds.query(RECONCILE_SQL, reconcileParams(now, timeZone));
}
