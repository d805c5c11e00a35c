import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MedicineSummary } from '../../../contract/pharmacy.js';
import type { WitnessInput } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { dateTime } from './dates.js';
import { MedicinePicker } from './medicine-picker.js';
import { OFFLINE_REASON, OfflineBanner, useDatabaseReachable } from './offline.js';
import { printSheet } from './print-sheet.js';
import { pharmacyQueries, useRecordCount } from './queries.js';
import { WitnessDialog } from './witness-dialog.js';
import { mutateThen } from '../client/channel-query.js';

/** A controlled drug's register: every movement with its running balance and witness; physical counts. */
export function ControlledView() {
  const [medicine, setMedicine] = useState<MedicineSummary | null>(null);
  return (
    <section aria-labelledby="controlled-title" className="report-sheet">
      <h2 id="controlled-title">Controlled drugs register</h2>
      <div className="no-print">
        <MedicinePicker id="controlled-medicine" label="Controlled drug" chosen={medicine} onPick={setMedicine} onlyControlled autoFocus />
      </div>
      {medicine ? (
        <Register key={medicine.medicineId} medicineId={medicine.medicineId} />
      ) : (
        <p className="empty">Choose a controlled drug to see its register.</p>
      )}
    </section>
  );
}

function Register({ medicineId }: { medicineId: number }) {
  const register = useQuery(pharmacyQueries.register(medicineId));
  const reachable = useDatabaseReachable();
  const r = register.data;
  return (
    <div className="register">
      <OfflineBanner updatedAt={register.dataUpdatedAt} what="The register" />
      {reachable && <FormError error={register.error} />}
      {r && (
        <>
          <h3>
            {r.medicineName} {r.strength} {r.form} — balance <span data-testid="book-balance">{r.bookBalance}</span>
          </h3>
          {r.truncated && (
            <p className="muted">Only the latest entries are shown; the opening balance is the balance before the first one.</p>
          )}
          <button type="button" className="no-print" onClick={() => printSheet('report')}>
            Print register
          </button>
          <table className="data-table register-table" aria-label={`Register of ${r.medicineName} ${r.strength}`}>
            <thead>
              <tr>
                <th>When</th>
                <th>Type</th>
                <th>Lot</th>
                <th className="numeric">In / out</th>
                <th className="numeric">Balance</th>
                <th>Patient</th>
                <th>By</th>
                <th>Witness</th>
                <th>Notes</th>
              </tr>
            </thead>
            <tbody>
              <tr className="muted">
                <td colSpan={4}>Opening balance</td>
                <td className="numeric">{r.openingBalance}</td>
                <td colSpan={4} />
              </tr>
              {r.entries.map((e) => (
                <tr key={e.transactionId}>
                  <td>{dateTime(e.at)}</td>
                  <td>{e.type}</td>
                  <td>{e.lotNumber ?? ''}</td>
                  <td className="numeric">{e.quantity > 0 ? `+${e.quantity}` : e.quantity}</td>
                  <td className="numeric">{e.balance}</td>
                  <td>{e.patientId ? `${e.patientName ?? ''} #${e.patientId}` : ''}</td>
                  <td>{e.performedBy ?? ''}</td>
                  <td>{e.witnessedBy ?? ''}</td>
                  <td>{e.notes ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CountForm medicineId={medicineId} bookBalance={r.bookBalance} />
          {r.counts.length > 0 && (
            <table className="data-table" aria-label="Physical counts">
              <thead>
                <tr>
                  <th>Counted</th>
                  <th>By / witness</th>
                  <th className="numeric">Book</th>
                  <th className="numeric">Counted</th>
                  <th className="numeric">Difference</th>
                  <th>Note / resolution</th>
                </tr>
              </thead>
              <tbody>
                {r.counts.map((c) => (
                  <tr key={c.countId} className={c.difference !== 0 && !c.resolvedAt ? 'count-differs' : undefined}>
                    <td>{dateTime(c.countedAt)}</td>
                    <td>
                      {c.countedBy ?? ''}
                      {c.witnessedBy ? ` / ${c.witnessedBy}` : ''}
                    </td>
                    <td className="numeric">{c.bookBalance}</td>
                    <td className="numeric">{c.counted}</td>
                    <td className="numeric">{c.difference > 0 ? `+${c.difference}` : c.difference}</td>
                    <td>
                      {c.note ?? ''}
                      {c.difference !== 0 && (c.resolution ? ` — resolved: ${c.resolution}` : ' — flagged to the administrator')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}

/** A physical count against the book balance; a difference is flagged to the administrator. A witness is optional. */
function CountForm({ medicineId, bookBalance }: { medicineId: number; bookBalance: number }) {
  const count = useRecordCount();
  const reachable = useDatabaseReachable();
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');
  const [witnessing, setWitnessing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const send = (witness?: WitnessInput) =>
    mutateThen(
      count,
      { medicineId, countedQuantity: Number(counted), note: note.trim() || null, ...(witness ? { witness } : {}) },
      {
        onSuccess: (c) => {
          setWitnessing(false);
          setCounted('');
          setNote('');
          setNotice(
            c.difference === 0
              ? `Count matches the book (${c.counted}).`
              : `Count ${c.counted} differs from the book (${c.bookBalance}) by ${c.difference}: flagged to the administrator.`,
          );
        },
      },
    );
  return (
    <form
      className="inline-form count-form no-print"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor="count-quantity">Physical count (book says {bookBalance})</label>
      <input id="count-quantity" type="number" min={0} value={counted} onChange={(e) => setCounted(e.target.value)} />
      <label htmlFor="count-note">Note</label>
      <input id="count-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      <button type="submit" className="primary" disabled={!reachable || counted === ''} title={reachable ? undefined : OFFLINE_REASON}>
        Record count
      </button>
      <button type="button" onClick={() => setWitnessing(true)} disabled={!reachable || counted === ''}>
        Record with a witness…
      </button>
      <FormError error={witnessing ? null : count.error} />
      <Notice>{notice}</Notice>
      {witnessing && (
        <WitnessDialog
          what={`Physical count of ${counted}`}
          error={count.error}
          busy={count.isPending}
          onConfirm={send}
          onCancel={() => setWitnessing(false)}
        />
      )}
    </form>
  );
}
