import type { CategorySlice } from '@gridline/shared';
import type { WallChartOption } from '../echarts';
import { WALL_PALETTE } from '../theme';

/** Categories by total issues, as a ring; the legend beside it carries each count. */
export function categoryOption(categories: readonly CategorySlice[], totalLabel: string): WallChartOption {
  const sorted = [...categories].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const totals = new Map(sorted.map((c) => [c.name, c.total]));
  return {
    animationDurationUpdate: 400,
    tooltip: { trigger: 'item', formatter: '{b}<br/>' + totalLabel + ' {c} ({d}%)' },
    legend: {
      orient: 'vertical',
      right: 4,
      top: 'middle',
      itemGap: 9,
      textStyle: { fontSize: 14 },
      formatter: (name: string) => `${name}  ${totals.get(name) ?? 0}`,
    },
    series: [
      {
        id: 'categories',
        type: 'pie',
        radius: ['48%', '78%'],
        center: ['28%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: '#07142b', borderWidth: 2 },
        data: sorted.map((c, i) => ({ name: c.name, value: c.total, itemStyle: { color: WALL_PALETTE[i % WALL_PALETTE.length] } })),
      },
    ],
  };
}
