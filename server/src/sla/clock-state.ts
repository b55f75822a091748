import type { SlaLevel, SlaStage, SlaUnit } from '@gridline/shared';

/**
 * The life of one SLA clock as pure functions over plain values (instants in epoch ms), so the
 * transition path, the seed and the tests share one implementation.
 *
 * A clock counts `usedMs` in its own measure (calendar ms, or working ms of its calendar) over
 * running segments; `runningSince` starts the current segment (null while paused or stopped).
 * Every instant it will fire at (warn, due, escalate) is derived from these by `schedule`, so a
 * pause, an extension or a new target only folds the current segment in and schedules again:
 * time already used and time paused are kept.
 */

/** What a policy fixes for a clock (a snapshot: later policy edits do not move running clocks). */
export interface ClockTerms {
  policyId: number | null;
  calendarId: number;
  unit: SlaUnit;
  /** The target in `unit`. */
  target: number;
  /** The target in the clock's measure. */
  targetMs: number;
  warnFraction: number;
}

/** How a clock measures time: plain calendar time, or working time of a calendar. */
export interface Measure {
  advance(from: number, ms: number): number;
  between(a: number, b: number): number;
}

export interface ClockState extends ClockTerms {
  id: number | null;
  stage: SlaStage;
  startedAt: number;
  runningSince: number | null;
  usedMs: number;
  extendedMs: number;
  pausedMs: number;
  pausedSince: number | null;
  warnAt: number | null;
  dueAt: number | null;
  escalateAt: number | null;
  warnedAt: number | null;
  breachedAt: number | null;
  escalatedAt: number | null;
  stoppedAt: number | null;
}

export function startClock(stage: SlaStage, terms: ClockTerms, at: number, m: Measure): ClockState {
  // The terms field by field, not spread and then extended: V8 keeps such copies past the young
  // generation (docs/adr/0063-no-spread-then-extend-on-hot-paths.md).
  return schedule(
    {
      policyId: terms.policyId,
      calendarId: terms.calendarId,
      unit: terms.unit,
      target: terms.target,
      targetMs: terms.targetMs,
      warnFraction: terms.warnFraction,
      id: null,
      stage,
      startedAt: at,
      runningSince: at,
      usedMs: 0,
      extendedMs: 0,
      pausedMs: 0,
      pausedSince: null,
      warnAt: null,
      dueAt: null,
      escalateAt: null,
      warnedAt: null,
      breachedAt: null,
      escalatedAt: null,
      stoppedAt: null,
    },
    m,
  );
}

/** Time used up to `now`, in the clock's measure. */
export function usedAt(c: ClockState, now: number, m: Measure): number {
  return c.usedMs + (c.runningSince !== null && now > c.runningSince ? m.between(c.runningSince, now) : 0);
}

/** Time left at `now` (negative when overdue). */
export function remainingAt(c: ClockState, now: number, m: Measure): number {
  return c.targetMs + c.extendedMs - usedAt(c, now, m);
}

/** Folds the running segment into usedMs, so a new segment can start at `at`. */
function fold(c: ClockState, at: number, m: Measure): ClockState {
  if (c.runningSince === null) return c;
  return { ...c, usedMs: usedAt(c, at, m), runningSince: at };
}

export function pauseClock(c: ClockState, at: number, m: Measure): ClockState {
  if (c.runningSince === null) return c;
  return { ...fold(c, at, m), runningSince: null, pausedSince: at, warnAt: null, dueAt: null, escalateAt: null };
}

export function resumeClock(c: ClockState, at: number, m: Measure): ClockState {
  if (c.pausedSince === null || c.stoppedAt !== null) return c;
  return schedule({ ...c, pausedMs: c.pausedMs + Math.max(0, at - c.pausedSince), pausedSince: null, runningSince: at }, m);
}

export function stopClock(c: ClockState, at: number, m: Measure): ClockState {
  const pausedMs = c.pausedSince !== null ? c.pausedMs + Math.max(0, at - c.pausedSince) : c.pausedMs;
  return { ...fold(c, at, m), runningSince: null, pausedSince: null, pausedMs, stoppedAt: at };
}

/** An approved extension: `ms` more in the clock's measure. */
export function extendClock(c: ClockState, ms: number, at: number, m: Measure): ClockState {
  return schedule({ ...fold(c, at, m), extendedMs: c.extendedMs + ms }, m);
}

/** New terms (category or priority changed): used and paused time stay, the target is new. */
export function retargetClock(c: ClockState, terms: ClockTerms, at: number, oldMeasure: Measure, newMeasure: Measure): ClockState {
  return schedule({ ...fold(c, at, oldMeasure), ...terms }, newMeasure);
}

/** Derives the instants the clock fires at from its counters. Instants already past are "now". */
export function schedule(c: ClockState, m: Measure): ClockState {
  const since = c.runningSince;
  if (since === null) return c;
  const instant = (x: number): number | null => (x >= c.usedMs ? m.advance(since, Math.round(x - c.usedMs)) : null);
  const total = c.targetMs + c.extendedMs;
  const due = instant(total);
  return {
    ...c,
    warnAt: instant(total * c.warnFraction) ?? since,
    dueAt: due ?? c.dueAt ?? since,
    // from the due time on (advance is additive), rather than scanning the calendar from the start again
    escalateAt: (due !== null ? m.advance(due, c.targetMs) : instant(total + c.targetMs)) ?? since,
  };
}

/** The next rung to fire and when, or null when nothing is pending (stopped, paused, or all fired). */
export function nextTimer(c: ClockState): { level: SlaLevel; fireAt: number } | null {
  if (c.stoppedAt !== null || c.runningSince === null) return null;
  if (c.warnedAt === null && c.warnAt !== null) return { level: 'warning', fireAt: c.warnAt };
  if (c.breachedAt === null && c.dueAt !== null) return { level: 'breach', fireAt: c.dueAt };
  if (c.escalatedAt === null && c.escalateAt !== null) return { level: 'escalation_1', fireAt: c.escalateAt };
  return null;
}
