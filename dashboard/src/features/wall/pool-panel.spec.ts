import { describe, expect, it } from '@jest/globals';
import type { PoolWallClaim } from '@gridline/shared';
import { claimRows, formatHours, poolFigures } from './pool-panel';

const claim = (claimId: number, at: string): PoolWallClaim => ({
  claimId,
  itemId: claimId * 10,
  kind: 'wish',
  title: `心愿 ${claimId}`,
  communityId: 3,
  communityName: '社区',
  volunteer: '张*',
  isPartyMember: true,
  claimedAt: at,
});

describe('poolFigures', () => {
  it('lists the five steps in flow order, today beside the total', () => {
    const figures = poolFigures({
      today: { raised: 1, published: 2, claimed: 3, done: 4, confirmed: 5 },
      total: { raised: 10, published: 20, claimed: 30, done: 40, confirmed: 50 },
    });
    expect(figures).toEqual([
      { step: 'raised', today: 1, total: 10 },
      { step: 'published', today: 2, total: 20 },
      { step: 'claimed', today: 3, total: 30 },
      { step: 'done', today: 4, total: 40 },
      { step: 'confirmed', today: 5, total: 50 },
    ]);
  });
});

describe('formatHours', () => {
  it.each([
    [0, '0'],
    [12, '12'],
    [12.5, '12.5'],
    [0.25, '0.3'],
    [2.96, '3'],
  ])('%d → %s', (hours, text) => expect(formatHours(hours)).toBe(text));
});

describe('claimRows', () => {
  const a = claim(1, '2026-12-05T08:00:00Z');
  const b = claim(2, '2026-12-05T09:00:00Z');
  const c = claim(3, '2026-12-05T09:00:00Z');

  it('puts the newest first (the later claim first at the same instant) and keeps at most limit', () => {
    expect(claimRows(null, [a, b, c], 2).rows.map((r) => r.claimId)).toEqual([3, 2]);
  });

  it('marks nothing fresh on the first load, and only claims not on screen after that', () => {
    expect(claimRows(null, [a, b], 5).fresh.size).toBe(0);
    expect([...claimRows([a, b], [a, b, c], 5).fresh]).toEqual([3]);
    expect(claimRows([a, b, c], [a, b, c], 5).fresh.size).toBe(0);
  });
});
