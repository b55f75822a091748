import type { IssueAction, IssueStatus, SlaEventName, SlaStage } from '@gridline/shared';
import {
  extendClock,
  pauseClock,
  resumeClock,
  retargetClock,
  startClock,
  stopClock,
  type ClockState,
  type ClockTerms,
  type Measure,
} from './clock-state';
import { CURRENT_STAGE, STAGE_EFFECTS } from './stage-effects';

export interface LifecycleContext {
  at: number;
  /** Terms for a stage under the issue's (possibly new) category and priority. */
  termsFor(stage: SlaStage): ClockTerms;
  measure(terms: Pick<ClockTerms, 'unit' | 'calendarId'>): Measure;
}

export interface LifecycleOptions {
  /** decide_extension approved: this much more time, in minutes of each clock's measure. */
  extendMinutes?: number;
}

export interface LifecycleChange {
  /** Open clocks that changed (stopped, paused, resumed, extended, retargeted). */
  changed: ClockState[];
  created: ClockState[];
  events: { name: SlaEventName; clock: ClockState }[];
}

/** Stages an approved extension moves: the handle clock, and the overall one so KPIs exclude it. */
const EXTENDED_STAGES: readonly SlaStage[] = ['handle', 'overall'];

/** What an action does to an issue's open clocks: the one place that applies STAGE_EFFECTS. */
export function applyAction(
  open: readonly ClockState[],
  action: IssueAction,
  ctx: LifecycleContext,
  opts: LifecycleOptions = {},
): LifecycleChange {
  const byStage = new Map(open.map((c) => [c.stage, c]));
  const changed = new Map<SlaStage, ClockState>();
  const events: LifecycleChange['events'] = [];
  const update = (stage: SlaStage, name: SlaEventName, f: (c: ClockState, m: Measure) => ClockState) => {
    const current = changed.get(stage) ?? byStage.get(stage);
    if (!current) return;
    const next = f(current, ctx.measure(current));
    if (next === current) return;
    changed.set(stage, next);
    events.push({ name, clock: next });
  };
  const effect = STAGE_EFFECTS[action];
  for (const stage of effect.stop ?? []) update(stage, 'sla.stopped', (c, m) => stopClock(c, ctx.at, m));
  for (const stage of effect.pause ?? []) update(stage, 'sla.paused', (c, m) => pauseClock(c, ctx.at, m));
  for (const stage of effect.resume ?? []) update(stage, 'sla.resumed', (c, m) => resumeClock(c, ctx.at, m));
  if (action === 'decide_extension' && opts.extendMinutes) {
    const extra = opts.extendMinutes * 60_000;
    for (const stage of EXTENDED_STAGES) update(stage, 'sla.extended', (c, m) => extendClock(c, extra, ctx.at, m));
  }
  if (action === 'reclassify') {
    for (const c of open) {
      update(c.stage, 'sla.recomputed', (cur, m) => {
        const terms = ctx.termsFor(cur.stage);
        return retargetClock(cur, terms, ctx.at, m, ctx.measure(terms));
      });
    }
  }
  const created: ClockState[] = [];
  for (const stage of effect.start ?? []) {
    const terms = ctx.termsFor(stage);
    const clock = startClock(stage, terms, ctx.at, ctx.measure(terms));
    created.push(clock);
    events.push({ name: 'sla.started', clock });
  }
  return { changed: [...changed.values()], created, events };
}

/** The open clocks after a change. */
export function openAfter(open: readonly ClockState[], change: LifecycleChange): ClockState[] {
  const changed = new Map(change.changed.map((c) => [c.stage, c]));
  return [...open.map((c) => changed.get(c.stage) ?? c), ...change.created].filter((c) => c.stoppedAt === null);
}

/** The due time the issue list shows: that of the current stage's clock, null while on hold or finished. */
export function currentDue(open: readonly ClockState[], status: IssueStatus): number | null {
  const stage = CURRENT_STAGE[status];
  if (!stage) return null;
  return open.find((c) => c.stage === stage && c.stoppedAt === null)?.dueAt ?? null;
}
