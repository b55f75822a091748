import type { MessageKey } from '@/i18n';
import type { WallStats } from '@gridline/shared';

/** The KPI counters of the wall, read from one WallStats. Pure. */

export type FlowKpiId = 'reported' | 'accepted' | 'dispatched' | 'inProgress' | 'resolved' | 'closed';

export interface FlowKpi {
  id: FlowKpiId;
  label: MessageKey;
  /** Entered this milestone today; for "in progress", how many are in progress now. */
  primary: number;
  primaryLabel: MessageKey;
  /** Entered this milestone ever; null for "in progress" (a stock has no total). */
  total: number | null;
}

export function flowKpis(stats: WallStats): FlowKpi[] {
  const flow = (id: Exclude<FlowKpiId, 'inProgress'>, label: MessageKey): FlowKpi => ({
    id,
    label,
    primary: stats.today[id],
    primaryLabel: 'wall.kpi.today',
    total: stats.total[id],
  });
  return [
    flow('reported', 'wall.kpi.reported'),
    flow('accepted', 'wall.kpi.accepted'),
    flow('dispatched', 'wall.kpi.dispatched'),
    { id: 'inProgress', label: 'wall.kpi.inProgress', primary: stats.stock.in_progress, primaryLabel: 'wall.kpi.now', total: null },
    flow('resolved', 'wall.kpi.resolved'),
    flow('closed', 'wall.kpi.closed'),
  ];
}

/** A 0..1 rate as a percentage with one decimal ("97.3"), or null when there is nothing to rate. */
export function percent(rate: number | null): string | null {
  if (rate === null || !Number.isFinite(rate)) return null;
  return (Math.round(Math.min(1, Math.max(0, rate)) * 1000) / 10).toFixed(1);
}
