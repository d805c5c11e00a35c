import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { CheckKind, MedicationCheck, OrderDetail } from '../../../contract/pharmacy.js';
import { useAltShortcuts } from '../ui/alt-shortcuts.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { useCan } from '../session/index.js';
import { AllergyRecord } from './allergy-record.js';
import { CheckList, checkKindLabel, OverrideFields, overridesFor } from './check-list.js';
import { OFFLINE_REASON, OfflineBanner, useDatabaseReachable } from './offline.js';
import { OrderSummary } from './order-summary.js';
import { usePharmacy } from './pharmacy-store.js';
import { pharmacyQueries, useQueryOrder, useVerifyOrder } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

/** The open order: patient, allergies, other medicines, the checks with their reasons; verify or query back. */
export function OrderView() {
  const orderId = usePharmacy((s) => s.orderId);
  if (orderId === null) return <p className="empty">No order open. Open one from the queue (Alt+Q, then Enter).</p>;
  return <OrderPanel key={orderId} orderId={orderId} />;
}

function OrderPanel({ orderId }: { orderId: number }) {
  const order = useQuery(pharmacyQueries.order(orderId));
  const canRecordAllergy = useCan('allergies.write');
  return (
    <section aria-labelledby="order-title">
      <h2 id="order-title">Order #{orderId}</h2>
      <OfflineBanner updatedAt={order.dataUpdatedAt} what="This order" />
      <FormError error={order.data ? null : order.error} />
      {order.data && (
        <>
          <OrderSummary order={order.data} />
          <CheckList checks={order.data.checks} />
          {order.data.overrides.length > 0 && (
            <div className="overrides">
              <h3>Reasons already given</h3>
              <ul className="plain-list">
                {order.data.overrides.map((o, i) => (
                  <li key={i}>
                    {checkKindLabel(o.kind)} at {o.stage}: “{o.reason}”
                  </li>
                ))}
              </ul>
            </div>
          )}
          <OrderActions order={order.data} />
          {canRecordAllergy && (
            <details className="no-print allergy-details">
              <summary>Record or correct this patient&apos;s allergies (the checks run again)</summary>
              <AllergyRecord patientId={order.data.patientId} />
            </details>
          )}
        </>
      )}
    </section>
  );
}

// A queried order waits for its prescriber (a replacement, or a cancel): only an Active one is reviewed.
const VERIFIABLE = new Set(['Active']);
const DISPENSABLE = new Set(['Verified', 'PartiallyDispensed']);

function OrderActions({ order }: { order: OrderDetail }) {
  const verify = useVerifyOrder();
  const query = useQueryOrder();
  const set = usePharmacy((s) => s.set);
  const reachable = useDatabaseReachable();
  const [reasons, setReasons] = useState<Partial<Record<CheckKind, string>>>({});
  const [pending, setPending] = useState<MedicationCheck[] | null>(null);
  const [querying, setQuerying] = useState(false);
  const [queryReason, setQueryReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const queryField = useRef<HTMLInputElement>(null);
  const checks = pending ?? order.checks;
  const canVerify = reachable && VERIFIABLE.has(order.status);

  const doVerify = () => {
    if (!canVerify) return;
    mutateThen(
      verify,
      { prescriptionId: order.prescriptionId, overrides: overridesFor(checks, reasons) },
      {
        onSuccess: (outcome) => {
          if (outcome.outcome === 'checks-need-override') setPending(outcome.checks);
          else setNotice(`Verified. Dispense it now (Alt+D).`);
        },
      },
    );
  };
  const startQuery = () => {
    if (!reachable) return;
    setQuerying(true);
    setTimeout(() => queryField.current?.focus());
  };
  useAltShortcuts({ v: doVerify, b: startQuery });

  return (
    <div className="order-actions no-print">
      {VERIFIABLE.has(order.status) && (
        <OverrideFields checks={checks} reasons={reasons} onChange={(k, r) => setReasons((s) => ({ ...s, [k]: r }))} idPrefix="verify" />
      )}
      <FormError error={verify.error} />
      <FormError error={query.error} />
      <Notice>{notice}</Notice>
      <div className="row-actions">
        <button type="button" className="primary" onClick={doVerify} disabled={!canVerify} title={reachable ? undefined : OFFLINE_REASON}>
          Verify <ShortcutHint keys="Alt+V" hidden />
        </button>
        <button
          type="button"
          onClick={startQuery}
          disabled={!reachable || !VERIFIABLE.has(order.status)}
          title={reachable ? undefined : OFFLINE_REASON}
        >
          Query back <ShortcutHint keys="Alt+B" hidden />
        </button>
        <button type="button" onClick={() => set({ view: 'dispense' })} disabled={!DISPENSABLE.has(order.status)}>
          Dispense <ShortcutHint keys="Alt+D" hidden />
        </button>
      </div>
      {!reachable && <p className="muted">{OFFLINE_REASON}</p>}
      {order.status === 'Queried' && <p className="muted">Queried back: waiting for the prescriber to change or cancel it.</p>}
      {querying && (
        <form
          className="inline-form query-form"
          onSubmit={(e) => {
            e.preventDefault();
            mutateThen(
              query,
              { prescriptionId: order.prescriptionId, reason: queryReason },
              { onSuccess: () => (setQuerying(false), setNotice('Sent back to the prescriber with your reason.')) },
            );
          }}
        >
          <label htmlFor="query-reason">Why query it back?</label>
          <input id="query-reason" ref={queryField} value={queryReason} onChange={(e) => setQueryReason(e.target.value)} maxLength={500} />
          <button type="submit" className="primary" disabled={!reachable}>
            Send to prescriber
          </button>
          <button type="button" onClick={() => setQuerying(false)}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}
