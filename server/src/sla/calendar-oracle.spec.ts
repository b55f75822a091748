import holidays2026 from '../seed/data/cn-holidays-2026.json';
import { addWorkingMs, isWorkingInstant, standardDayMs, workingMsBetween, type WorkingCalendar, type WorkInterval } from './calendar';
import { expandHolidaySchedule } from './holiday-schedule';

/**
 * An independent oracle: deadlines at the edges of working time, each expected instant typed by
 * hand from the rules (08:30–12:00 and 13:30–17:30 Monday to Friday; a deadline may land on 12:00
 * or 17:30 exactly; holidays do not count; a 调休 Saturday is worked like a Monday) — never
 * computed with the calendar code under test. 2026-12-31 is a Thursday, 2027-01-01 a Friday.
 */
const DAY: WorkInterval[] = [
  [510, 720],
  [810, 1050],
];
const weekly = [DAY, DAY, DAY, DAY, DAY, [], []];
const cal = (timeZone: string, holidays: string[] = [], makeUpDays: string[] = []): WorkingCalendar => ({
  timeZone,
  weekly,
  holidays: new Set(holidays),
  makeUpDays: new Set(makeUpDays),
});
const min = (n: number) => n * 60_000;
const at = (iso: string) => Date.parse(iso);

const shanghai = cal('Asia/Shanghai', ['2027-01-01'], ['2027-01-02']);
const noMakeUp = cal('Asia/Shanghai', ['2027-01-01']);
const phoenix = cal('America/Phoenix');

const CASES: [string, WorkingCalendar, string, number, string][] = [
  ['lands on lunch start exactly', shanghai, '2026-12-07T11:00:00+08:00', 60, '2026-12-07T12:00:00+08:00'],
  ['one minute past lunch start continues after lunch', shanghai, '2026-12-07T11:00:00+08:00', 61, '2026-12-07T13:31:00+08:00'],
  ['started during lunch counts from lunch end', shanghai, '2026-12-07T12:30:00+08:00', 30, '2026-12-07T14:00:00+08:00'],
  ['lands on 17:30 exactly', shanghai, '2026-12-07T17:00:00+08:00', 30, '2026-12-07T17:30:00+08:00'],
  ['one minute past 17:30 goes to the next morning', shanghai, '2026-12-07T17:00:00+08:00', 31, '2026-12-08T08:31:00+08:00'],
  ['started before opening', shanghai, '2026-12-08T07:00:00+08:00', 30, '2026-12-08T09:00:00+08:00'],
  ['started after closing', shanghai, '2026-12-08T19:00:00+08:00', 30, '2026-12-09T09:00:00+08:00'],
  ['Friday evening to Monday', shanghai, '2026-12-11T17:00:00+08:00', 60, '2026-12-14T09:00:00+08:00'],
  ['holiday eve to the 调休 Saturday', shanghai, '2026-12-31T17:00:00+08:00', 60, '2027-01-02T09:00:00+08:00'],
  ['holiday eve without 调休 to Monday', noMakeUp, '2026-12-31T17:00:00+08:00', 60, '2027-01-04T09:00:00+08:00'],
  ['a whole working day (7.5 h) from opening ends at closing', shanghai, '2026-12-07T08:30:00+08:00', 450, '2026-12-07T17:30:00+08:00'],
  ['DST-free zone across the US DST change', phoenix, '2026-03-06T17:00:00-07:00', 60, '2026-03-09T09:00:00-07:00'],
];

describe('working-time deadlines, hand-worked', () => {
  it.each(CASES)('%s', (_name, calendar, from, minutes, expected) => {
    expect(new Date(addWorkingMs(calendar, at(from), min(minutes))).toISOString()).toBe(new Date(at(expected)).toISOString());
  });
});

/**
 * The State Council's 2026 schedule as shipped (seed/data/cn-holidays-2026.json, the same file as
 * the project's shared data): 国庆 1–7 Oct with Saturday 10 Oct worked, 中秋 25–27 Sep with Sunday
 * 20 Sep worked, 春节 15–23 Feb with Saturday 14 Feb worked, 劳动节 1–5 May.
 */
const days2026 = expandHolidaySchedule(holidays2026);
const official = cal(
  'Asia/Shanghai',
  days2026.filter((d) => d.kind === 'holiday').map((d) => d.day),
  days2026.filter((d) => d.kind === 'workday').map((d) => d.day),
);

const OFFICIAL_CASES: [string, string, number, string][] = [
  ['a start at 12:00 sharp with nothing to add stays at 12:00', '2026-12-07T12:00:00+08:00', 0, '2026-12-07T12:00:00+08:00'],
  ['a start at 12:00 sharp plus a minute is 13:31', '2026-12-07T12:00:00+08:00', 1, '2026-12-07T13:31:00+08:00'],
  ['a start at 13:30 sharp plus a minute is 13:31', '2026-12-07T13:30:00+08:00', 1, '2026-12-07T13:31:00+08:00'],
  ['a start at 17:30 sharp with nothing to add stays at 17:30', '2026-12-07T17:30:00+08:00', 0, '2026-12-07T17:30:00+08:00'],
  ['a start at 17:30 sharp plus a minute is 08:31 next morning', '2026-12-07T17:30:00+08:00', 1, '2026-12-08T08:31:00+08:00'],
  ['a start in the lunch break with nothing to add waits for 13:30', '2026-12-07T12:15:00+08:00', 0, '2026-12-07T13:30:00+08:00'],
  ['the morning (3.5 h) from opening ends at 12:00 exactly', '2026-12-07T08:30:00+08:00', 210, '2026-12-07T12:00:00+08:00'],
  ['国庆 eve to the day after the holiday', '2026-09-30T17:00:00+08:00', 60, '2026-10-08T09:00:00+08:00'],
  ['the Friday before the 调休 Saturday of 国庆', '2026-10-09T17:00:00+08:00', 60, '2026-10-10T09:00:00+08:00'],
  ['a Friday evening to the 调休 Sunday before 中秋', '2026-09-18T17:00:00+08:00', 60, '2026-09-20T09:00:00+08:00'],
  ['the 调休 Saturday before 春节 is worked', '2026-02-13T17:00:00+08:00', 60, '2026-02-14T09:00:00+08:00'],
  ['春节 eve (the 调休 Saturday) to the Tuesday after the holiday', '2026-02-14T17:00:00+08:00', 60, '2026-02-24T09:00:00+08:00'],
  ['劳动节 eve to the day after', '2026-04-30T17:00:00+08:00', 60, '2026-05-06T09:00:00+08:00'],
  // 3 working days = 3 × 7.5 h: 6 h left on 30 Sep, 7.5 h on 8 and 9 Oct, the last 1.5 h on the 调休 Saturday.
  ['three working days across 国庆 end on the 调休 Saturday', '2026-09-30T10:00:00+08:00', 3 * 450, '2026-10-10T10:00:00+08:00'],
];

describe('working-time deadlines on the official 2026 schedule, hand-worked', () => {
  it('reads the schedule as the notice says', () => {
    expect(days2026.filter((d) => d.kind === 'workday').map((d) => d.day)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(standardDayMs(official)).toBe(min(450));
  });

  it.each(OFFICIAL_CASES)('%s', (_name, from, minutes, expected) => {
    expect(new Date(addWorkingMs(official, at(from), min(minutes))).toISOString()).toBe(new Date(at(expected)).toISOString());
  });
});

describe('working time between two instants, hand-worked', () => {
  const between = (a: string, b: string) => workingMsBetween(official, at(a), at(b)) / 60_000;

  it('counts nothing in the lunch break, overnight or on holidays', () => {
    expect(between('2026-12-07T12:00:00+08:00', '2026-12-07T13:30:00+08:00')).toBe(0);
    expect(between('2026-12-07T17:30:00+08:00', '2026-12-08T08:30:00+08:00')).toBe(0);
    expect(between('2026-10-01T00:00:00+08:00', '2026-10-08T08:30:00+08:00')).toBe(0);
    expect(between('2026-12-07T12:00:00+08:00', '2026-12-07T12:00:00+08:00')).toBe(0);
  });

  it('counts the minutes on either side of an edge', () => {
    expect(between('2026-12-07T11:59:00+08:00', '2026-12-07T13:31:00+08:00')).toBe(2);
    expect(between('2026-12-07T17:29:00+08:00', '2026-12-08T08:31:00+08:00')).toBe(2);
    expect(between('2026-09-30T17:00:00+08:00', '2026-10-08T09:00:00+08:00')).toBe(60);
    // Friday's last half hour, the whole 调休 Saturday, Monday's first half hour.
    expect(between('2026-10-09T17:00:00+08:00', '2026-10-12T09:00:00+08:00')).toBe(30 + 450 + 30);
    // The Saturday after it is an ordinary weekend day again.
    expect(between('2026-10-17T00:00:00+08:00', '2026-10-18T00:00:00+08:00')).toBe(0);
  });
});

describe('working instants at the edges, hand-worked', () => {
  const working = (iso: string) => isWorkingInstant(official, at(iso));

  it('includes both ends of each interval and nothing a millisecond outside', () => {
    expect(working('2026-12-07T08:30:00.000+08:00')).toBe(true);
    expect(working('2026-12-07T08:29:59.999+08:00')).toBe(false);
    expect(working('2026-12-07T12:00:00.000+08:00')).toBe(true);
    expect(working('2026-12-07T12:00:00.001+08:00')).toBe(false);
    expect(working('2026-12-07T13:29:59.999+08:00')).toBe(false);
    expect(working('2026-12-07T13:30:00.000+08:00')).toBe(true);
    expect(working('2026-12-07T17:30:00.000+08:00')).toBe(true);
    expect(working('2026-12-07T17:30:00.001+08:00')).toBe(false);
  });

  it('works the 调休 days and no holiday', () => {
    expect(working('2026-10-10T10:00:00+08:00')).toBe(true);
    expect(working('2026-09-20T10:00:00+08:00')).toBe(true);
    expect(working('2026-10-11T10:00:00+08:00')).toBe(false);
    expect(working('2026-10-08T10:00:00+08:00')).toBe(true);
    expect(working('2026-10-07T10:00:00+08:00')).toBe(false);
    expect(working('2026-02-23T10:00:00+08:00')).toBe(false);
  });
});

describe('calendars other than Monday to Friday, hand-worked', () => {
  it('works a 调休 day like the first weekday with working time, Tuesday when Monday is off', () => {
    const tuesday: WorkInterval[] = [[540, 1020]];
    const tuesdayToSaturday = (makeUpDays: string[]): WorkingCalendar => ({
      timeZone: 'Asia/Shanghai',
      weekly: [[], tuesday, tuesday, tuesday, tuesday, tuesday, []],
      holidays: new Set(),
      makeUpDays: new Set(makeUpDays),
    });
    expect(standardDayMs(tuesdayToSaturday([]))).toBe(min(480));
    // Saturday 16:00–17:00, then Sunday 6 Dec worked 09:00–17:00.
    expect(new Date(addWorkingMs(tuesdayToSaturday(['2026-12-06']), at('2026-12-05T16:00:00+08:00'), min(120))).toISOString()).toBe(
      new Date(at('2026-12-06T10:00:00+08:00')).toISOString(),
    );
    // Without it: Sunday and Monday off, Tuesday from 09:00.
    expect(new Date(addWorkingMs(tuesdayToSaturday([]), at('2026-12-05T16:00:00+08:00'), min(120))).toISOString()).toBe(
      new Date(at('2026-12-08T10:00:00+08:00')).toISOString(),
    );
  });

  it('counts 24:00 of a night shift as working time, and not after a day without one', () => {
    // 18:00–24:00 every day; Wednesday 9 Dec a holiday.
    const nights: WorkingCalendar = {
      timeZone: 'Asia/Shanghai',
      weekly: Array.from({ length: 7 }, () => [[1080, 1440] as const]),
      holidays: new Set(['2026-12-09']),
      makeUpDays: new Set(),
    };
    const working = (iso: string) => isWorkingInstant(nights, at(iso));
    expect(working('2026-12-08T00:00:00.000+08:00')).toBe(true);
    expect(working('2026-12-08T00:00:00.001+08:00')).toBe(false);
    expect(working('2026-12-07T17:59:59.999+08:00')).toBe(false);
    expect(working('2026-12-07T18:00:00.000+08:00')).toBe(true);
    // Midnight after the holiday: nobody worked up to it; nor after a day shift that ends at 17:30.
    expect(working('2026-12-10T00:00:00.000+08:00')).toBe(false);
    expect(isWorkingInstant(official, at('2026-12-08T00:00:00.000+08:00'))).toBe(false);
    expect(new Date(addWorkingMs(nights, at('2026-12-07T23:00:00+08:00'), min(60))).toISOString()).toBe(
      new Date(at('2026-12-08T00:00:00+08:00')).toISOString(),
    );
  });

  it('refuses a calendar without working time instead of scanning forever', () => {
    const never: WorkingCalendar = {
      timeZone: 'Asia/Shanghai',
      weekly: [[], [], [], [], [], [], []],
      holidays: new Set(),
      makeUpDays: new Set(),
    };
    expect(() => addWorkingMs(never, at('2026-12-07T09:00:00+08:00'), min(1))).toThrow(
      'calendar has no working time within 1098 days of 2026-12-07T01:00:00.000Z',
    );
  });
});
