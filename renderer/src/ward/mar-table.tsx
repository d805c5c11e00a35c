import { useState } from 'react';
import type { DoseState, Mar, MarDose, MarOrder, MarPatient, RecordedOutcome } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { useMarkAdministrationInError, useRecordDoseOutcome } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

export const DOSE_WORDS: Record<DoseState, string> = {
  scheduled: 'scheduled',
  due: 'DUE',
  late: 'LATE',
  missed: 'missed',
  given: 'given',
  held: 'held',
  refused: 'refused',
  'not-given': 'not given',
};

/** "14:00" in the hospital's zone (the MAR's), with the day when it is not today. */
export function marTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const day = (d: Date) => d.toLocaleDateString('en-GB', { timeZone });
  const time = at.toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  return day(at) === day(new Date()) ? time : `${at.toLocaleDateString('en-GB', { timeZone, weekday: 'short' })} ${time}`;
}

const OUTCOMES: [RecordedOutcome, string][] = [
  ['held', 'Held'],
  ['refused', 'Refused'],
  ['not-given', 'Not given'],
];
/** What a nurse may record of a dose not given: a due, late or missed one, any outcome; a coming one may be held ahead (nil by mouth for theatre). */
const RECORDABLE: Partial<Record<DoseState, RecordedOutcome[]>> = {
  due: ['held', 'refused', 'not-given'],
  late: ['held', 'refused', 'not-given'],
  missed: ['held', 'refused', 'not-given'],
  scheduled: ['held'],
};

/** One patient's orders with their doses and states; a dose not given is recorded held, refused or not given (RECORDABLE). */
export function MarTable({ mar, patient, canRecord }: { mar: Mar; patient: MarPatient; canRecord: boolean }) {
  if (patient.orders.length === 0) return <p className="muted">No verified medicines for this patient in this span.</p>;
  return (
    <table className="data-table mar" aria-label={`Medication record of ${patient.name}`}>
      <thead>
        <tr>
          <th scope="col">Medicine</th>
          <th scope="col">Dose · route · when</th>
          <th scope="col">Doses</th>
        </tr>
      </thead>
      <tbody>
        {patient.orders.map((order) => (
          <tr key={order.prescriptionId} data-testid="mar-order" className={order.stoppedAt ? 'mar-stopped' : undefined}>
            <th scope="row">
              <span className="mar-medicine">
                {order.medicineName} {order.strength}
              </span>{' '}
              <span className="muted">{order.form}</span>
              {order.isControlled && <span className="tag tag-cd">CD: witness</span>}
              {order.stoppedAt && <span className="tag tag-stopped">STOPPED {marTime(order.stoppedAt, mar.timeZone)}: do not give</span>}
            </th>
            <td>
              {order.dose} · {order.route} · {order.frequencyText}
              {order.instructions && <div className="muted">{order.instructions}</div>}
              {order.prn && <PrnLine order={order} timeZone={mar.timeZone} />}
            </td>
            <td>
              <ul className="dose-list">
                {order.doses.map((dose) => (
                  <DoseItem
                    key={dose.scheduledFor}
                    dose={dose}
                    order={order}
                    patientId={patient.patientId}
                    timeZone={mar.timeZone}
                    canRecord={canRecord && !order.stoppedAt}
                    canCorrect={canRecord}
                  />
                ))}
                {order.doses.length === 0 && (
                  <li className="muted">{order.stoppedAt ? 'nothing recorded in this span before it was stopped' : 'none in this span'}</li>
                )}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PrnLine({ order, timeZone }: { order: MarOrder; timeZone: string }) {
  const prn = order.prn!;
  return (
    <div className="prn-line">
      PRN: {prn.dosesLeft24h} of {prn.maxPer24h} left in 24 h ·{' '}
      {prn.nextAllowedAt ? `next allowed ${marTime(prn.nextAllowedAt, timeZone)}` : 'may be given now'}
    </div>
  );
}

function DoseItem({
  dose,
  order,
  patientId,
  timeZone,
  canRecord,
  canCorrect,
}: {
  dose: MarDose;
  order: MarOrder;
  patientId: number;
  timeZone: string;
  /** May record an outcome of this dose (not of a stopped order's). */
  canRecord: boolean;
  /** May mark a recorded entry entered in error (also of a stopped order: a wrong entry stays wrong). */
  canCorrect: boolean;
}) {
  // What the nurse is recording: an outcome of a dose not given, or that a recorded entry is wrong.
  const [outcome, setOutcome] = useState<RecordedOutcome | 'in-error' | null>(null);
  const [reason, setReason] = useState('');
  const record = useRecordDoseOutcome();
  const markInError = useMarkAdministrationInError();
  const recordable = canRecord && order.prn === null ? (RECORDABLE[dose.state] ?? []) : [];
  // A wrong entry (given to the wrong time, or held by mistake) is corrected, and the dose recorded again.
  const correctable = canCorrect && dose.mayMarkInError && dose.administrationId !== null && dose.recordedAt !== null;
  const failure = outcome === 'in-error' ? markInError.error : record.error;
  const who = dose.recordedBy ? ` by ${dose.recordedBy}${dose.witnessedBy ? `, witness ${dose.witnessedBy}` : ''}` : '';
  return (
    <li className={`dose dose-${dose.state}`} data-testid="dose">
      <span className="dose-time">{marTime(dose.scheduledFor, timeZone)}</span> <span className="dose-state">{DOSE_WORDS[dose.state]}</span>
      {dose.recordedAt && (
        <span className="muted">
          {' '}
          {marTime(dose.recordedAt, timeZone)}
          {who}
          {dose.reason ? ` — ${dose.reason}` : ''}
        </span>
      )}
      {(recordable.length > 0 || correctable) && !outcome && (
        <span className="dose-actions">
          {OUTCOMES.filter(([value]) => recordable.includes(value)).map(([value, label]) => (
            <button key={value} type="button" className="small-button" onClick={() => setOutcome(value)}>
              {label}
            </button>
          ))}
          {correctable && (
            <button type="button" className="small-button" onClick={() => setOutcome('in-error')}>
              Entered in error…
            </button>
          )}
        </span>
      )}
      {outcome && (
        <form
          className="inline-form dose-outcome"
          onSubmit={(e) => {
            e.preventDefault();
            const done = { onSuccess: () => (setOutcome(null), setReason('')) };
            if (outcome === 'in-error') mutateThen(markInError, { administrationId: dose.administrationId!, reason }, done);
            else
              mutateThen(
                record,
                { patientId, prescriptionId: order.prescriptionId, scheduledFor: dose.scheduledFor, outcome, reason },
                done,
              );
          }}
          onKeyDown={(e) => e.key === 'Escape' && setOutcome(null)}
        >
          <label htmlFor={`reason-${order.prescriptionId}-${dose.scheduledFor}`}>
            {outcome === 'in-error'
              ? `Why is the ${DOSE_WORDS[dose.state]} entry wrong? (the dose can then be recorded again)`
              : `Why ${OUTCOMES.find((o) => o[0] === outcome)![1].toLowerCase()}?`}
          </label>
          <input
            id={`reason-${order.prescriptionId}-${dose.scheduledFor}`}
            autoFocus
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" className="primary">
            Record (Enter)
          </button>
          <button type="button" className="link-button" onClick={() => setOutcome(null)}>
            Back (Esc)
          </button>
          <FormError error={failure} />
        </form>
      )}
    </li>
  );
}
