// CSV export for the reports: RFC 4180 quoting, and a guard so a spreadsheet never runs a cell as a
// formula (a patient or supplier name starting with = + - @ is written with a leading apostrophe).

export interface CsvColumn<T> {
  header: string;
  value(row: T): string | number | boolean | null;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-guarded text, quoted when it holds a comma, quote or line break. Numbers stay numbers. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves the CSV through the browser's download (a Blob URL, revoked at once; no server, no file path from here). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
