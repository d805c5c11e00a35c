import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { LotRow } from '../../../contract/pharmacy.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { DataGrid, type GridColumn } from './data-grid.js';
import { OfflineBanner, useDatabaseReachable } from './offline.js';
import { pharmacyQueries } from './queries.js';
import { LotMovementForm, ReturnForm } from './stock-forms.js';

export const LOT_COLUMNS: GridColumn<LotRow>[] = [
  {
    id: 'medicine',
    header: 'Medicine',
    value: (l) => `${l.medicineName} ${l.strength} ${l.form}`,
    cell: (l) => (
      <>
        {l.medicineName} {l.strength} {l.form}
        {l.isControlled && <span className="tag tag-controlled">CD</span>}
      </>
    ),
    width: 'minmax(14rem, 2fr)',
  },
  { id: 'lot', header: 'Lot', value: (l) => l.lotNumber, width: '8rem' },
  {
    id: 'expiry',
    header: 'Expires',
    value: (l) => l.expiryDate,
    cell: (l) => (
      <>
        {l.expiryDate}
        {l.expired ? (
          <span className="tag tag-expired">expired</span>
        ) : l.daysLeft <= 30 ? (
          <span className="tag">{l.daysLeft} d</span>
        ) : null}
      </>
    ),
    width: '10rem',
  },
  { id: 'supplier', header: 'Supplier', value: (l) => l.supplier ?? '', width: 'minmax(8rem, 1fr)' },
  { id: 'onHand', header: 'On hand', value: (l) => l.quantityOnHand, numeric: true, width: '6rem' },
  { id: 'value', header: 'Value', value: (l) => Number(l.value), cell: (l) => l.value, numeric: true, width: '7rem' },
];

/** Stock by lot: sortable, filterable, keyboard-navigable; Enter on a lot opens adjust / dispose for it. */
export function StockView() {
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const lots = useQuery(pharmacyQueries.lots({ includeEmpty, limit: 20_000 }));
  const reachable = useDatabaseReachable();
  const canDispense = useCan('pharmacy.dispense');
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<LotRow | null>(null);
  const [returning, setReturning] = useState(false);
  const rows = useMemo(() => lots.data ?? [], [lots.data]);
  return (
    <section aria-labelledby="stock-title">
      <h2 id="stock-title">Stock by lot</h2>
      <OfflineBanner updatedAt={lots.dataUpdatedAt} what="Stock" />
      {reachable && <FormError error={lots.error} />}
      <div className="grid-tools no-print">
        <label>
          Filter <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="medicine, lot, supplier…" />
        </label>
        <label className="choice">
          <input type="checkbox" checked={includeEmpty} onChange={(e) => setIncludeEmpty(e.target.checked)} /> Show empty lots
        </label>
        {canDispense && (
          <button type="button" onClick={() => setReturning(true)} disabled={!reachable}>
            Return from a ward…
          </button>
        )}
        <span className="muted">Enter on a lot: adjust or dispose</span>
      </div>
      <DataGrid<LotRow>
        label="Stock by lot"
        rows={rows}
        columns={LOT_COLUMNS}
        rowKey={(l) => String(l.lotId)}
        filter={filter}
        initialSort={{ id: 'expiry', desc: false }}
        onActivate={setChosen}
        rowClass={(l) => (l.expired ? 'row-expired' : undefined)}
        empty={lots.isPending ? 'Reading stock…' : 'No lot matches.'}
      />
      {chosen && <LotMovementForm key={chosen.lotId} lot={chosen} onClose={() => setChosen(null)} />}
      {returning && <ReturnForm onClose={() => setReturning(false)} />}
    </section>
  );
}
