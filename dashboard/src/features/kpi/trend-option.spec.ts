import { describe, expect, it } from '@jest/globals';
import type { KpiRow } from '@gridline/shared';
import { kpiTrendOption } from './trend-option';

const row = (key: string, closeRate: number | null, onTimeCloseRate: number | null, satisfactionRate: number | null): KpiRow => ({
  key,
  name: key,
  rank: 1,
  received: 10,
  closed: 5,
  closeRate,
  onTimeCloseRate,
  satisfactionRate,
  evaluations: 2,
  avgHandlingMs: null,
  p90HandlingMs: null,
  returnRate: null,
  returns: 0,
  reopenRate: null,
  reopened: 0,
  supervisions: 0,
  overdueNow: 0,
});

describe('kpiTrendOption', () => {
  it('draws the three rates per month in percent, months in order, a month without a rate as a gap', () => {
    const option = kpiTrendOption([row('2026-12', 0.5, 0.25, null), row('2026-11', 0.8123, 0.8, 1)], {
      closeRate: '结案率',
      onTimeCloseRate: '按期结案率',
      satisfactionRate: '满意率',
    }) as { xAxis: { data: string[] }; series: { name: string; data: (number | null)[] }[] };
    expect(option.xAxis.data).toEqual(['2026-11', '2026-12']);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['结案率', [81.2, 50]],
      ['按期结案率', [80, 25]],
      ['满意率', [100, null]],
    ]);
  });
});
