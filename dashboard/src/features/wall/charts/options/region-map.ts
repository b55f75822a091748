import type { RegionSlice } from '@gridline/shared';
import type { WallChartOption } from '../echarts';

export interface MapLabels {
  /** The label inside a shape (short: the parent is in the breadcrumb). */
  name: (slice: RegionSlice) => string;
  tooltip: (slice: { name: string; open: number; total: number }) => string;
}

/** The open-issue colour ramp: deep navy (none) to bright cyan (most), one hue so it reads at a glance. */
export const MAP_RAMP = ['#0b2b5e', '#0f4a96', '#1872c8', '#22a0e6', '#3fd0ff', '#b4f3ff'];

/**
 * The children of a region, coloured by open issues, keyed by region id (the map's `key`
 * property, see RegionTree.mapFeatures). Clicking a shape yields its region id as `name`.
 */
export function regionMapOption(mapName: string, slices: readonly RegionSlice[], labels: MapLabels): WallChartOption {
  const max = Math.max(1, ...slices.map((s) => s.open));
  const byKey = new Map(slices.map((s) => [String(s.regionId), s]));
  return {
    animationDurationUpdate: 600,
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
      min: 0,
      max,
      left: 0,
      bottom: 4,
      itemHeight: 120,
      itemWidth: 12,
      text: [String(max), '0'],
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
        layoutCenter: ['56%', '52%'],
        layoutSize: '92%',
        aspectScale: 0.86,
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
