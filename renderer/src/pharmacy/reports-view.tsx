import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { LotRow, LowStockRow, StockOnHandRow } from '../../../contract/pharmacy.js';
import type { ClinicFailure } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { downloadCsv, toCsv, type CsvColumn } from './csv.js';
import { todayIso } from './dates.js';
import { OfflineBanner, useDatabaseReachable } from './offline.js';
import { usePharmacy } from './pharmacy-store.js';
import { printSheet } from './print-sheet.js';
import { pharmacyQueries } from './queries.js';

type ReportId = 'low-stock' | 'expiring' | 'on-hand';
const REPORTS: { id: ReportId; label: string }[] = [
  { id: 'low-stock', label: 'Low stock' },
  { id: 'expiring', label: 'Expiring' },
  { id: 'on-hand', label: 'Stock on hand with value' },
];

/** A report is a plain table (so it prints whole), with the columns its CSV has. */
interface ReportColumn<T> extends CsvColumn<T> {
  numeric?: boolean;
}

const med = (r: { name?: string; medicineName?: string; strength: string; form: string }) =>
  `${r.name ?? r.medicineName} ${r.strength} ${r.form}`;

const LOW_STOCK: ReportColumn<LowStockRow>[] = [
  { header: 'Medicine', value: med },
  { header: 'Generic', value: (r) => r.genericName },
  { header: 'Controlled', value: (r) => (r.isControlled ? 'yes' : '') },
  { header: 'Usable stock', value: (r) => r.usableStock, numeric: true },
  { header: 'Reorder level', value: (r) => r.reorderLevel, numeric: true },
  { header: 'All stock (incl. expired)', value: (r) => r.totalStock, numeric: true },
];
const EXPIRING: ReportColumn<LotRow>[] = [
  { header: 'Medicine', value: med },
  { header: 'Lot', value: (r) => r.lotNumber },
  { header: 'Expires', value: (r) => r.expiryDate },
  { header: 'Days left', value: (r) => r.daysLeft, numeric: true },
  { header: 'On hand', value: (r) => r.quantityOnHand, numeric: true },
  { header: 'Value', value: (r) => r.value, numeric: true },
  { header: 'Supplier', value: (r) => r.supplier },
];
const ON_HAND: ReportColumn<StockOnHandRow>[] = [
  { header: 'Medicine', value: med },
  { header: 'Controlled', value: (r) => (r.isControlled ? 'yes' : '') },
  { header: 'Lots', value: (r) => r.lots, numeric: true },
  { header: 'On hand', value: (r) => r.quantityOnHand, numeric: true },
  { header: 'Usable', value: (r) => r.usableQuantity, numeric: true },
  { header: 'Unit price', value: (r) => r.unitPrice, numeric: true },
  { header: 'Value', value: (r) => r.value, numeric: true },
];

/** Low stock, expiring within N days, stock on hand with value: each with CSV export and print. */
export function ReportsView() {
  const [report, setReport] = useState<ReportId>('low-stock');
  const set = usePharmacy((s) => s.set);
  return (
    <section aria-labelledby="reports-title" className="report-sheet">
      <h2 id="reports-title" className="no-print">
        Reports
      </h2>
      <fieldset className="choice-row no-print">
        <legend>Report</legend>
        {REPORTS.map((r) => (
          <label key={r.id} className="choice">
            <input type="radio" name="report" checked={report === r.id} onChange={() => setReport(r.id)} /> {r.label}
          </label>
        ))}
        <button type="button" className="link-button" onClick={() => set({ view: 'ledger' })}>
          Ledger by medicine, patient, user, date (Alt+L)
        </button>
      </fieldset>
      {report === 'low-stock' && <LowStockReport />}
      {report === 'expiring' && <ExpiringReport />}
      {report === 'on-hand' && <OnHandReport />}
    </section>
  );
}

function LowStockReport() {
  const q = useQuery(pharmacyQueries.lowStock());
  return (
    <Report
      title="Low stock: at or under the reorder level"
      file="low-stock"
      rows={q.data}
      columns={LOW_STOCK}
      error={q.error}
      updatedAt={q.dataUpdatedAt}
    >
      <p className="muted">Usable stock leaves out expired lots. Emptiest first.</p>
    </Report>
  );
}

function ExpiringReport() {
  const [days, setDays] = useState(30);
  const q = useQuery(pharmacyQueries.expiring(days));
  return (
    <Report
      title={`Expiring within ${days} days (and already expired)`}
      file={`expiring-${days}-days`}
      rows={q.data}
      columns={EXPIRING}
      error={q.error}
      updatedAt={q.dataUpdatedAt}
    >
      <label className="no-print">
        Within days{' '}
        <input
          type="number"
          min={0}
          max={3650}
          value={days}
          onChange={(e) => setDays(Math.max(0, Math.min(3650, Number(e.target.value) || 0)))}
        />
      </label>
    </Report>
  );
}

function OnHandReport() {
  const [controlledOnly, setControlledOnly] = useState(false);
  const q = useQuery(pharmacyQueries.onHand(controlledOnly));
  return (
    <Report
      title="Stock on hand with value"
      file="stock-on-hand"
      rows={q.data?.rows}
      columns={ON_HAND}
      error={q.error}
      updatedAt={q.dataUpdatedAt}
    >
      <label className="choice no-print">
        <input type="checkbox" checked={controlledOnly} onChange={(e) => setControlledOnly(e.target.checked)} /> Controlled drugs only
      </label>
      {q.data && <p className="report-total">Total value: {q.data.totalValue}</p>}
    </Report>
  );
}

function Report<T>({
  title,
  file,
  rows,
  columns,
  error,
  updatedAt,
  children,
}: {
  title: string;
  file: string;
  rows: T[] | undefined;
  columns: ReportColumn<T>[];
  error: ClinicFailure | null;
  updatedAt: number;
  children?: ReactNode;
}) {
  const reachable = useDatabaseReachable();
  return (
    <div className="report">
      <h3>{title}</h3>
      <p className="print-only">Printed {new Date().toLocaleString('en-GB')}</p>
      <OfflineBanner updatedAt={updatedAt} what="This report" />
      {reachable && <FormError error={error} />}
      {children}
      <span className="row-actions no-print">
        <button
          type="button"
          onClick={() => rows && downloadCsv(`${file}-${todayIso()}.csv`, toCsv(rows, columns))}
          disabled={!rows?.length}
        >
          Export CSV
        </button>
        <button type="button" onClick={() => printSheet('report')} disabled={!rows}>
          Print
        </button>
      </span>
      {rows && (
        <table className="data-table report-table" aria-label={title}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} className={c.numeric ? 'numeric' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.header} className={c.numeric ? 'numeric' : undefined}>
                    {String(c.value(row) ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length === 0 && <p className="empty">Nothing to report.</p>}
    </div>
  );
}
