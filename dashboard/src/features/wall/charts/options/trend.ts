import type { TrendPoint } from '@gridline/shared';
import type { WallChartOption } from '../echarts';
import { WALL_COLORS } from '../theme';

export interface TrendLabels {
  reported: string;
  resolved: string;
}

export type TrendSpan = 'hours' | 'days';

/** The x-axis label of a bucket: its hour (24-hour trend) or its day (30-day trend), in the district's zone. */
export function bucketLabel(at: string, span: TrendSpan, timeZone: string): string {
  const format =
    span === 'hours'
      ? new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
      : new Intl.DateTimeFormat('en-GB', { month: '2-digit', day: '2-digit', timeZone });
  const text = format.format(Date.parse(at));
  return span === 'days' ? text.split('/').reverse().join('-') : text;
}

const area = (color: string) => ({
  color: {
    type: 'linear' as const,
    x: 0,
    y: 0,
    x2: 0,
    y2: 1,
    colorStops: [
      { offset: 0, color: `${color}66` },
      { offset: 1, color: `${color}00` },
    ],
  },
});

/** Reported vs resolved per bucket, as two smooth lines over glowing areas. */
export function trendOption(points: readonly TrendPoint[], span: TrendSpan, labels: TrendLabels, timeZone: string): WallChartOption {
  return {
    animationDurationUpdate: 400,
    grid: { left: 8, right: 16, top: 36, bottom: 4, containLabel: true },
    legend: { top: 0, right: 8, data: [labels.reported, labels.resolved] },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: points.map((p) => bucketLabel(p.at, span, timeZone)),
      axisLabel: { interval: span === 'hours' ? 3 : 4 },
    },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 3 },
    series: [
      {
        id: 'reported',
        type: 'line',
        name: labels.reported,
        smooth: 0.35,
        // Never curve below zero or above a peak between two buckets.
        smoothMonotone: 'x',
        showSymbol: false,
        lineStyle: { width: 2.5, color: WALL_COLORS.reported, shadowBlur: 8, shadowColor: WALL_COLORS.reported },
        itemStyle: { color: WALL_COLORS.reported },
        areaStyle: area(WALL_COLORS.reported),
        data: points.map((p) => p.reported),
      },
      {
        id: 'resolved',
        type: 'line',
        name: labels.resolved,
        smooth: 0.35,
        // Never curve below zero or above a peak between two buckets.
        smoothMonotone: 'x',
        showSymbol: false,
        lineStyle: { width: 2.5, color: WALL_COLORS.resolved, shadowBlur: 8, shadowColor: WALL_COLORS.resolved },
        itemStyle: { color: WALL_COLORS.resolved },
        areaStyle: area(WALL_COLORS.resolved),
        data: points.map((p) => p.resolved),
      },
    ],
  };
}
