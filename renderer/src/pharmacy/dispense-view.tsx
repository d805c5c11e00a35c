import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { LotRow, OrderDetail } from '../../../contract/pharmacy.js';
import type { WitnessInput } from '../../../contract/index.js';
import { useSession } from '../session/index.js';
import { useAltShortcuts } from '../ui/alt-shortcuts.js';
import { FormError } from '../ui/form-error.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { DispenseLabel } from './dispense-label.js';
import { todayIso } from './dates.js';
import { OFFLINE_REASON, OfflineBanner, useDatabaseReachable } from './offline.js';
import { orderDirections } from './order-summary.js';
import { usePharmacy, type LabelData } from './pharmacy-store.js';
import { printSheet } from './print-sheet.js';
import { pharmacyQueries, useDispenseOrder } from './queries.js';
import { WitnessDialog } from './witness-dialog.js';
import { mutateThen } from '../client/channel-query.js';

const DISPENSABLE = new Set(['Verified', 'PartiallyDispensed']);

/**
 * What first-expiry-first-out would take, shown before the pharmacist confirms. Only a preview: main
 * plans again under the lots' locks and its answer is what the label shows.
 */
function previewFefo(lots: LotRow[], quantity: number) {
  const takes = new Map<number, number>();
  let left = quantity;
  for (const lot of [...lots]
    .filter((l) => !l.expired && l.quantityOnHand > 0)
    .sort((a, b) => a.expiryDate.localeCompare(b.expiryDate) || a.lotId - b.lotId)) {
    if (left <= 0) break;
    const take = Math.min(left, lot.quantityOnHand);
    takes.set(lot.lotId, take);
    left -= take;
  }
  return { takes, short: Math.max(left, 0) };
}

/** Dispense the open order: lots first expiry first out (or one chosen with a reason), partial quantity, then the label. */
export function DispenseView() {
  const orderId = usePharmacy((s) => s.orderId);
  const label = usePharmacy((s) => s.label);
  if (orderId === null) return <p className="empty">No order open. Open one from the queue (Alt+Q, then Enter).</p>;
  return (
    <>
      <DispensePanel key={orderId} orderId={orderId} />
      {label && label.order.prescriptionId === orderId && <LabelPreview label={label} />}
    </>
  );
}

function DispensePanel({ orderId }: { orderId: number }) {
  const order = useQuery(pharmacyQueries.order(orderId));
  return (
    <section aria-labelledby="dispense-title" className="no-print">
      <h2 id="dispense-title">Dispense order #{orderId}</h2>
      <OfflineBanner updatedAt={order.dataUpdatedAt} what="This order" />
      <FormError error={order.data ? null : order.error} />
      {order.data &&
        (DISPENSABLE.has(order.data.status) || order.data.status === 'Active' || order.data.status === 'Queried' ? (
          // A new form after each dispense: the quantity starts again at what is left.
          <DispenseForm key={order.data.dispensedQuantity} order={order.data} />
        ) : (
          <p>
            <strong>{order.data.patientName}</strong> · {order.data.medicineName} {order.data.strength}: {order.data.status} (
            {order.data.dispensedQuantity} of {order.data.quantity} dispensed).
          </p>
        ))}
    </section>
  );
}

function DispenseForm({ order }: { order: OrderDetail }) {
  const lots = useQuery(pharmacyQueries.lots({ medicineId: order.medicineId, includeEmpty: false, limit: 200 }));
  const dispense = useDispenseOrder();
  const set = usePharmacy((s) => s.set);
  const reachable = useDatabaseReachable();
  const remaining = order.quantity - order.dispensedQuantity;
  const [quantity, setQuantity] = useState(String(remaining));
  const [choosing, setChoosing] = useState(false);
  const [lotId, setLotId] = useState('');
  const [lotReason, setLotReason] = useState('');
  const [witnessing, setWitnessing] = useState(false);
  const rows = lots.data ?? [];
  const controlled = rows.some((l) => l.isControlled);
  const amount = Number(quantity);
  const { takes, short } = previewFefo(rows, Number.isInteger(amount) ? amount : 0);
  const canDispense = reachable && DISPENSABLE.has(order.status) && remaining > 0;

  const send = (witness?: WitnessInput) =>
    mutateThen(
      dispense,
      {
        prescriptionId: order.prescriptionId,
        quantity: amount,
        ...(choosing && lotId ? { lotChoice: { lotId: Number(lotId), reason: lotReason } } : {}),
        ...(witness ? { witness } : {}),
      },
      {
        onSuccess: (result) => {
          setWitnessing(false);
          const label: LabelData = { order, result, dispensedOn: todayIso() };
          set({ label });
        },
      },
    );
  const submit = () => {
    if (!canDispense) return;
    if (controlled) setWitnessing(true);
    else send();
  };

  return (
    <div className="dispense-form">
      <p>
        <strong>{order.patientName}</strong> #{order.patientId} · {order.medicineName} {order.strength} {order.form} ·{' '}
        {orderDirections(order)}
      </p>
      <p>
        Status <strong>{order.status}</strong>: {order.dispensedQuantity} of {order.quantity} dispensed, <strong>{remaining}</strong> to go.
        {controlled && <span className="tag tag-controlled">controlled drug: needs a witness</span>}
      </p>
      <table className="data-table lots-table" aria-label="Lots of this medicine, first expiry first">
        <thead>
          <tr>
            <th>Lot</th>
            <th>Expires</th>
            <th className="numeric">On hand</th>
            <th className="numeric">First expiry first out takes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((lot) => (
            <tr key={lot.lotId} className={lot.expired ? 'lot-expired' : undefined}>
              <td>{lot.lotNumber}</td>
              <td>
                {lot.expiryDate}{' '}
                {lot.expired ? (
                  <span className="tag">expired: never used</span>
                ) : lot.expiryDate < order.courseEndsOn ? (
                  <span className="tag tag-warn">
                    expires before the course ends ({order.courseEndsOn}): choose another lot, or tell the ward
                  </span>
                ) : lot.daysLeft <= 30 ? (
                  <span className="tag">{lot.daysLeft} days left</span>
                ) : null}
              </td>
              <td className="numeric">{lot.quantityOnHand}</td>
              <td className="numeric">{choosing ? '—' : (takes.get(lot.lotId) ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormError error={lots.error} />
      {lots.isSuccess && rows.length === 0 && <p className="form-error">No lot of this medicine has stock.</p>}
      {!choosing && short > 0 && rows.length > 0 && (
        <p className="waiting">
          Usable stock covers {amount - short} of {amount}: dispense fewer now (partial) or receive a delivery.
        </p>
      )}
      <form
        className="field-grid dispense-fields"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="dispense-quantity">Quantity to dispense now</label>
        <input
          id="dispense-quantity"
          type="number"
          min={1}
          max={remaining}
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
        />
        <label className="choice span-2">
          <input type="checkbox" checked={choosing} onChange={(e) => setChoosing(e.target.checked)} /> Take from another lot (with a reason)
        </label>
        {choosing && (
          <>
            <label htmlFor="dispense-lot">Lot</label>
            <select id="dispense-lot" value={lotId} onChange={(e) => setLotId(e.target.value)}>
              <option value="">Choose a lot…</option>
              {rows
                .filter((l) => !l.expired && l.quantityOnHand > 0)
                .map((l) => (
                  <option key={l.lotId} value={l.lotId}>
                    {l.lotNumber} — expires {l.expiryDate}, {l.quantityOnHand} on hand
                  </option>
                ))}
            </select>
            <label htmlFor="dispense-lot-reason">Why this lot</label>
            <input id="dispense-lot-reason" value={lotReason} onChange={(e) => setLotReason(e.target.value)} maxLength={500} />
          </>
        )}
        <FormError error={witnessing ? null : dispense.error} />
        <span className="row-actions span-2">
          <button type="submit" className="primary" disabled={!canDispense} title={reachable ? undefined : OFFLINE_REASON}>
            Dispense {Number.isInteger(amount) && amount > 0 ? amount : ''} (Enter)
          </button>
          <button type="button" onClick={() => set({ view: 'order' })}>
            Back to the order <ShortcutHint keys="Alt+O" hidden />
          </button>
        </span>
        {!reachable && <p className="muted span-2">{OFFLINE_REASON}</p>}
        {reachable && !DISPENSABLE.has(order.status) && (
          <p className="muted span-2">
            This order is {order.status}:{' '}
            {order.status === 'Active' || order.status === 'Queried' ? 'verify it first.' : 'nothing is left to dispense.'}
          </p>
        )}
      </form>
      {witnessing && (
        <WitnessDialog
          what={`Dispense ${amount} × ${order.medicineName} ${order.strength} to ${order.patientName}`}
          error={dispense.error}
          busy={dispense.isPending}
          onConfirm={send}
          onCancel={() => setWitnessing(false)}
        />
      )}
    </div>
  );
}

function LabelPreview({ label }: { label: LabelData }) {
  const pharmacist = useSession((s) => s.session?.user.displayName ?? '');
  useAltShortcuts({ i: () => printSheet('label') });
  const { result } = label;
  const printButton = useRef<HTMLButtonElement>(null);
  // The label is what comes next: brought into view, its Print button focused (Enter prints).
  useEffect(() => {
    printButton.current?.scrollIntoView({ block: 'nearest' });
    printButton.current?.focus();
  }, [result]);
  return (
    <section aria-labelledby="label-title" className="label-preview">
      <h2 id="label-title" className="no-print">
        Dispensed: label preview
      </h2>
      <p className="form-ok no-print" role="status">
        Dispensed {result.dispensed} ({result.status}
        {result.remaining > 0 ? `, ${result.remaining} still to dispense` : ''}); billed {result.amount}.
        {result.lines.some((l) => l.expiresBeforeCourseEnds) && ' A lot expires before the course ends: the label says so.'}
      </p>
      <DispenseLabel label={label} pharmacist={pharmacist} />
      <button ref={printButton} type="button" className="primary no-print" onClick={() => printSheet('label')}>
        Print label <ShortcutHint keys="Alt+I" hidden />
      </button>
    </section>
  );
}
