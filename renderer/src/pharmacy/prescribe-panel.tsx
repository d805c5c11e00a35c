import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PrescriptionStatus } from '../../../contract/pharmacy.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { OFFLINE_REASON, useDatabaseReachable } from './offline.js';
import { PrescribeForm } from './prescribe-form.js';
import { pharmacyQueries, useCancelOrder } from './queries.js';
// Its own styles, for the Ward chart that mounts it without the Pharmacy screen.
import './pharmacy.css';

/**
 * The doctor's prescribing panel for one patient: their allergies, a new order with its checks, and the
 * patient's open orders and the doctor's orders a pharmacist queried back (stop, or write a new order that replaces one).
 * The Ward screen mounts it in the patient's chart; the Pharmacy screen's Prescribe section too.
 */
export function PrescribePanel({ patientId }: { patientId: number }) {
  const allergies = useQuery(pharmacyQueries.allergies(patientId));
  const [replaces, setReplaces] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  return (
    <section className="pharmacy prescribe-panel" aria-labelledby="prescribe-title">
      <h2 id="prescribe-title">Prescribe for patient #{patientId}</h2>
      <FormError error={allergies.error} />
      {allergies.data && (
        <p className={allergies.data.length > 0 ? 'allergy-banner' : 'muted'} data-testid="prescribe-allergies">
          {allergies.data.length > 0
            ? `Allergies: ${allergies.data.map((a) => `${a.substance} (${a.severity}${a.reaction ? `: ${a.reaction}` : ''})`).join('; ')}`
            : 'No allergy recorded.'}
        </p>
      )}
      {replaces !== null && (
        <p className="waiting">
          This order will replace order #{replaces} (cancelled in the same step).{' '}
          <button type="button" className="link-button" onClick={() => setReplaces(null)}>
            Do not replace
          </button>
        </p>
      )}
      <Notice>{notice}</Notice>
      <PrescribeForm
        key={round}
        patientId={patientId}
        replaces={replaces}
        onDone={(message) => {
          setNotice(message);
          setReplaces(null);
          setRound((r) => r + 1);
        }}
      />
      <OpenOrders patientId={patientId} onReplace={setReplaces} />
      <QueriedOrders patientId={patientId} onReplace={setReplaces} />
    </section>
  );
}

/** This patient's open orders, newest first: the prescriber changes (a new order replacing it) or stops their own. */
function OpenOrders({ patientId, onReplace }: { patientId: number; onReplace(id: number): void }) {
  const orders = useQuery(pharmacyQueries.openOrders(patientId));
  return (
    <div className="open-orders">
      <h3>This patient&apos;s open orders</h3>
      <FormError error={orders.error} />
      {orders.data && orders.data.length === 0 && <p className="muted">None.</p>}
      <ul className="plain-list">
        {orders.data?.map((o) => (
          <li key={o.prescriptionId} className="open-order">
            <strong>
              #{o.prescriptionId} {o.medicineName} {o.strength}
            </strong>{' '}
            {o.dose} · {STATUS_WORDS[o.status]}
            {o.prescriber ? ` · ${o.prescriber}` : ''}
            {/* A queried one is changed or stopped from the queried list below, with the pharmacist's reason beside it. */}
            {o.changeable && o.status !== 'Queried' && <OrderChangeActions prescriptionId={o.prescriptionId} onReplace={onReplace} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

const STATUS_WORDS: Record<PrescriptionStatus, string> = {
  Active: 'waiting for the pharmacist',
  Queried: 'queried back to the prescriber',
  Verified: 'verified',
  PartiallyDispensed: 'part dispensed',
  Dispensed: 'dispensed, course running',
  Cancelled: 'stopped',
  Completed: 'completed',
};

/** The signed-in doctor's orders a pharmacist queried back (for every patient; this patient's first). */
function QueriedOrders({ patientId, onReplace }: { patientId: number; onReplace(id: number): void }) {
  const queried = useQuery(pharmacyQueries.queried());
  const rows = [...(queried.data ?? [])].sort((a, b) => Number(b.patientId === patientId) - Number(a.patientId === patientId));
  return (
    <div className="queried-orders">
      <h3>Your orders queried by the pharmacy</h3>
      <FormError error={queried.error} />
      {queried.data && rows.length === 0 && <p className="muted">None.</p>}
      <ul className="plain-list">
        {rows.map((o) => (
          <li key={o.prescriptionId} className="queried-order">
            <strong>
              #{o.prescriptionId} {o.patientName}: {o.medicineName} {o.strength}
            </strong>{' '}
            {o.dose} — queried{o.queriedBy ? ` by ${o.queriedBy}` : ''}: “{o.queriedReason}”
            {/* A change is written from that patient's own chart (052 refuses it for another patient). */}
            <OrderChangeActions
              prescriptionId={o.prescriptionId}
              onReplace={o.patientId === patientId ? onReplace : null}
              elsewhere={`Open ${o.patientName}'s chart to write a replacement.`}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Change (write a new order that replaces this one) or stop it with a reason; onReplace null: not from this chart. */
function OrderChangeActions({
  prescriptionId,
  onReplace,
  elsewhere,
}: {
  prescriptionId: number;
  onReplace: ((id: number) => void) | null;
  elsewhere?: string;
}) {
  const cancel = useCancelOrder();
  const reachable = useDatabaseReachable();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <span className="row-actions">
        {onReplace ? (
          <button type="button" onClick={() => onReplace(prescriptionId)} disabled={!reachable}>
            Change (new order)
          </button>
        ) : (
          <span className="muted">{elsewhere}</span>
        )}
        <button type="button" onClick={() => setCancelling(true)} disabled={!reachable} title={reachable ? undefined : OFFLINE_REASON}>
          Stop…
        </button>
      </span>
      {cancelling && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutate({ prescriptionId, reason });
          }}
        >
          <label htmlFor={`cancel-${prescriptionId}`}>Why stop order #{prescriptionId}?</label>
          <input id={`cancel-${prescriptionId}`} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus maxLength={500} />
          <button type="submit" className="primary">
            Stop the order
          </button>
          <button type="button" className="link-button" onClick={() => setCancelling(false)}>
            Keep it
          </button>
        </form>
      )}
      <FormError error={cancel.error} />
    </>
  );
}
