import type { RegionSlice } from '@gridline/shared';
import type { WallChartOption } from '../echarts';
import { MAP_LAYOUT } from './service-layer';

export interface MapLabels {
  /** The label inside a shape (short: the parent is in the breadcrumb). */
  name: (slice: RegionSlice) => string;
  tooltip: (slice: { name: string; open: number; total: number }) => string;
}

/** The open-issue colour ramp: deep navy (none) to bright cyan (most), one hue so it reads at a glance. */
export const MAP_RAMP = ['#0a2552', '#0e4288', '#1663b4', '#1f86d6', '#29a6ea', '#38c2f4'];

/**
 * The children of a region, coloured by open issues, keyed by region id (the map's `key`
 * property, see RegionTree.mapFeatures). Clicking a shape yields its region id as `name`.
 */
export function regionMapOption(mapName: string, slices: readonly RegionSlice[], labels: MapLabels): WallChartOption {
  // The ramp spans the values present, so neighbours with similar counts still differ in colour.
  const values = slices.map((s) => s.open);
  const min = values.length > 0 ? Math.min(...values) : 0;
  const max = Math.max(min + 1, ...values);
  const byKey = new Map(slices.map((s) => [String(s.regionId), s]));
  return {
    animationDurationUpdate: 400,
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const key = (params as { name?: string }).name ?? '';
        const slice = byKey.get(key);
        return slice ? labels.tooltip(slice) : '';
      },
    },
    visualMap: {
      type: 'continuous',
      // One shape (a grid) has nothing to compare with.
      show: slices.length > 1,
      min,
      max,
      left: 0,
      bottom: 4,
      itemHeight: 120,
      itemWidth: 12,
      text: [String(max), String(min)],
      textStyle: { color: '#cfe3ff', fontSize: 13 },
      inRange: { color: MAP_RAMP },
      calculable: false,
    },
    series: [
      {
        id: 'regions',
        type: 'map',
        map: mapName,
        nameProperty: 'key',
        roam: false,
        selectedMode: false,
        ...MAP_LAYOUT,
        itemStyle: {
          areaColor: '#0d2a52',
          borderColor: 'rgba(150, 230, 255, 0.9)',
          borderWidth: 1.2,
          shadowColor: 'rgba(47, 213, 255, 0.45)',
          shadowBlur: 12,
        },
        emphasis: {
          itemStyle: { areaColor: '#2fd5ff', shadowBlur: 18, shadowColor: 'rgba(47, 213, 255, 0.8)' },
          label: { color: '#03121f', fontWeight: 'bold' },
        },
        label: {
          show: true,
          color: '#f2f8ff',
          fontSize: slices.length > 12 ? 12 : 15,
          textBorderColor: 'rgba(2, 10, 24, 0.85)',
          textBorderWidth: 3,
          formatter: (params: unknown) => {
            const slice = byKey.get((params as { name?: string }).name ?? '');
            return slice ? `${labels.name(slice)}\n${slice.open}` : '';
          },
        },
        data: slices.map((s) => ({ name: String(s.regionId), value: s.open })),
      },
    ],
  };
}
