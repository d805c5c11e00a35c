import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LotRow, StockMovementResult } from '../../../contract/pharmacy.js';
import type { WitnessInput } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { OFFLINE_REASON, useDatabaseReachable } from './offline.js';
import { pharmacyQueries, useAdjustStock, useDisposeStock, useReturnFromWard } from './queries.js';
import { WitnessDialog } from './witness-dialog.js';
import { mutateThen } from '../client/channel-query.js';

const DISPOSAL_KINDS = ['expired', 'damaged', 'recalled', 'other'] as const;
type DisposalKind = (typeof DISPOSAL_KINDS)[number];

const moved = (r: StockMovementResult) =>
  `${r.type} of ${Math.abs(r.quantity)} on lot ${r.lotNumber}: ${r.quantityOnHand} now on hand${r.witnessedBy ? `, witnessed by ${r.witnessedBy}` : ''}.`;

/** Adjust a lot after a count (signed, with a reason) or dispose of units; a controlled drug asks for a witness. */
export function LotMovementForm({ lot, onClose }: { lot: LotRow; onClose(): void }) {
  const adjust = useAdjustStock();
  const dispose = useDisposeStock();
  const reachable = useDatabaseReachable();
  const [kind, setKind] = useState<'adjust' | 'dispose'>(lot.expired ? 'dispose' : 'adjust');
  const [quantity, setQuantity] = useState('');
  const [disposalKind, setDisposalKind] = useState<DisposalKind>(lot.expired ? 'expired' : 'damaged');
  const [reason, setReason] = useState('');
  const [witnessing, setWitnessing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const change = kind === 'adjust' ? adjust : dispose;
  const done = (r: StockMovementResult) => (setWitnessing(false), setNotice(moved(r)), setQuantity(''), setReason(''));
  const send = (witness?: WitnessInput) => {
    const w = witness ? { witness } : {};
    if (kind === 'adjust') mutateThen(adjust, { lotId: lot.lotId, quantity: Number(quantity), reason, ...w }, { onSuccess: done });
    else mutateThen(dispose, { lotId: lot.lotId, quantity: Number(quantity), disposalKind, reason, ...w }, { onSuccess: done });
  };
  const title = `${lot.medicineName} ${lot.strength} ${lot.form}, lot ${lot.lotNumber}`;
  return (
    <div className="side-form" role="region" aria-labelledby="lot-form-title">
      <h3 id="lot-form-title">
        {title} — {lot.quantityOnHand} on hand, expires {lot.expiryDate}
      </h3>
      <form
        className="field-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (lot.isControlled) setWitnessing(true);
          else send();
        }}
      >
        <fieldset className="span-2 choice-row">
          <legend>Movement</legend>
          <label className="choice">
            <input type="radio" name="movement" checked={kind === 'adjust'} onChange={() => setKind('adjust')} /> Adjust after a count
          </label>
          <label className="choice">
            <input type="radio" name="movement" checked={kind === 'dispose'} onChange={() => setKind('dispose')} /> Dispose (expired,
            damaged…)
          </label>
        </fieldset>
        <label htmlFor="lot-quantity">{kind === 'adjust' ? 'Change (use − to lower)' : 'Units to dispose'}</label>
        <input id="lot-quantity" type="number" value={quantity} onChange={(e) => setQuantity(e.target.value)} autoFocus />
        {kind === 'dispose' && (
          <>
            <label htmlFor="disposal-kind">Why disposed</label>
            <select id="disposal-kind" value={disposalKind} onChange={(e) => setDisposalKind(e.target.value as DisposalKind)}>
              {DISPOSAL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="lot-reason">Reason</label>
        <input id="lot-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <FormError error={witnessing ? null : change.error} />
        <Notice className="span-2">{notice}</Notice>
        <span className="row-actions span-2">
          <button
            type="submit"
            className="primary"
            disabled={!reachable || change.isPending}
            title={reachable ? undefined : OFFLINE_REASON}
          >
            {kind === 'adjust' ? 'Adjust stock' : 'Dispose'}
            {lot.isControlled ? ' (witness)' : ''}
          </button>
          <button type="button" className="link-button" onClick={onClose}>
            Close
          </button>
        </span>
      </form>
      {witnessing && (
        <WitnessDialog
          what={`${kind === 'adjust' ? `Adjust by ${quantity}` : `Dispose of ${quantity}`}: ${title}`}
          error={change.error}
          busy={change.isPending}
          onConfirm={send}
          onCancel={() => setWitnessing(false)}
        />
      )}
    </div>
  );
}

/** Units a ward sends back: into the lot they were dispensed from, never more than was dispensed. */
export function ReturnForm({ onClose }: { onClose(): void }) {
  const [orderText, setOrderText] = useState('');
  const orderId = /^\d{1,9}$/.test(orderText.trim()) ? Number(orderText.trim()) : null;
  const returnable = useQuery({ ...pharmacyQueries.returnable(orderId ?? 0), enabled: orderId !== null && orderId > 0 });
  const back = useReturnFromWard();
  const reachable = useDatabaseReachable();
  const [lotId, setLotId] = useState('');
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="side-form" role="region" aria-labelledby="return-title">
      <h3 id="return-title">Return from a ward</h3>
      <form
        className="field-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (orderId === null) return;
          mutateThen(
            back,
            { prescriptionId: orderId, lotId: Number(lotId), quantity: Number(quantity), reason },
            { onSuccess: (r) => (setNotice(moved(r)), setQuantity('')) },
          );
        }}
      >
        <label htmlFor="return-order">Prescription number</label>
        <input id="return-order" value={orderText} onChange={(e) => setOrderText(e.target.value)} inputMode="numeric" autoFocus />
        <FormError error={returnable.error} />
        {returnable.data && (
          <>
            <label htmlFor="return-lot">Back into lot</label>
            <select id="return-lot" value={lotId} onChange={(e) => setLotId(e.target.value)}>
              <option value="">Choose a lot…</option>
              {returnable.data.map((l) => (
                <option key={l.lotId} value={l.lotId} disabled={l.returnable <= 0}>
                  {l.lotNumber} (exp {l.expiryDate}): {l.dispensed} dispensed, {l.returned} returned, up to {l.returnable} more
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="return-quantity">Units returned</label>
        <input id="return-quantity" type="number" min={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        <label htmlFor="return-reason">Reason</label>
        <input id="return-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <FormError error={back.error} />
        <Notice className="span-2">{notice}</Notice>
        <span className="row-actions span-2">
          <button
            type="submit"
            className="primary"
            disabled={!reachable || orderId === null || !lotId}
            title={reachable ? undefined : OFFLINE_REASON}
          >
            Take back
          </button>
          <button type="button" className="link-button" onClick={onClose}>
            Close
          </button>
        </span>
      </form>
    </div>
  );
}
