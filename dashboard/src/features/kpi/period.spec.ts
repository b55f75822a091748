import { describe, expect, it } from '@jest/globals';
import { periodOf, periodRange, trendRange } from './period';

describe('periodRange', () => {
  it('turns a month, a quarter and a custom range into [from, to) in the zone', () => {
    expect(periodRange({ kind: 'month', start: '2026-12' })).toEqual({
      from: '2026-12-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
    });
    expect(periodRange({ kind: 'quarter', start: '2026-Q2' })).toEqual({
      from: '2026-04-01T00:00:00+08:00',
      to: '2026-07-01T00:00:00+08:00',
    });
    expect(periodRange({ kind: 'custom', start: '2026-02-27', end: '2026-02-28' })).toEqual({
      from: '2026-02-27T00:00:00+08:00',
      to: '2026-03-01T00:00:00+08:00',
    });
  });

  it('refuses what is not a period', () => {
    expect(periodRange({ kind: 'month', start: '2026-13' })).toBeNull();
    expect(periodRange({ kind: 'quarter', start: '2026-Q5' })).toBeNull();
    expect(periodRange({ kind: 'custom', start: '2026-03-02', end: '2026-03-01' })).toBeNull();
  });
});

describe('periodOf and trendRange', () => {
  it('finds the month or quarter of a day, and the twelve months before a period end', () => {
    expect(periodOf('quarter', '2026-11-05')).toEqual({ kind: 'quarter', start: '2026-Q4' });
    expect(periodOf('month', '2026-11-05')).toEqual({ kind: 'month', start: '2026-11' });
    expect(trendRange({ from: '2026-12-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' })).toEqual({
      from: '2026-01-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
    });
  });
});
