import type { Priority, SlaStage, SlaUnit } from '@gridline/shared';
import { MINUTE_MS, standardDayMs, type WorkingCalendar } from './calendar';
import type { ClockTerms } from './clock-state';

export interface PolicyRow {
  id: number;
  categoryId: number | null;
  priority: Priority | null;
  stage: SlaStage;
  unit: SlaUnit;
  target: number;
  warnFraction: number;
  calendarId: number | null;
}

/** Used only when the policy table holds nothing at all for a stage: there is never "no clock". */
export const BUILT_IN_DEFAULT: Omit<PolicyRow, 'stage'> = {
  id: 0,
  categoryId: null,
  priority: null,
  unit: 'work_days',
  target: 3,
  warnFraction: 0.75,
  calendarId: null,
};

const key = (categoryId: number | null, priority: Priority | null, stage: SlaStage) => `${categoryId ?? '*'}|${priority ?? '*'}|${stage}`;

/**
 * Picks the policy for category × priority × stage, most specific first: the category, then its
 * 大类 parent, then the global default; within each, the priority's row before the any-priority row.
 */
export class PolicyTable {
  private readonly byKey: Map<string, PolicyRow>;

  constructor(rows: readonly PolicyRow[]) {
    this.byKey = new Map(rows.map((r) => [key(r.categoryId, r.priority, r.stage), r]));
  }

  resolve(categoryChain: readonly number[], priority: Priority, stage: SlaStage): PolicyRow {
    for (const categoryId of [...categoryChain, null]) {
      const hit = this.byKey.get(key(categoryId, priority, stage)) ?? this.byKey.get(key(categoryId, null, stage));
      if (hit) return hit;
    }
    return Object.assign({}, BUILT_IN_DEFAULT, { stage });
  }
}

/** The target of a policy in the clock's measure: calendar ms, or working ms of the calendar. */
export function targetMs(unit: SlaUnit, target: number, calendar: WorkingCalendar): number {
  switch (unit) {
    case 'calendar_minutes':
    case 'work_minutes':
      return target * MINUTE_MS;
    case 'work_days':
      return target * standardDayMs(calendar);
  }
}

export function termsOf(policy: PolicyRow, calendarId: number, calendar: WorkingCalendar): ClockTerms {
  return {
    policyId: policy.id || null,
    calendarId,
    unit: policy.unit,
    target: policy.target,
    targetMs: targetMs(policy.unit, policy.target, calendar),
    warnFraction: policy.warnFraction,
  };
}
