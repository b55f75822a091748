import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page } from '@gridline/shared';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * A list page's `total`: the rows its filter matches, counted up to `listTotalCap` (LIST_TOTAL_CAP,
 * default 100,000). Counting every match costs as much as the matches themselves (a district of
 * 10 M issues: 1.2 s, for a page of 20 that takes a millisecond); counting stops one row past the
 * cap, and the page then says `totalCapped` (shown as "100000+"). Under the cap the total is exact.
 */
@Injectable()
export class ListTotals {
  private readonly cap: number;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cap = config.listTotalCap;
  }

  /** `fromWhere`: what follows `SELECT 1 FROM` (tables, joins and the WHERE clause), with its `params`. */
  async count(fromWhere: string, params: readonly unknown[]): Promise<Pick<Page<unknown>, 'total' | 'totalCapped'>> {
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${fromWhere} LIMIT $${params.length + 1}) matched`,
      [...params, this.cap + 1],
    );
    return this.totals(rows[0]?.n ?? 0);
  }

  /**
   * The total and one page's ids from a single scan, for a filter no index serves (text search),
   * which would otherwise be scanned twice: for the count, and for the page by walking the list's
   * order (the whole order when the matches are few). `matches` selects `id` and the columns
   * `order` sorts by. Past the cap the ids are `undefined`: the matches are then many, and the page
   * is read in the list's order as for any other filter.
   */
  async scan(
    matches: string,
    order: string,
    params: readonly unknown[],
    page: { limit: number; offset: number },
  ): Promise<{ ids: number[] | undefined; totals: Pick<Page<unknown>, 'total' | 'totalCapped'> }> {
    const n = params.length;
    const rows: { n: number; ids: number[] }[] = await this.db.query(
      `WITH m AS MATERIALIZED (${matches} LIMIT $${n + 1})
       SELECT (SELECT count(*)::int FROM m) AS n, ARRAY(SELECT id FROM m ORDER BY ${order} LIMIT $${n + 2} OFFSET $${n + 3}) AS ids`,
      [...params, this.cap + 1, page.limit, page.offset],
    );
    const totals = this.totals(rows[0]?.n ?? 0);
    return { ids: totals.totalCapped ? undefined : rows[0]!.ids, totals };
  }

  private totals(n: number): Pick<Page<unknown>, 'total' | 'totalCapped'> {
    return n > this.cap ? { total: this.cap, totalCapped: true } : { total: n, totalCapped: false };
  }
}
