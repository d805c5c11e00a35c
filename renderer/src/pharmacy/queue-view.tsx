import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { QueueItem } from '../../../contract/pharmacy.js';
import { FormError } from '../ui/form-error.js';
import { DataGrid, type GridColumn } from './data-grid.js';
import { OfflineBanner, useDatabaseReachable } from './offline.js';
import { usePharmacy } from './pharmacy-store.js';
import { pharmacyQueries } from './queries.js';

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });

const COLUMNS: GridColumn<QueueItem>[] = [
  {
    id: 'urgency',
    header: 'Urgency',
    value: (o) => o.urgency,
    cell: (o) => <span className={`urgency urgency-${o.urgency}`}>{o.urgency}</span>,
    width: '5.5rem',
  },
  { id: 'patient', header: 'Patient', value: (o) => `${o.patientName} #${o.patientId}`, width: 'minmax(10rem, 1.3fr)' },
  { id: 'medicine', header: 'Medicine', value: (o) => `${o.medicineName} ${o.strength} ${o.form}`, width: 'minmax(12rem, 1.6fr)' },
  { id: 'dose', header: 'Dose', value: (o) => o.dose, width: 'minmax(8rem, 1fr)' },
  { id: 'status', header: 'Status', value: (o) => o.status, width: '10.5rem' },
  { id: 'left', header: 'To dispense', value: (o) => o.quantity - o.dispensedQuantity, numeric: true, width: '7.5rem' },
  { id: 'prescribed', header: 'Prescribed', value: (o) => when(o.prescribedAt), width: '9.5rem' },
  { id: 'prescriber', header: 'Prescriber', value: (o) => o.prescriber ?? '—', width: 'minmax(7rem, 1fr)' },
];

/** Orders waiting for a pharmacist: STAT first, then urgent, then oldest (main's order). Enter opens one. */
export function QueueView() {
  const queue = useQuery(pharmacyQueries.queue());
  const openOrder = usePharmacy((s) => s.openOrder);
  const reachable = useDatabaseReachable();
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => queue.data ?? [], [queue.data]);
  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">Verification queue</h2>
      <OfflineBanner updatedAt={queue.dataUpdatedAt} what="The queue" />
      {reachable && <FormError error={queue.error} />}
      <div className="grid-tools no-print">
        <label>
          Filter <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="patient, medicine, status…" />
        </label>
        <span className="muted">↑ ↓ to move, Enter to open the order</span>
      </div>
      <DataGrid
        label="Orders waiting"
        rows={rows}
        columns={COLUMNS}
        rowKey={(o) => String(o.prescriptionId)}
        onActivate={(o) => openOrder(o.prescriptionId)}
        filter={filter}
        sortable={false}
        rowClass={(o) => (o.urgency === 'STAT' ? 'row-stat' : undefined)}
        empty={queue.isPending ? 'Reading the queue…' : 'No order is waiting.'}
      />
    </section>
  );
}
