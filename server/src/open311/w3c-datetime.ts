import { AppException } from '../common/app.exception';

/**
 * W3C datetimes (a profile of ISO 8601) as GeoReport v2 uses them: `2026-12-05T14:30:00+08:00`.
 * Written in the city's time zone; read with a required offset or `Z`, seconds and fractions optional.
 */
const W3C = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

export function parseW3c(name: string, raw: string): Date {
  const m = W3C.exec(raw);
  const bad = () =>
    new AppException('VALIDATION_FAILED', `${name} must be a W3C datetime such as 2026-12-05T14:30:00+08:00`, { field: name });
  if (!m) throw bad();
  const [, y, mo, d, h, mi, s = '00', , oh = '00', om = '00'] = m;
  const nums = [y, mo, d, h, mi, s, oh, om].map(Number) as [number, number, number, number, number, number, number, number];
  const [year, month, day, hour, minute, second, offH, offM] = nums;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!realDay || hour > 23 || minute > 59 || second > 59 || offH > 14 || offM > 59) throw bad();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw bad();
  return at;
}

/** The instant in the zone, with its offset (`+08:00`). */
export function formatW3c(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const local = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  const offsetMin = Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
