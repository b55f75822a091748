import { type KPI_COLUMNS, type KpiRow } from '@gridline/shared';

export type KpiField = (typeof KPI_COLUMNS)[number]['field'];

/** Rows sorted by one column (nulls last whichever the direction); rank stays the server's. */
export function sortRows(rows: readonly KpiRow[], field: KpiField, descending: boolean): KpiRow[] {
  return [...rows].sort((a, b) => {
    const x = a[field];
    const y = b[field];
    if (x === y) return (a.rank ?? 0) - (b.rank ?? 0);
    if (x === null) return 1;
    if (y === null) return -1;
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
    return descending ? -cmp : cmp;
  });
}

/** A cell as the table shows it: rates in percent, durations in hours, '—' for none. */
export function formatCell(row: KpiRow, c: (typeof KPI_COLUMNS)[number]): string {
  const v = row[c.field];
  if (v === null || v === undefined) return '—';
  switch (c.kind) {
    case 'rate':
      return `${(Number(v) * 100).toFixed(1)}%`;
    case 'hours':
      return (Number(v) / 3_600_000).toFixed(1);
    case 'count':
    case 'text':
      return String(v);
    default: {
      const never: never = c;
      throw new Error(`Unknown column ${JSON.stringify(never)}`);
    }
  }
}
