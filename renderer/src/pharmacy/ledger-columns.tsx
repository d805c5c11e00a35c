import type { LedgerEntry } from '../../../contract/pharmacy.js';
import type { CsvColumn } from './csv.js';
import type { GridColumn } from './data-grid.js';
import { dateTime } from './dates.js';

/** The ledger's columns on screen; the CSV and the bench use the same. */
export const LEDGER_COLUMNS: GridColumn<LedgerEntry>[] = [
  { id: 'at', header: 'When', value: (e) => e.at, cell: (e) => dateTime(e.at), width: '9.5rem' },
  {
    id: 'type',
    header: 'Type',
    value: (e) => e.type,
    cell: (e) => <span className={`ledger-type type-${e.type}`}>{e.type}</span>,
    width: '6.5rem',
  },
  { id: 'medicine', header: 'Medicine', value: (e) => `${e.medicineName} ${e.strength} ${e.form}`, width: 'minmax(12rem, 2fr)' },
  { id: 'lot', header: 'Lot', value: (e) => e.lotNumber ?? '', width: '7.5rem' },
  {
    id: 'quantity',
    header: 'Qty',
    value: (e) => e.quantity,
    cell: (e) => (e.quantity > 0 ? `+${e.quantity}` : e.quantity),
    numeric: true,
    width: '5rem',
  },
  {
    id: 'patient',
    header: 'Patient',
    value: (e) => (e.patientId ? `${e.patientName ?? ''} #${e.patientId}` : ''),
    width: 'minmax(9rem, 1.3fr)',
  },
  { id: 'by', header: 'By', value: (e) => e.performedBy ?? '', width: 'minmax(8rem, 1fr)' },
  { id: 'witness', header: 'Witness', value: (e) => e.witnessedBy ?? '', width: 'minmax(6rem, 0.8fr)' },
  { id: 'notes', header: 'Notes', value: (e) => e.notes ?? '', width: 'minmax(8rem, 1.5fr)' },
];

export const LEDGER_CSV: CsvColumn<LedgerEntry>[] = [
  { header: 'transaction', value: (e) => e.transactionId },
  { header: 'at', value: (e) => e.at },
  { header: 'type', value: (e) => e.type },
  { header: 'medicine', value: (e) => `${e.medicineName} ${e.strength} ${e.form}` },
  { header: 'lot', value: (e) => e.lotNumber },
  { header: 'quantity', value: (e) => e.quantity },
  { header: 'prescription', value: (e) => e.prescriptionId },
  { header: 'patient number', value: (e) => e.patientId },
  { header: 'patient', value: (e) => e.patientName },
  { header: 'performed by', value: (e) => e.performedBy },
  { header: 'witness', value: (e) => e.witnessedBy },
  { header: 'notes', value: (e) => e.notes },
];
