/**
 * Working-time calendar maths, as pure functions over instants in epoch milliseconds.
 *
 * A calendar has weekly working intervals (several per day, e.g. 08:30–12:00 and 13:30–17:30),
 * holidays (no work) and make-up working days (调休: a weekend day worked with the make-up
 * schedule). Intervals are closed for the result of `addWorkingMs` (a deadline may fall on
 * 12:00 sharp) and measured as half-open spans by `workingMsBetween`.
 *
 * Time zones: the local offset is taken once per local day (common/time-zone.ts), which is exact
 * for zones without daylight saving time (Asia/Shanghai and every PRC zone), the only ones the
 * SLA rules of Chinese city management need.
 */

import { localDayNumber, midnightOf } from '../common/time-zone';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Guard against calendars with no working time at all: at most this many days are scanned. */
const MAX_SCAN_DAYS = 3 * 366;

/** [start, end) in minutes after local midnight, 0 ≤ start < end ≤ 1440. */
export type WorkInterval = readonly [number, number];

export interface WorkingCalendar {
  timeZone: string;
  /** Per ISO weekday: index 0 = Monday … 6 = Sunday. In order and non-overlapping. */
  weekly: readonly (readonly WorkInterval[])[];
  /** Local dates (YYYY-MM-DD) without work, whatever the weekday. */
  holidays: ReadonlySet<string>;
  /** Local dates (YYYY-MM-DD) worked with the make-up schedule, whatever the weekday. */
  makeUpDays: ReadonlySet<string>;
}

/** Why a weekly schedule is invalid, or null when it is fine. */
export function weeklyProblem(weekly: readonly (readonly WorkInterval[])[]): string | null {
  if (weekly.length !== 7) return 'weekly must list 7 days, Monday first';
  for (const [d, day] of weekly.entries()) {
    let last = -1;
    for (const [s, e] of day) {
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > 1440 || s >= e) {
        return `day ${d + 1}: interval ${s}–${e} must satisfy 0 ≤ start < end ≤ 1440 (minutes)`;
      }
      if (s < last) return `day ${d + 1}: intervals must be in order and must not overlap`;
      last = e;
    }
  }
  if (weekly.every((day) => day.length === 0)) return 'the calendar has no working time at all';
  return null;
}

/** The schedule of a make-up working day: that of the first weekday with working time (normally Monday). */
export function makeUpSchedule(cal: WorkingCalendar): readonly WorkInterval[] {
  return cal.weekly.find((d) => d.length > 0) ?? [];
}

/** Working milliseconds of a standard working day, the length of one `work_days` unit. */
export function standardDayMs(cal: WorkingCalendar): number {
  return makeUpSchedule(cal).reduce((sum, [s, e]) => sum + (e - s) * MINUTE_MS, 0);
}

/** The local day number (days since 1970-01-01 in the zone) an instant falls on. */
export function localDay(cal: WorkingCalendar, t: number): number {
  return localDayNumber(cal.timeZone, t);
}

/** YYYY-MM-DD of a local day number. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC instant of local midnight starting `day`. */
function midnight(cal: WorkingCalendar, day: number): number {
  return midnightOf(cal.timeZone, day);
}

const scheduleCache = new WeakMap<WorkingCalendar, Map<number, readonly WorkInterval[]>>();

/** The working intervals of a local day, holidays and make-up days applied. */
export function daySchedule(cal: WorkingCalendar, day: number): readonly WorkInterval[] {
  let cache = scheduleCache.get(cal);
  if (!cache) scheduleCache.set(cal, (cache = new Map()));
  let intervals = cache.get(day);
  if (!intervals) {
    const date = dayString(day);
    if (cal.holidays.has(date)) intervals = [];
    else if (cal.makeUpDays.has(date)) intervals = makeUpSchedule(cal);
    else intervals = cal.weekly[(((day + 3) % 7) + 7) % 7] ?? []; // 1970-01-01 was a Thursday (index 3)
    cache.set(day, intervals);
  }
  return intervals;
}

/**
 * The instant at which `ms` of working time have passed after `from`. With `ms` = 0: `from` when
 * it is working time, else the start of the next working interval. The result is always a
 * working instant (inside or at the end of an interval).
 */
export function addWorkingMs(cal: WorkingCalendar, from: number, ms: number): number {
  let remaining = Math.max(0, ms);
  const first = localDay(cal, from);
  for (let day = first; day < first + MAX_SCAN_DAYS; day++) {
    const base = midnight(cal, day);
    for (const [s, e] of daySchedule(cal, day)) {
      const start = Math.max(base + s * MINUTE_MS, from);
      const end = base + e * MINUTE_MS;
      if (end < start) continue;
      if (remaining <= end - start) return start + remaining;
      remaining -= end - start;
    }
  }
  throw new Error(`calendar has no working time within ${MAX_SCAN_DAYS} days of ${new Date(from).toISOString()}`);
}

/** Working milliseconds in [a, b); 0 when b ≤ a. */
export function workingMsBetween(cal: WorkingCalendar, a: number, b: number): number {
  if (b <= a) return 0;
  let total = 0;
  const last = localDay(cal, b);
  for (let day = localDay(cal, a); day <= last; day++) {
    const base = midnight(cal, day);
    for (const [s, e] of daySchedule(cal, day)) {
      const start = Math.max(base + s * MINUTE_MS, a);
      const end = Math.min(base + e * MINUTE_MS, b);
      if (end > start) total += end - start;
    }
  }
  return total;
}

/** Whether `t` lies inside or on the edge of a working interval. */
export function isWorkingInstant(cal: WorkingCalendar, t: number): boolean {
  const day = localDay(cal, t);
  const minutes = (t - midnight(cal, day)) / MINUTE_MS;
  if (daySchedule(cal, day).some(([s, e]) => minutes >= s && minutes <= e)) return true;
  // 24:00 of the day before, when its last interval runs to midnight.
  return minutes === 0 && daySchedule(cal, day - 1).some(([, e]) => e === 1440);
}
