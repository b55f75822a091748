import { describe, expect, it } from '@jest/globals';
import { KPI_COLUMNS, type KpiRow } from '@gridline/shared';
import { formatCell, sortRows } from './table';

const row = (key: number, rank: number, onTimeCloseRate: number | null, received: number): KpiRow => ({
  key,
  name: `D${key}`,
  rank,
  received,
  closed: 1,
  closeRate: 0.5,
  onTimeCloseRate,
  satisfactionRate: null,
  evaluations: 0,
  avgHandlingMs: 5_400_000,
  p90HandlingMs: null,
  returnRate: null,
  returns: 0,
  reopenRate: null,
  reopened: 0,
  supervisions: 0,
  overdueNow: 0,
});

describe('sortRows', () => {
  const rows = [row(1, 2, 0.5, 10), row(2, 1, 0.9, 3), row(3, 3, null, 7)];
  it('sorts by a column either way, rows without a value last', () => {
    expect(sortRows(rows, 'onTimeCloseRate', true).map((r) => r.key)).toEqual([2, 1, 3]);
    expect(sortRows(rows, 'onTimeCloseRate', false).map((r) => r.key)).toEqual([1, 2, 3]);
    expect(sortRows(rows, 'received', true).map((r) => r.key)).toEqual([1, 3, 2]);
  });
});

describe('formatCell', () => {
  it('shows rates in percent, durations in hours and nothing as a dash', () => {
    const r = row(1, 1, 0.8125, 4);
    const col = (field: string) => KPI_COLUMNS.find((c) => c.field === field)!;
    expect(formatCell(r, col('onTimeCloseRate'))).toBe('81.3%');
    expect(formatCell(r, col('avgHandlingMs'))).toBe('1.5');
    expect(formatCell(r, col('satisfactionRate'))).toBe('—');
    expect(formatCell(r, col('received'))).toBe('4');
  });
});
