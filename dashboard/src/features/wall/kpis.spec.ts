import { describe, expect, it } from '@jest/globals';
import type { WallStats } from '@gridline/shared';
import { flowKpis, percent } from './kpis';

describe('flowKpis', () => {
  it('shows today and total of each milestone, and in progress now', () => {
    const stats = {
      today: { reported: 5, accepted: 4, dispatched: 3, resolved: 2, closed: 1 },
      total: { reported: 50, accepted: 40, dispatched: 30, resolved: 20, closed: 10 },
      stock: { in_progress: 7 },
    } as unknown as WallStats;
    expect(flowKpis(stats).map((k) => [k.id, k.primary, k.total])).toEqual([
      ['reported', 5, 50],
      ['accepted', 4, 40],
      ['dispatched', 3, 30],
      ['inProgress', 7, null],
      ['resolved', 2, 20],
      ['closed', 1, 10],
    ]);
  });
});

describe('percent', () => {
  it('rounds to one decimal and keeps to 0..100', () => {
    expect(percent(0.97345)).toBe('97.3');
    expect(percent(1)).toBe('100.0');
    expect(percent(0)).toBe('0.0');
    expect(percent(1.2)).toBe('100.0');
  });
  it('has no value without a rate', () => {
    expect(percent(null)).toBeNull();
    expect(percent(Number.NaN)).toBeNull();
  });
});
