import type { IssueAction, Priority, SlaLevel, SlaStage, SlaUnit } from '@gridline/shared';
import { addWorkingMs, workingMsBetween, type WorkingCalendar, type WorkInterval } from '../sla/calendar';
import { applyAction, currentDue, openAfter } from '../sla/clock-lifecycle';
import { nextTimer, type ClockState, type Measure } from '../sla/clock-state';
import { expandHolidaySchedule } from '../sla/holiday-schedule';
import { PolicyTable, termsOf, type PolicyRow } from '../sla/policy-resolution';
import holidays2026 from './data/cn-holidays-2026.json';
import type { EventData, HistoryEvent, HistoryIssue } from './demo-history';

/** The official 2026 PRC schedule (国务院办公厅), imported into the default calendar by the seed. */
export const HOLIDAYS_2026 = holidays2026;

/** The weekly schedule of the default calendar (as the SLA migration creates it): 08:30–12:00, 13:30–17:30 on weekdays. */
export const DEFAULT_WEEKLY: WorkInterval[][] = [
  ...Array.from({ length: 5 }, (): WorkInterval[] => [
    [510, 720],
    [810, 1050],
  ]),
  [],
  [],
];

type SeedPolicy = { priority: Priority; stage: SlaStage; unit: SlaUnit; target: number };
const p = (priority: Priority, stage: SlaStage, unit: SlaUnit, target: number): SeedPolicy => ({ priority, stage, unit, target });

/** The product's default SLA targets: urgent in continuous minutes (2 h to handle), normal in working time (3 working days), high in between. */
export const DEMO_POLICIES: SeedPolicy[] = [
  p('urgent', 'accept', 'calendar_minutes', 10),
  p('urgent', 'dispatch', 'calendar_minutes', 10),
  p('urgent', 'sign', 'calendar_minutes', 30),
  p('urgent', 'handle', 'calendar_minutes', 120),
  p('urgent', 'verify', 'calendar_minutes', 240),
  p('urgent', 'overall', 'calendar_minutes', 480),
  p('high', 'accept', 'work_minutes', 30),
  p('high', 'dispatch', 'work_minutes', 30),
  p('high', 'sign', 'work_minutes', 60),
  p('high', 'handle', 'work_days', 1),
  p('high', 'verify', 'work_minutes', 240),
  p('high', 'overall', 'work_days', 2),
  p('normal', 'accept', 'work_minutes', 60),
  p('normal', 'dispatch', 'work_minutes', 60),
  p('normal', 'sign', 'work_minutes', 120),
  p('normal', 'handle', 'work_days', 3),
  p('normal', 'verify', 'work_days', 1),
  p('normal', 'overall', 'work_days', 5),
];

/** An audit event of the SLA engine: no actor, no status change. */
export type SlaHistoryEvent = Omit<HistoryEvent, 'type' | 'toStatus' | 'actorId'> & { type: string; toStatus: null; actorId: null };

export interface SeededClock extends ClockState {
  id: number;
  issueId: number;
}

export interface DemoSla {
  clocks: SeededClock[];
  timers: { clockId: number; level: SlaLevel; fireAt: Date }[];
  firings: { clockId: number; level: SlaLevel; firedAt: Date }[];
  /** sla.warning / sla.breached / sla.escalated audit events, at the instants they fired. */
  events: SlaHistoryEvent[];
  dueByIssue: Map<number, Date | null>;
}

const LEVEL_EVENT: Record<SlaLevel, string> = { warning: 'sla.warning', breach: 'sla.breached', escalation_1: 'sla.escalated' };

/**
 * Replays each history issue's trail through the same clock lifecycle the server runs, so the
 * demo has clocks consistent with its timelines: stopped ones, running ones (some warned, some
 * breached and escalated, some due soon) and paused ones, with the next timer of each open clock.
 */
export function planDemoSla(
  issues: readonly HistoryIssue[],
  events: readonly HistoryEvent[],
  now: Date,
  defaultCalendar: { id: number; timeZone: string },
): DemoSla {
  const calendarId = defaultCalendar.id;
  const calendar: WorkingCalendar = {
    timeZone: defaultCalendar.timeZone,
    weekly: DEFAULT_WEEKLY,
    holidays: new Set(
      expandHolidaySchedule(HOLIDAYS_2026)
        .filter((d) => d.kind === 'holiday')
        .map((d) => d.day),
    ),
    makeUpDays: new Set(
      expandHolidaySchedule(HOLIDAYS_2026)
        .filter((d) => d.kind === 'workday')
        .map((d) => d.day),
    ),
  };
  const working: Measure = { advance: (f, ms) => addWorkingMs(calendar, f, ms), between: (a, b) => workingMsBetween(calendar, a, b) };
  const continuous: Measure = { advance: (f, ms) => f + ms, between: (a, b) => Math.max(0, b - a) };
  const policies = new PolicyTable(
    DEMO_POLICIES.map((x, i) => ({ ...x, id: i + 1, categoryId: null, warnFraction: 0.75, calendarId: null })),
  );
  const measure = (t: { unit: SlaUnit }) => (t.unit === 'calendar_minutes' ? continuous : working);
  const byIssue = new Map<number, HistoryEvent[]>();
  for (const e of events) {
    const list = byIssue.get(e.issueId);
    if (list) list.push(e);
    else byIssue.set(e.issueId, [e]);
  }

  const out: DemoSla = { clocks: [], timers: [], firings: [], events: [], dueByIssue: new Map() };
  const t = now.getTime();
  for (const issue of issues) {
    const termsFor = (stage: SlaStage) => {
      const policy: PolicyRow = policies.resolve([], issue.priority, stage);
      return termsOf(policy, calendarId, calendar);
    };
    let open: ClockState[] = [];
    const all: ClockState[] = [];
    for (const e of byIssue.get(issue.id) ?? []) {
      const extendMinutes = e.type === 'decide_extension' && e.data.approve === true ? Number(e.data.minutes) || undefined : undefined;
      const change = applyAction(open, e.type as IssueAction, { at: e.at.getTime(), termsFor, measure }, { extendMinutes });
      for (const c of change.changed) {
        const i = all.findIndex((x) => x.stage === c.stage && x.stoppedAt === null);
        if (i >= 0) all[i] = c;
      }
      all.push(...change.created);
      open = openAfter(open, change);
    }
    const seeded: SeededClock[] = [];
    for (const clock of all) {
      const c: SeededClock = { ...clock, id: out.clocks.length + 1, issueId: issue.id };
      // What would have fired by now (or before the clock stopped), in order.
      const until = c.stoppedAt ?? (c.pausedSince !== null ? c.pausedSince : t);
      const fire = (level: SlaLevel, at: number | null, mark: 'warnedAt' | 'breachedAt' | 'escalatedAt'): boolean => {
        if (at === null || at > until || at > t) return false;
        c[mark] = at;
        out.firings.push({ clockId: c.id, level, firedAt: new Date(at) });
        const data: EventData = { clockId: c.id, stage: c.stage, level, dueAt: c.dueAt === null ? null : new Date(c.dueAt).toISOString() };
        out.events.push({
          issueId: issue.id,
          type: LEVEL_EVENT[level],
          fromStatus: null,
          toStatus: null,
          actorId: null,
          note: null,
          data,
          at: new Date(at),
        });
        return true;
      };
      if (fire('warning', c.warnAt, 'warnedAt') && fire('breach', c.dueAt, 'breachedAt')) fire('escalation_1', c.escalateAt, 'escalatedAt');
      out.clocks.push(c);
      seeded.push(c);
      const next = nextTimer(c);
      if (next) out.timers.push({ clockId: c.id, level: next.level, fireAt: new Date(next.fireAt) });
    }
    out.dueByIssue.set(
      issue.id,
      toDate(
        currentDue(
          seeded.filter((c) => c.stoppedAt === null),
          issue.status,
        ),
      ),
    );
  }
  return out;
}

const toDate = (t: number | null) => (t === null ? null : new Date(t));
