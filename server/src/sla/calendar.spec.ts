import fc from 'fast-check';
import {
  addWorkingMs,
  dayString,
  isWorkingInstant,
  localDay,
  makeUpSchedule,
  MINUTE_MS,
  weeklyProblem,
  workingMsBetween,
  type WorkingCalendar,
  type WorkInterval,
} from './calendar';

/** Zones without daylight saving time, with whole, half and three-quarter hour offsets. */
const ZONES = ['Asia/Shanghai', 'UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/Phoenix', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];

const intervalsOfDay = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 6 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const out: WorkInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) out.push([sorted[i]!, sorted[i + 1]!]);
  return out;
});

const T0 = Date.UTC(2025, 10, 1);
const T1 = Date.UTC(2027, 2, 1);
const dayArb = fc.integer({ min: Math.floor(T0 / 86_400_000), max: Math.floor(T1 / 86_400_000) }).map(dayString);

const calendarArb: fc.Arbitrary<WorkingCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.array(intervalsOfDay, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(dayArb, { maxLength: 40 }),
    makeUpDays: fc.uniqueArray(dayArb, { maxLength: 10 }),
  })
  // at least 4 working hours a week, so 40 working days fit in the scanned years
  .filter((c) => weeklyProblem(c.weekly) === null && c.weekly.flat().reduce((sum, [a, b]) => sum + b - a, 0) >= 240)
  .map((c) => ({ ...c, holidays: new Set(c.holidays), makeUpDays: new Set(c.makeUpDays) }));

/** Instants across the 2025/26 and 2026/27 year ends. */
const instantArb = fc.integer({ min: T0, max: T1 });
const workMsArb = fc.integer({ min: 0, max: 40 * 8 * 60 }).map((m) => m * MINUTE_MS);

const SHANGHAI_2026: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  weekly: [
    ...Array.from({ length: 5 }, (): WorkInterval[] => [
      [510, 720],
      [810, 1050],
    ]),
    [],
    [],
  ],
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']),
  makeUpDays: new Set(['2026-10-10']),
};
const at = (iso: string) => new Date(iso).getTime();

describe('working-time calendar', () => {
  it('adding N working ms and measuring the working time between gives N back', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, workMsArb, (cal, from, ms) => {
        const due = addWorkingMs(cal, from, ms);
        expect(due).toBeGreaterThanOrEqual(from);
        expect(workingMsBetween(cal, from, due)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('never lands on a non-working instant', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, workMsArb, (cal, from, ms) => {
        expect(isWorkingInstant(cal, addWorkingMs(cal, from, ms))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic in N', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, workMsArb, workMsArb, (cal, from, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addWorkingMs(cal, from, lo)).toBeLessThanOrEqual(addWorkingMs(cal, from, hi));
      }),
      { numRuns: 200 },
    );
  });

  it('is additive: N then M working ms equals N + M', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, workMsArb, workMsArb, (cal, from, a, b) => {
        fc.pre(a > 0);
        expect(addWorkingMs(cal, addWorkingMs(cal, from, a), b)).toBe(addWorkingMs(cal, from, a + b));
      }),
      { numRuns: 200 },
    );
  });

  it('counts no working time on holidays and the make-up schedule on 调休 days', () => {
    fc.assert(
      fc.property(calendarArb, dayArb, fc.boolean(), (cal, date, holiday) => {
        const probe: WorkingCalendar = {
          ...cal,
          holidays: holiday ? new Set([...cal.holidays, date]) : new Set([...cal.holidays].filter((d) => d !== date)),
          makeUpDays: holiday ? new Set([...cal.makeUpDays].filter((d) => d !== date)) : new Set([...cal.makeUpDays, date]),
        };
        // the local day number of a date is its UTC day number; find its local midnight minute by minute
        const day = Math.floor(at(`${date}T00:00:00Z`) / 86_400_000);
        let midnight = day * 86_400_000 - 15 * 3_600_000;
        while (localDay(probe, midnight) < day) midnight += MINUTE_MS;
        const expected = holiday ? 0 : makeUpSchedule(probe).reduce((sum, [a, b]) => sum + (b - a) * MINUTE_MS, 0);
        expect(workingMsBetween(probe, midnight, midnight + 86_400_000)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('skips the National Day week and works the make-up Saturday (Asia/Shanghai 2026)', () => {
    // Wed 30 Sep 16:30 + 2 working hours: 1 h that day, then the holiday week, then Thu 8 Oct 09:30.
    expect(new Date(addWorkingMs(SHANGHAI_2026, at('2026-09-30T16:30:00+08:00'), 120 * MINUTE_MS)).toISOString()).toBe(
      '2026-10-08T01:30:00.000Z',
    );
    // Fri 9 Oct 17:00 + 1 h: half an hour on Friday, then Saturday 10 Oct (调休) at 09:00.
    expect(new Date(addWorkingMs(SHANGHAI_2026, at('2026-10-09T17:00:00+08:00'), 60 * MINUTE_MS)).toISOString()).toBe(
      '2026-10-10T01:00:00.000Z',
    );
    // Lunch break: 11:30 + 1 h → 14:00.
    expect(new Date(addWorkingMs(SHANGHAI_2026, at('2026-10-12T11:30:00+08:00'), 60 * MINUTE_MS)).toISOString()).toBe(
      '2026-10-12T06:00:00.000Z',
    );
    expect(workingMsBetween(SHANGHAI_2026, at('2026-10-01T00:00:00+08:00'), at('2026-10-08T00:00:00+08:00'))).toBe(0);
    expect(isWorkingInstant(SHANGHAI_2026, at('2026-10-12T00:00:00+08:00'))).toBe(false);
  });

  it('refuses overlapping, unordered or out-of-day intervals', () => {
    const week = (day: WorkInterval[]) => [day, [], [], [], [], [], []];
    expect(weeklyProblem(week([[510, 720]]))).toBeNull();
    expect(weeklyProblem(week([[700, 600]]))).toMatch(/start < end/);
    expect(weeklyProblem(week([[0, 1441]]))).toMatch(/1440/);
    expect(
      weeklyProblem(
        week([
          [600, 800],
          [700, 900],
        ]),
      ),
    ).toMatch(/overlap/);
    expect(weeklyProblem([[], [], [], [], [], [], []])).toMatch(/no working time/);
  });

  it('says which day and which interval is wrong', () => {
    const week = (day: WorkInterval[], d = 0) => Array.from({ length: 7 }, (_, i) => (i === d ? day : [[510, 720] as const]));
    const bounds = (s: number, e: number, d = 1) => `day ${d}: interval ${s}–${e} must satisfy 0 ≤ start < end ≤ 1440 (minutes)`;
    expect(weeklyProblem(week([[510, 720]]).slice(0, 6))).toBe('weekly must list 7 days, Monday first');
    // A whole day, a night shift to midnight, and intervals that touch (half-open) are fine.
    expect(weeklyProblem(week([[0, 1440]]))).toBeNull();
    expect(
      weeklyProblem(
        week([
          [510, 720],
          [720, 780],
        ]),
      ),
    ).toBeNull();
    expect(weeklyProblem(week([[1080, 1440]]))).toBeNull();
    expect(weeklyProblem(week([[-10, 60]]))).toBe(bounds(-10, 60));
    expect(weeklyProblem(week([[600, 1441]]))).toBe(bounds(600, 1441));
    expect(weeklyProblem(week([[600, 600]]))).toBe(bounds(600, 600));
    expect(weeklyProblem(week([[510.5, 720]]))).toBe(bounds(510.5, 720));
    expect(weeklyProblem(week([[510, 720.5]]))).toBe(bounds(510, 720.5));
    expect(weeklyProblem(week([[510, 720.5]], 2))).toBe(bounds(510, 720.5, 3));
    expect(
      weeklyProblem(
        week(
          [
            [510, 720],
            [700, 800],
          ],
          2,
        ),
      ),
    ).toBe('day 3: intervals must be in order and must not overlap');
  });
});
