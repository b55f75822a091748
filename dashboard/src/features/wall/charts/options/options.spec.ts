import { describe, expect, it } from '@jest/globals';
import type { CategorySlice, RegionSlice, TrendPoint } from '@gridline/shared';
import { categoryOption } from './category';
import { regionMapOption } from './region-map';
import { bucketLabel, trendOption } from './trend';

const seriesOf = (option: object) => (option as { series: Record<string, unknown>[] }).series;

describe('trendOption', () => {
  const points: TrendPoint[] = [
    { at: '2026-11-21T00:00:00.000Z', reported: 3, resolved: 1 },
    { at: '2026-11-21T01:00:00.000Z', reported: 5, resolved: 4 },
  ];

  it('draws reported and resolved per bucket', () => {
    const series = seriesOf(trendOption(points, 'hours', { reported: '上报', resolved: '办结' }, 'Asia/Shanghai'));
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['上报', [3, 5]],
      ['办结', [1, 4]],
    ]);
  });

  it("labels buckets in the district's time zone", () => {
    expect(bucketLabel('2026-11-21T01:00:00.000Z', 'hours', 'Asia/Shanghai')).toBe('09:00');
    expect(bucketLabel('2026-11-20T16:00:00.000Z', 'days', 'Asia/Shanghai')).toBe('11-21');
  });
});

describe('categoryOption', () => {
  it('orders slices by total and keeps every issue', () => {
    const categories: CategorySlice[] = [
      { categoryId: 1, name: '水务', open: 1, total: 3 },
      { categoryId: 2, name: '市容环境', open: 2, total: 9 },
    ];
    const data = seriesOf(categoryOption(categories, '累计'))[0]!.data as { name: string; value: number }[];
    expect(data.map((d) => [d.name, d.value])).toEqual([
      ['市容环境', 9],
      ['水务', 3],
    ]);
  });
});

describe('regionMapOption', () => {
  const slices: RegionSlice[] = [
    { regionId: 3, name: '城关街道', level: 'street', open: 4, total: 10 },
    { regionId: 4, name: '东湖街道', level: 'street', open: 9, total: 12 },
  ];
  const option = regionMapOption('m', slices, { name: (s) => s.name, tooltip: (s) => `${s.name} ${s.open}` });

  it('keys shapes by region id and colours them by open issues', () => {
    const series = seriesOf(option)[0]!;
    expect(series.map).toBe('m');
    expect(series.nameProperty).toBe('key');
    expect(series.data).toEqual([
      { name: '3', value: 4 },
      { name: '4', value: 9 },
    ]);
  });

  it('spans the colour ramp over the values present', () => {
    expect((option as { visualMap: { min: number; max: number } }).visualMap).toMatchObject({ min: 4, max: 9 });
    const flat = regionMapOption('m', [slices[0]!], { name: (s) => s.name, tooltip: () => '' });
    expect((flat as { visualMap: { min: number; max: number } }).visualMap).toMatchObject({ min: 4, max: 5 });
  });
});
