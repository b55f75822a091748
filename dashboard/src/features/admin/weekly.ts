import type { WeeklySchedule } from '@gridline/shared';

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** One weekday's working intervals as text: "08:30-12:00, 13:30-17:30" (empty: a day off). */
export function formatDay(intervals: readonly [number, number][]): string {
  return intervals.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(', ');
}

/**
 * The intervals typed for one weekday, as [startMinute, endMinute] pairs, or null when the text
 * is not a list of HH:MM-HH:MM (whether they overlap is the server's rule and message).
 */
export function parseDay(text: string): [number, number][] | null {
  const parts = text
    .split(/[,，;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: [number, number][] = [];
  for (const part of parts) {
    const m = /^(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) return null;
    out.push([Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])]);
  }
  return out;
}

export function formatWeek(weekly: WeeklySchedule): string[] {
  return Array.from({ length: 7 }, (_, i) => formatDay(weekly[i] ?? []));
}

/** The week from seven day texts, or the index of the first day that does not parse. */
export function parseWeek(days: readonly string[]): WeeklySchedule | { badDay: number } {
  const week: WeeklySchedule = [];
  for (let i = 0; i < 7; i++) {
    const day = parseDay(days[i] ?? '');
    if (day === null) return { badDay: i };
    week.push(day);
  }
  return week;
}
