import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { QueriedOrder } from '../../../contract/pharmacy.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { OFFLINE_REASON, useDatabaseReachable } from './offline.js';
import { PrescribeForm } from './prescribe-form.js';
import { pharmacyQueries, useCancelOrder } from './queries.js';
// Its own styles, for the Ward chart that mounts it without the Pharmacy screen.
import './pharmacy.css';

/**
 * The doctor's prescribing panel for one patient: their allergies, a new order with its checks, and the
 * doctor's orders a pharmacist queried back (cancel, or write a new order that replaces one).
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
      <QueriedOrders patientId={patientId} onReplace={setReplaces} />
    </section>
  );
}

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
          <QueriedOrderItem key={o.prescriptionId} order={o} onReplace={o.patientId === patientId ? onReplace : null} />
        ))}
      </ul>
    </div>
  );
}

/** onReplace is null for another patient's order: a change is written from that patient's own chart. */
function QueriedOrderItem({ order, onReplace }: { order: QueriedOrder; onReplace: ((id: number) => void) | null }) {
  const cancel = useCancelOrder();
  const reachable = useDatabaseReachable();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <li className="queried-order">
      <strong>
        #{order.prescriptionId} {order.patientName}: {order.medicineName} {order.strength}
      </strong>{' '}
      {order.dose} — queried{order.queriedBy ? ` by ${order.queriedBy}` : ''}: “{order.queriedReason}”
      <span className="row-actions">
        {onReplace ? (
          <button type="button" onClick={() => onReplace(order.prescriptionId)} disabled={!reachable}>
            Write a replacement
          </button>
        ) : (
          <span className="muted">Open {order.patientName}'s chart to write a replacement.</span>
        )}
        <button type="button" onClick={() => setCancelling(true)} disabled={!reachable} title={reachable ? undefined : OFFLINE_REASON}>
          Cancel order
        </button>
      </span>
      {cancelling && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutate({ prescriptionId: order.prescriptionId, reason });
          }}
        >
          <label htmlFor={`cancel-${order.prescriptionId}`}>Why cancel?</label>
          <input
            id={`cancel-${order.prescriptionId}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
            maxLength={500}
          />
          <button type="submit" className="primary">
            Cancel the order
          </button>
          <button type="button" className="link-button" onClick={() => setCancelling(false)}>
            Keep it
          </button>
        </form>
      )}
      <FormError error={cancel.error} />
    </li>
  );
}
