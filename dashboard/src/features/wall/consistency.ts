import { ISSUE_STATUSES, OPEN_STATUSES, type WallStats } from '@gridline/shared';

/**
 * The cross-panel sums every wall must hold, because all panels show one `WallStats`:
 * a broken one means the server sent numbers that do not add up. The wall marks itself
 * (`data-consistent`) and logs; the browser test asserts it stays consistent.
 */

export interface SumViolation {
  rule: string;
  expected: number;
  actual: number;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export function checkWallStats(stats: WallStats): SumViolation[] {
  const violations: SumViolation[] = [];
  const expect = (rule: string, expected: number, actual: number) => {
    if (expected !== actual) violations.push({ rule, expected, actual });
  };
  const atMost = (rule: string, limit: number, actual: number) => {
    if (actual > limit) violations.push({ rule, expected: limit, actual });
  };

  const reported = stats.total.reported;
  const open = sum(OPEN_STATUSES.map((s) => stats.stock[s]));
  expect('every issue is in one status', reported, sum(ISSUE_STATUSES.map((s) => stats.stock[s])));
  if (stats.categories.length > 0) {
    expect('categories sum to the total', reported, sum(stats.categories.map((c) => c.total)));
    expect('categories sum to the open issues', open, sum(stats.categories.map((c) => c.open)));
  }
  if (stats.children.length > 0) {
    expect('the map sums to its parent', reported, sum(stats.children.map((c) => c.total)));
    expect('the map sums to the open issues of its parent', open, sum(stats.children.map((c) => c.open)));
  }
  // Today's resolved may exceed today's reported (older issues resolved today); in total it may not.
  atMost('resolved ≤ reported', stats.total.reported, stats.total.resolved);
  atMost('closed ≤ resolved (total)', stats.total.resolved, stats.total.closed);
  atMost('today ≤ total (reported)', stats.total.reported, stats.today.reported);
  atMost('overdue ≤ open', open, stats.overdueNow);
  return violations;
}
