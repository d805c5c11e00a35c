import type { OrderDetail } from '../../../contract/pharmacy.js';
import { directionsInWords, frequencyCode, splitDose } from './directions.js';

/** The order's directions in plain words, from its stored dose; the stored text when it cannot be read. */
export function orderDirections(order: OrderDetail): string {
  const dose = splitDose(order.dose);
  if (!dose) return order.dose;
  return directionsInWords({
    ...dose,
    form: order.form,
    strength: order.strength,
    route: order.route,
    frequency: order.frequency,
    durationDays: order.durationDays,
  });
}

/** Who the order is for and what it asks: what a pharmacist reads before verifying or dispensing. */
export function OrderSummary({ order }: { order: OrderDetail }) {
  return (
    <div className="order-summary">
      <dl className="patient-card" aria-label="Patient">
        <dt>Patient</dt>
        <dd>
          <strong>{order.patientName}</strong> #{order.patientId}
        </dd>
        <dt>Born</dt>
        <dd>
          {order.patientDateOfBirth} (age {order.patientAgeYears})
        </dd>
        <dt>Weight</dt>
        <dd>
          {order.weightKg ? (
            <>
              {order.weightKg} kg{' '}
              {order.weightRecordedAt && (
                <span className="muted">(recorded {new Date(order.weightRecordedAt).toLocaleDateString('en-GB')})</span>
              )}
            </>
          ) : (
            <span className="muted">not recorded</span>
          )}
        </dd>
        <dt>Allergies</dt>
        <dd>
          {order.allergies.length === 0 ? (
            <span className="muted">none recorded</span>
          ) : (
            <ul className="plain-list">
              {order.allergies.map((a) => (
                <li key={a.allergyId} className="allergy">
                  <strong>{a.substance}</strong> ({a.matchKind === 'class' ? 'drug class' : 'generic'}) — {a.severity}
                  {a.reaction ? `: ${a.reaction}` : ''}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Other active medicines</dt>
        <dd>
          {order.otherActiveMedicines.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="plain-list">
              {order.otherActiveMedicines.map((m) => (
                <li key={m.prescriptionId}>
                  {m.medicineName} — {m.dose}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <dl className="patient-card" aria-label="Order">
        <dt>Medicine</dt>
        <dd>
          <strong>
            {order.medicineName} {order.strength}
          </strong>{' '}
          {order.form}
        </dd>
        <dt>Directions</dt>
        <dd>
          {orderDirections(order)}{' '}
          <span className="muted">
            ({order.route}, {frequencyCode(order.frequency)})
          </span>
        </dd>
        <dt>Quantity</dt>
        <dd>
          {order.quantity} ({order.dispensedQuantity} dispensed, {order.quantity - order.dispensedQuantity} to go)
        </dd>
        {order.instructions && (
          <>
            <dt>Instructions</dt>
            <dd>{order.instructions}</dd>
          </>
        )}
        <dt>Urgency · status</dt>
        <dd>
          <span className={`urgency urgency-${order.urgency}`}>{order.urgency}</span> · {order.status}
          {order.queriedReason && <span className="waiting"> — queried: {order.queriedReason}</span>}
        </dd>
        <dt>Prescriber</dt>
        <dd>
          {order.prescriber ?? '—'}, {new Date(order.prescribedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
        </dd>
      </dl>
    </div>
  );
}
