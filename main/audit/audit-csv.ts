import type { AuditEntry } from '../../contract/index.js';

/** A spreadsheet runs a cell that starts like a formula: such text is kept as text ('=…). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

const HEADER = ['Log id', 'Time (UTC)', 'Table', 'Action', 'User id', 'User', 'Database login', 'Patient id', 'Detail'];

export function auditCsv(rows: AuditEntry[]): string {
  const lines = [HEADER.map(csvCell).join(',')];
  for (const r of rows) {
    lines.push([r.logId, r.at, r.tableName, r.action, r.userId, r.userName, r.dbLogin, r.patientId, r.detail].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
