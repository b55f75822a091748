import { describe, expect, it } from '@jest/globals';
import { ISSUE_STATUSES, type IssueStatus, type WallStats } from '@gridline/shared';
import { checkWallStats } from './consistency';

function stats(): WallStats {
  const stock = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;
  Object.assign(stock, { reported: 3, in_progress: 2, closed: 5 });
  return {
    epoch: 'e',
    version: 1,
    regionId: 2,
    asOf: '2026-11-21T10:00:00Z',
    day: '2026-11-21',
    timeZone: 'Asia/Shanghai',
    stock,
    today: { reported: 1, accepted: 0, dispatched: 0, resolved: 4, closed: 2 },
    total: { reported: 10, accepted: 7, dispatched: 7, resolved: 5, closed: 5 },
    resolutionRate: 0.7,
    onTimeRate: 0.8,
    overdueNow: 2,
    trend24h: [],
    trend30d: [],
    categories: [
      { categoryId: 1, name: 'a', open: 4, total: 6 },
      { categoryId: 2, name: 'b', open: 1, total: 4 },
    ],
    departments: [],
    children: [
      { regionId: 3, name: 's1', level: 'street', open: 5, total: 9 },
      { regionId: 4, name: 's2', level: 'street', open: 0, total: 1 },
    ],
    overdue: [],
  };
}

describe('checkWallStats', () => {
  it('accepts numbers that add up (today may resolve more than it reported)', () => {
    expect(checkWallStats(stats())).toEqual([]);
  });

  it('flags categories that do not sum to the total', () => {
    const s = stats();
    s.categories[0]!.total = 5;
    expect(checkWallStats(s).map((v) => v.rule)).toEqual(['categories sum to the total']);
  });

  it('flags a map that does not sum to its parent', () => {
    const s = stats();
    s.children[1]!.open = 1;
    expect(checkWallStats(s)).toEqual([{ rule: 'the map sums to the open issues of its parent', expected: 5, actual: 6 }]);
  });

  it('flags more resolved than reported, and statuses that miss issues', () => {
    const s = stats();
    s.total.resolved = 11;
    s.total.closed = 5;
    s.stock.closed = 4;
    expect(checkWallStats(s).map((v) => v.rule)).toEqual(['every issue is in one status', 'resolved ≤ reported']);
  });

  it('does not sum empty panels (a grid has no children)', () => {
    const s = stats();
    s.children = [];
    expect(checkWallStats(s)).toEqual([]);
  });
});
