/**
 * The /kpi period picker as pure functions: a month, a quarter or a custom range of days, turned
 * into the [from, to) instants the API takes, in the district's time zone (Asia/Shanghai has no
 * daylight saving, so a fixed offset per zone is enough here; other zones pass their offset).
 */
export type PeriodKind = 'month' | 'quarter' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** month: 'YYYY-MM'; quarter: 'YYYY-Qn'; custom: 'YYYY-MM-DD' (first day, inclusive). */
  start: string;
  /** custom only: 'YYYY-MM-DD' (last day, inclusive). */
  end?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local midnight of a calendar day, as an ISO instant with the zone's offset ('+08:00'). */
const midnight = (y: number, m: number, d: number, offset: string) => `${y}-${pad(m)}-${pad(d)}T00:00:00${offset}`;

/** The [from, to) of a period; null when it is not a valid one. */
export function periodRange(p: Period, offset = '+08:00'): { from: string; to: string } | null {
  switch (p.kind) {
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(p.start);
      if (!m) return null;
      const y = Number(m[1]);
      const mo = Number(m[2]);
      if (mo < 1 || mo > 12) return null;
      return { from: midnight(y, mo, 1, offset), to: mo === 12 ? midnight(y + 1, 1, 1, offset) : midnight(y, mo + 1, 1, offset) };
    }
    case 'quarter': {
      const m = /^(\d{4})-Q([1-4])$/.exec(p.start);
      if (!m) return null;
      const y = Number(m[1]);
      const q = Number(m[2]);
      const first = (q - 1) * 3 + 1;
      return { from: midnight(y, first, 1, offset), to: q === 4 ? midnight(y + 1, 1, 1, offset) : midnight(y, first + 3, 1, offset) };
    }
    case 'custom': {
      const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p.start);
      const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p.end ?? '');
      if (!a || !b || p.end! < p.start) return null;
      const next = new Date(Date.UTC(Number(b[1]), Number(b[2]) - 1, Number(b[3]) + 1));
      return {
        from: midnight(Number(a[1]), Number(a[2]), Number(a[3]), offset),
        to: midnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), offset),
      };
    }
    default: {
      const never: never = p.kind;
      throw new Error(`Unknown period kind ${String(never)}`);
    }
  }
}

/** The period holding a day ('YYYY-MM-DD'): its month, or its quarter. */
export function periodOf(kind: 'month' | 'quarter', day: string): Period {
  const y = day.slice(0, 4);
  const mo = Number(day.slice(5, 7));
  return kind === 'month' ? { kind, start: `${y}-${pad(mo)}` } : { kind, start: `${y}-Q${Math.floor((mo - 1) / 3) + 1}` };
}

/** The twelve months ending with the period's end: the range the monthly trend reads. */
export function trendRange(range: { from: string; to: string }, offset = '+08:00'): { from: string; to: string } {
  const to = range.to;
  const y = Number(to.slice(0, 4));
  const mo = Number(to.slice(5, 7));
  const fromMonth = new Date(Date.UTC(y, mo - 1 - 12, 1));
  return { from: midnight(fromMonth.getUTCFullYear(), fromMonth.getUTCMonth() + 1, 1, offset), to };
}
