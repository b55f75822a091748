/**
 * Local days and hours in an IANA time zone, as pure functions over instants. The server's zone
 * is one configuration value (`TIME_ZONE`, AppConfig.timeZone); SLA calendars carry their own.
 *
 * The UTC offset is taken once per local day: exact for zones without daylight saving time
 * (Asia/Shanghai and every PRC zone), off by the shift on the two transition days elsewhere.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The zone's canonical IANA name, or null when this runtime's Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Per zone, per day number: the UTC offset (nested maps: no key strings on this hot path). */
const offsetCache = new Map<string, Map<number, number>>();

/** The zone's UTC offset in ms around noon UTC of day number `day` (days since 1970-01-01). */
export function offsetOnDay(timeZone: string, day: number): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  let offset = zone.get(day);
  if (offset === undefined) {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(day * DAY_MS + DAY_MS / 2))
      .find((p) => p.type === 'timeZoneName')?.value;
    const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name ?? '');
    offset = m?.[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
    if (zone.size > 100_000) zone.clear();
    zone.set(day, offset);
  }
  return offset;
}

/** The local day number (days since 1970-01-01 in the zone) an instant (epoch ms) falls on. */
export function localDayNumber(timeZone: string, t: number): number {
  return Math.floor((t + offsetOnDay(timeZone, Math.floor(t / DAY_MS))) / DAY_MS);
}

/** The instant (epoch ms) local midnight starts day number `day`. */
export function midnightOf(timeZone: string, day: number): number {
  return day * DAY_MS - offsetOnDay(timeZone, day);
}

/** The calendar day (YYYY-MM-DD) of an instant in the zone. */
export function dayIn(timeZone: string, at: Date): string {
  return new Date(localDayNumber(timeZone, at.getTime()) * DAY_MS).toISOString().slice(0, 10);
}

/** The instant the local calendar day holding `at` starts in the zone. */
export function startOfDayIn(timeZone: string, at: Date): Date {
  return new Date(midnightOf(timeZone, localDayNumber(timeZone, at.getTime())));
}

/** The instant the local hour holding `at` starts (differs from the UTC hour in half-hour zones). */
export function startOfHourIn(timeZone: string, at: Date): Date {
  const offset = offsetOnDay(timeZone, Math.floor(at.getTime() / DAY_MS));
  return new Date(Math.floor((at.getTime() + offset) / HOUR_MS) * HOUR_MS - offset);
}
