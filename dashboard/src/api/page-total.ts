import type { Page } from '@gridline/shared';

/** What a list page says of its size: exact, or "at least" when the server stopped counting at its cap. */
export type PageTotal = Pick<Page<unknown>, 'total' | 'totalCapped'>;

/** The total as shown: `100000+` when the count stopped at the cap. */
export function totalText(page: PageTotal): string {
  return page.totalCapped ? `${page.total}+` : String(page.total);
}
