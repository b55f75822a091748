/**
 * SLA countdowns, computed on the wall from each item's `dueAt` and the local clock (the server
 * does not push every second). Pure: the caller passes "now".
 */

export interface Countdown {
  /** The due time has passed. */
  late: boolean;
  /** Whole days of the distance (0 when under a day). */
  days: number;
  /** The rest of the distance as hh:mm:ss. */
  clock: string;
  /** The distance in whole seconds (always ≥ 0). */
  seconds: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function countdown(dueAt: string, nowMs: number): Countdown | null {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return null;
  const diff = due - nowMs;
  const late = diff < 0;
  // Late: count up from the due second; left: count down, showing the second still running.
  const seconds = late ? Math.floor(-diff / 1000) : Math.ceil(diff / 1000);
  const days = Math.floor(seconds / 86_400);
  const rest = seconds % 86_400;
  const clock = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return { late, days, clock, seconds };
}

/** hh:mm:ss of a wall clock in a time zone (the server's TIME_ZONE, from the snapshot). */
export function clockTime(nowMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone }).format(nowMs);
}
