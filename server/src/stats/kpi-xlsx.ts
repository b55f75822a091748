import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { KPI_COLUMNS, KPI_GROUPING_ZH, type KpiReport, type KpiRow } from '@gridline/shared';

const HOUR_MS = 3_600_000;

function cell(row: KpiRow, c: (typeof KPI_COLUMNS)[number]): string | number | null {
  const v = row[c.field];
  if (v === null) return null;
  return c.kind === 'hours' ? Math.round(((v as number) / HOUR_MS) * 100) / 100 : v;
}

/**
 * The KPI workbook: one sheet per grouping, Chinese headers (KPI_COLUMNS), rates as percentages,
 * the total last. Streamed (exceljs' WorkbookWriter commits each row as it goes), so memory does
 * not follow the number of rows.
 */
export function kpiWorkbook(reports: readonly KpiReport[], period: string): PassThrough {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Gridline';
  void (async () => {
    for (const report of reports) {
      const sheet = book.addWorksheet(KPI_GROUPING_ZH[report.groupBy]);
      sheet.columns = KPI_COLUMNS.map((c) => ({
        header: c.zh,
        key: c.field,
        width: c.kind === 'text' ? 18 : 12,
        style: c.kind === 'rate' ? { numFmt: '0.00%' } : {},
      }));
      for (const row of [...report.rows, report.total]) {
        sheet.addRow(KPI_COLUMNS.map((c) => (c.field === 'rank' && row === report.total ? null : cell(row, c)))).commit();
      }
      sheet.addRow([]).commit();
      sheet.addRow([`统计区间 ${period}`]).commit();
      sheet.commit();
    }
    await book.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
