import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { ChannelInput } from '../../../contract/index.js';
import type { LedgerType, MedicineSummary } from '../../../contract/pharmacy.js';
import { request } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { downloadCsv, toCsv } from './csv.js';
import { DataGrid } from './data-grid.js';
import { todayIso } from './dates.js';
import { LEDGER_COLUMNS, LEDGER_CSV } from './ledger-columns.js';
import { MedicinePicker } from './medicine-picker.js';
import { OfflineBanner, useDatabaseReachable } from './offline.js';
import { printSheet } from './print-sheet.js';
import { pharmacyQueries } from './queries.js';

const TYPES: LedgerType[] = ['Dispense', 'Receive', 'Return', 'Adjust', 'Dispose'];
/** Rows a page; the grid holds up to MAX_ROWS (ten pages) and sorts and filters them on screen. */
const PAGE_ROWS = 10_000;
const MAX_ROWS = 100_000;

type LedgerFilter = Omit<ChannelInput<'pharmacy/list-ledger'>, 'cursor' | 'limit'>;

/** Every stock movement, filtered by medicine, patient, user, dates and type; CSV and print. */
export function LedgerView() {
  const [medicine, setMedicine] = useState<MedicineSummary | null>(null);
  const [patient, setPatient] = useState('');
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [types, setTypes] = useState<LedgerType[]>([]);
  const [filter, setFilter] = useState('');
  const users = useQuery(pharmacyQueries.ledgerUsers());
  const reachable = useDatabaseReachable();
  const query: LedgerFilter = {
    ...(medicine ? { medicineId: medicine.medicineId } : {}),
    ...(/^\d{1,9}$/.test(patient.trim()) ? { patientId: Number(patient.trim()) } : {}),
    ...(userId ? { userId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(types.length > 0 ? { types } : {}),
  };
  const ledger = useInfiniteQuery({
    queryKey: ['pharmacy/list-ledger', query] as const,
    queryFn: ({ pageParam }) => request('pharmacy/list-ledger', { ...query, cursor: pageParam, limit: PAGE_ROWS }),
    initialPageParam: null as string | null,
    getNextPageParam: (last, pages) => (pages.length * PAGE_ROWS >= MAX_ROWS ? undefined : (last.nextCursor ?? undefined)),
  });
  const rows = useMemo(() => ledger.data?.pages.flatMap((p) => p.rows) ?? [], [ledger.data]);
  const toggleType = (t: LedgerType) => setTypes((s) => (s.includes(t) ? s.filter((x) => x !== t) : [...s, t]));

  return (
    <section aria-labelledby="ledger-title" className="report-sheet">
      <h2 id="ledger-title">Ledger</h2>
      <p className="print-only">
        Printed {todayIso()}: {medicine ? `${medicine.name} ${medicine.strength}` : 'all medicines'}
        {from || to ? `, ${from || '…'} to ${to || '…'}` : ''}
      </p>
      <OfflineBanner updatedAt={ledger.dataUpdatedAt} what="The ledger" />
      <div className="report-filters no-print">
        <MedicinePicker id="ledger-medicine" label="Medicine" chosen={medicine} onPick={setMedicine} />
        <label>
          Patient number <input value={patient} onChange={(e) => setPatient(e.target.value)} inputMode="numeric" size={8} />
        </label>
        <label>
          By{' '}
          <select value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">anyone</option>
            {users.data?.map((u) => (
              <option key={u.userId} value={u.userId}>
                {u.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <fieldset className="choice-row">
          <legend>Types</legend>
          {TYPES.map((t) => (
            <label key={t} className="choice">
              <input type="checkbox" checked={types.includes(t)} onChange={() => toggleType(t)} /> {t}
            </label>
          ))}
        </fieldset>
      </div>
      {reachable && <FormError error={ledger.error} />}
      <div className="grid-tools no-print">
        <label>
          Filter shown rows <input value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        {ledger.hasNextPage && (
          <button type="button" onClick={() => void ledger.fetchNextPage()} disabled={ledger.isFetchingNextPage}>
            Load {PAGE_ROWS.toLocaleString('en-GB')} more
          </button>
        )}
        <button type="button" onClick={() => downloadCsv(`ledger-${todayIso()}.csv`, toCsv(rows, LEDGER_CSV))} disabled={rows.length === 0}>
          Export CSV
        </button>
        <button type="button" onClick={() => printSheet('report')}>
          Print
        </button>
      </div>
      <DataGrid
        label="Ledger"
        rows={rows}
        columns={LEDGER_COLUMNS}
        rowKey={(e) => String(e.transactionId)}
        filter={filter}
        empty={ledger.isPending ? 'Reading the ledger…' : 'No movement matches.'}
      />
    </section>
  );
}
