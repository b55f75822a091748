import type { EntityManager } from 'typeorm';
import type { HolidayScheduleInput } from '@gridline/shared';

export interface CalendarDay {
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function parseDate(value: unknown, where: string): number {
  if (typeof value !== 'string' || !DATE.test(value)) throw new Error(`${where}: "${String(value)}" is not a YYYY-MM-DD date`);
  const t = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw new Error(`${where}: ${value} is not a calendar date`);
  return t;
}

/**
 * Expands the State Council's yearly schedule (the format of cn-holidays-2026.json) into one row
 * per day. Every date must lie in the schedule's year, so importing a year replaces exactly it.
 * Throws with a readable message on anything malformed.
 */
export function expandHolidaySchedule(s: HolidayScheduleInput): CalendarDay[] {
  if (!Number.isInteger(s.year) || s.year < 2000 || s.year > 2100) throw new Error('year must be an integer in 2000..2100');
  const inYear = (t: number, where: string) => {
    if (new Date(t).getUTCFullYear() !== s.year) throw new Error(`${where}: ${new Date(t).toISOString().slice(0, 10)} is not in ${s.year}`);
  };
  const days = new Map<string, CalendarDay>();
  for (const [i, h] of s.holidays.entries()) {
    const where = `holidays[${i}]`;
    const from = parseDate(h.from, `${where}.from`);
    const to = parseDate(h.to, `${where}.to`);
    if (to < from) throw new Error(`${where}: "to" is before "from"`);
    if (to - from > 31 * DAY_MS) throw new Error(`${where}: a holiday spans at most a month`);
    inYear(from, where);
    inYear(to, where);
    for (let t = from; t <= to; t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      days.set(day, { day, kind: 'holiday', name: h.name });
    }
  }
  for (const [i, d] of s.makeUpWorkdays.entries()) {
    const t = parseDate(d, `makeUpWorkdays[${i}]`);
    inYear(t, `makeUpWorkdays[${i}]`);
    if (days.get(d)?.kind === 'holiday') throw new Error(`makeUpWorkdays[${i}]: ${d} is also listed as a holiday`);
    days.set(d, { day: d, kind: 'workday', name: '调休上班' });
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** Replaces one year of a calendar's days (in the caller's transaction); used by the admin API and the CLI. */
export async function replaceHolidayYear(
  tx: Pick<EntityManager, 'query'>,
  calendarId: number,
  year: number,
  days: readonly CalendarDay[],
): Promise<void> {
  await tx.query(`DELETE FROM sla_calendar_days WHERE calendar_id = $1 AND day >= make_date($2, 1, 1) AND day < make_date($2 + 1, 1, 1)`, [
    calendarId,
    year,
  ]);
  await tx.query(
    `INSERT INTO sla_calendar_days (calendar_id, day, kind, name) SELECT $1, d, k, n FROM unnest($2::date[], $3::text[], $4::text[]) AS t(d, k, n)`,
    [calendarId, days.map((d) => d.day), days.map((d) => d.kind), days.map((d) => d.name)],
  );
  await tx.query('UPDATE sla_calendars SET updated_at = now() WHERE id = $1', [calendarId]);
}
