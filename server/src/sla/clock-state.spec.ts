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
  type ClockState,
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

/**
 * The same rules on calendar time (the measure of minute and hour targets), each instant worked out
 * by hand: a 60-minute target started at T0 warns at T0+45, is due at T0+60 and escalates (督办) at T0+120.
 */
describe('clock state on calendar time, hand-worked', () => {
  const wall: Measure = { advance: (from, ms) => from + ms, between: (a, b) => Math.max(0, b - a) };
  const t = (minutes: number) => T0 + minutes * MINUTE_MS;
  const started = () => startClock('handle', terms(60), T0, wall);
  const instants = (c: ClockState) => ({ warnAt: c.warnAt, dueAt: c.dueAt, escalateAt: c.escalateAt });

  it('uses no time on hold; pausing twice keeps the first pause, resuming a running clock changes nothing', () => {
    expect(instants(started())).toEqual({ warnAt: t(45), dueAt: t(60), escalateAt: t(120) });
    const held = pauseClock(started(), t(20), wall);
    expect(held).toMatchObject({
      usedMs: 20 * MINUTE_MS,
      runningSince: null,
      pausedSince: t(20),
      warnAt: null,
      dueAt: null,
      escalateAt: null,
    });
    expect(remainingAt(held, t(50), wall)).toBe(40 * MINUTE_MS);
    expect(nextTimer(held)).toBeNull();
    expect(pauseClock(held, t(30), wall)).toEqual(held);
    expect(resumeClock(started(), t(10), wall)).toEqual(started());
  });

  it('counts the hold up to a stop into the paused time, and nothing more for a running clock', () => {
    const held = pauseClock(started(), t(20), wall);
    expect(stopClock(held, t(50), wall)).toMatchObject({
      usedMs: 20 * MINUTE_MS,
      pausedMs: 30 * MINUTE_MS,
      pausedSince: null,
      stoppedAt: t(50),
    });
    expect(stopClock(started(), t(30), wall)).toMatchObject({ usedMs: 30 * MINUTE_MS, pausedMs: 0, runningSince: null, stoppedAt: t(30) });
  });

  it('lets an extension granted on hold wait for the resume', () => {
    const extended = extendClock(pauseClock(started(), t(20), wall), 30 * MINUTE_MS, t(40), wall);
    expect(extended).toMatchObject({ usedMs: 20 * MINUTE_MS, extendedMs: 30 * MINUTE_MS, runningSince: null, pausedSince: t(20) });
    expect(instants(extended)).toEqual({ warnAt: null, dueAt: null, escalateAt: null });
    expect(nextTimer(extended)).toBeNull();
    // Resumed at T0+60: 90 min in all, 20 used, 70 to go → due at T0+130; warned at 67.5 min used; 督办 60 min after the due time.
    const resumed = resumeClock(extended, t(60), wall);
    expect(resumed.pausedMs).toBe(40 * MINUTE_MS);
    expect(instants(resumed)).toEqual({ warnAt: t(107.5), dueAt: t(130), escalateAt: t(190) });
    expect(remainingAt(resumed, t(70), wall)).toBe(60 * MINUTE_MS);
  });

  it('keeps the first due time when an extension comes too late, and escalates one target after the extended due time', () => {
    // At T0+90 (30 min overdue) 10 more minutes: the extended due time T0+70 is past too.
    const late = extendClock(started(), 10 * MINUTE_MS, t(90), wall);
    expect(instants(late)).toEqual({ warnAt: t(90), dueAt: t(60), escalateAt: t(130) });
    expect(remainingAt(late, t(90), wall)).toBe(-20 * MINUTE_MS);
    // 30 more minutes cover exactly the time used: due now.
    expect(extendClock(started(), 30 * MINUTE_MS, t(90), wall).dueAt).toBe(t(90));
  });
});
