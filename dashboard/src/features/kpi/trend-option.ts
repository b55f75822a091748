import type { KpiRow } from '@gridline/shared';
import type { WallChartOption } from '@/features/wall/charts/echarts';
import { WALL_COLORS } from '@/features/wall/charts/theme';

export interface KpiTrendLabels {
  closeRate: string;
  onTimeCloseRate: string;
  satisfactionRate: string;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** The monthly trend of /kpi: 结案率, 按期结案率 and 满意率 per month (rows keyed 'YYYY-MM'), in percent; a month without data is a gap. */
export function kpiTrendOption(rows: readonly KpiRow[], labels: KpiTrendLabels): WallChartOption {
  const months = [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));
  const line = (id: keyof KpiTrendLabels, color: string) => ({
    id,
    type: 'line' as const,
    name: labels[id],
    smooth: 0.3,
    connectNulls: false,
    showSymbol: true,
    lineStyle: { width: 2, color },
    itemStyle: { color },
    data: months.map((m) => pct(m[id])),
  });
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 4, containLabel: true },
    legend: { top: 0, right: 8, data: [labels.closeRate, labels.onTimeCloseRate, labels.satisfactionRate] },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
    xAxis: { type: 'category', data: months.map((m) => String(m.key)) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [line('closeRate', WALL_COLORS.resolved), line('onTimeCloseRate', WALL_COLORS.reported), line('satisfactionRate', '#f5c542')],
  };
}
