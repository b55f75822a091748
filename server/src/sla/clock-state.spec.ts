import fc from 'fast-check';
import { addWorkingMs, MINUTE_MS, workingMsBetween, type WorkingCalendar } from './calendar';
import { applyAction, currentDue, openAfter } from './clock-lifecycle';
import {
  extendClock,
  nextTimer,
  pauseClock,
  remainingAt,
  resumeClock,
  retargetClock,
  startClock,
  stopClock,
  type ClockTerms,
  type Measure,
} from './clock-state';

const cal: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  weekly: [
    ...Array.from({ length: 5 }, (): [number, number][] => [
      [510, 720],
      [810, 1050],
    ]),
    [],
    [],
  ],
  holidays: new Set(['2026-10-01', '2026-10-02']),
  makeUpDays: new Set(['2026-10-10']),
};
const working: Measure = { advance: (f, ms) => addWorkingMs(cal, f, ms), between: (a, b) => workingMsBetween(cal, a, b) };
const terms = (target: number): ClockTerms => ({
  policyId: 1,
  calendarId: 1,
  unit: 'work_minutes',
  target,
  targetMs: target * MINUTE_MS,
  warnFraction: 0.75,
});
const T0 = Date.parse('2026-09-28T09:00:00+08:00'); // a Monday

describe('clock state', () => {
  it('schedules warning at 75 % and the due time in working time, then the 督办 one period later', () => {
    const c = startClock('handle', terms(240), T0, working);
    expect(c.warnAt).toBe(addWorkingMs(cal, T0, 180 * MINUTE_MS));
    expect(c.dueAt).toBe(addWorkingMs(cal, T0, 240 * MINUTE_MS));
    expect(c.escalateAt).toBe(addWorkingMs(cal, T0, 480 * MINUTE_MS));
    expect(nextTimer(c)).toEqual({ level: 'warning', fireAt: c.warnAt });
    expect(nextTimer({ ...c, warnedAt: c.warnAt })).toEqual({ level: 'breach', fireAt: c.dueAt });
    expect(nextTimer({ ...c, warnedAt: 1, breachedAt: 2 })).toEqual({ level: 'escalation_1', fireAt: c.escalateAt });
    expect(nextTimer({ ...c, warnedAt: 1, breachedAt: 2, escalatedAt: 3 })).toBeNull();
  });

  it('does not count time on hold, whatever the pauses (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 3000 })), { maxLength: 6 }), (segments) => {
        let c = startClock('handle', terms(3 * 450), T0, working);
        let at = T0;
        let used = 0;
        for (const [run, hold] of segments) {
          used += workingMsBetween(cal, at, at + run * MINUTE_MS);
          at += run * MINUTE_MS;
          c = pauseClock(c, at, working);
          at += hold * MINUTE_MS;
          c = resumeClock(c, at, working);
        }
        expect(c.usedMs).toBe(used);
        expect(remainingAt(c, at, working)).toBe(3 * 450 * MINUTE_MS - used);
        if (used < 3 * 450 * MINUTE_MS) expect(c.dueAt).toBe(addWorkingMs(cal, at, 3 * 450 * MINUTE_MS - used));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps used and paused time on a new target, and adds extensions to the due time', () => {
    let c = startClock('handle', terms(240), T0, working);
    c = pauseClock(c, T0 + 60 * MINUTE_MS, working);
    c = resumeClock(c, T0 + 120 * MINUTE_MS, working);
    const at = T0 + 150 * MINUTE_MS;
    const retargeted = retargetClock(c, terms(120), at, working, working);
    expect(retargeted.usedMs).toBe(workingMsBetween(cal, T0, T0 + 60 * MINUTE_MS) + workingMsBetween(cal, T0 + 120 * MINUTE_MS, at));
    expect(retargeted.pausedMs).toBe(60 * MINUTE_MS);
    expect(retargeted.dueAt).toBe(addWorkingMs(cal, at, 120 * MINUTE_MS - retargeted.usedMs));
    const extended = extendClock(retargeted, 30 * MINUTE_MS, at, working);
    expect(extended.dueAt).toBe(addWorkingMs(cal, at, 150 * MINUTE_MS - retargeted.usedMs));
    const stopped = stopClock(extended, at + MINUTE_MS, working);
    expect(nextTimer(stopped)).toBeNull();
    expect(stopped.dueAt).toBe(extended.dueAt);
  });

  it('follows the workflow: report, accept, dispatch, sign, suspend, resume, resolve, verify', () => {
    const ctx = (at: number) => ({ at, termsFor: () => terms(60), measure: () => working });
    let open = openAfter([], applyAction([], 'report', ctx(T0)));
    expect(open.map((c) => c.stage)).toEqual(['accept', 'overall']);
    const steps = ['accept', 'dispatch', 'sign', 'suspend', 'resume', 'resolve', 'verify'] as const;
    const stagesAfter: string[][] = [];
    let at = T0;
    for (const action of steps) {
      at += 10 * MINUTE_MS;
      open = openAfter(open, applyAction(open, action, ctx(at)));
      stagesAfter.push(open.map((c) => `${c.stage}${c.pausedSince !== null ? '(paused)' : ''}`).sort());
    }
    expect(stagesAfter).toEqual([
      ['dispatch', 'overall'],
      ['overall', 'sign'],
      ['handle', 'overall'],
      ['handle(paused)', 'overall(paused)'],
      ['handle', 'overall'],
      ['verify'],
      [],
    ]);
    expect(currentDue(open, 'closed')).toBeNull();
  });
});
