import type { PoolFlowCounts, PoolWallClaim, PoolWallSummary } from '@gridline/shared';

/**
 * The 点单 · 派单 · 接单 panel as plain data: the five steps of the pool's flow (today and in
 * all), the hours, the latest claims. Pure, so the panel only lays it out.
 */

/** The flow's steps in the order a need goes through them. */
export const POOL_FLOW_STEPS = ['raised', 'published', 'claimed', 'done', 'confirmed'] as const satisfies readonly (keyof PoolFlowCounts)[];
export type PoolFlowStep = (typeof POOL_FLOW_STEPS)[number];

export interface PoolFigure {
  step: PoolFlowStep;
  today: number;
  total: number;
}

export function poolFigures(summary: Pick<PoolWallSummary, 'today' | 'total'>): PoolFigure[] {
  return POOL_FLOW_STEPS.map((step) => ({ step, today: summary.today[step], total: summary.total[step] }));
}

/** Hours as the wall writes them: at most one decimal, none when whole (12, 12.5, 0.3). */
export function formatHours(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/**
 * The claims list after a new summary: newest first, at most `limit`; `fresh` names the claims that
 * were not on screen before (they flash once), none on the first load of a region.
 */
export function claimRows(
  previous: readonly PoolWallClaim[] | null,
  next: readonly PoolWallClaim[],
  limit: number,
): { rows: PoolWallClaim[]; fresh: Set<number> } {
  const rows = [...next].sort((a, b) => Date.parse(b.claimedAt) - Date.parse(a.claimedAt) || b.claimId - a.claimId).slice(0, limit);
  if (previous === null) return { rows, fresh: new Set() };
  const seen = new Set(previous.map((c) => c.claimId));
  return { rows, fresh: new Set(rows.filter((c) => !seen.has(c.claimId)).map((c) => c.claimId)) };
}
