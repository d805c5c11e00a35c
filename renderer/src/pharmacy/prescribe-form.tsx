import { useState } from 'react';
import type { ChannelInput } from '../../../contract/index.js';
import type { CheckKind, Frequency, MedicationCheck, MedicineSummary, Route, Urgency } from '../../../contract/pharmacy.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { CheckList, OverrideFields, overridesFor } from './check-list.js';
import { directionsInWords, suggestedQuantity } from './directions.js';
import { MedicinePicker, medicineLabel } from './medicine-picker.js';
import { useDatabaseReachable, OFFLINE_REASON } from './offline.js';
import { useCheckOrder, usePrescribe } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const ROUTES: Route[] = ['oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'sublingual', 'other'];
const URGENCIES: Urgency[] = ['routine', 'urgent', 'STAT'];
const FREQUENCY_CODES = ['OD', 'BD', 'TDS', 'QDS', 'QxH', 'PRN', 'STAT'] as const;
type FrequencyCode = (typeof FREQUENCY_CODES)[number];
const FREQUENCY_LABEL: Record<FrequencyCode, string> = {
  OD: 'OD — once a day',
  BD: 'BD — twice a day',
  TDS: 'TDS — three times a day',
  QDS: 'QDS — four times a day',
  QxH: 'Every N hours',
  PRN: 'PRN — when needed',
  STAT: 'STAT — once, now',
};
const FIELD_NAMES: Record<string, string> = {
  'order.doseAmount': 'Dose',
  'order.doseUnit': 'Unit',
  'order.quantity': 'Quantity',
  'order.durationDays': 'Duration',
  'order.frequency.intervalHours': 'Every N hours',
  'order.frequency.minIntervalHours': 'Minimum hours apart',
  'order.frequency.maxPer24h': 'Most doses in 24 h',
};
const fieldName = (path: string) => FIELD_NAMES[path] ?? FIELD_NAMES[`order.${path}`] ?? path;

/** A structured order: medicine typed, dose, route, frequency (PRN limits, STAT), duration or quantity; checks with reasons. */
export function PrescribeForm({
  patientId,
  replaces,
  onDone,
}: {
  patientId: number;
  replaces: number | null;
  onDone(message: string): void;
}) {
  const check = useCheckOrder();
  const prescribe = usePrescribe();
  const reachable = useDatabaseReachable();
  const [medicine, setMedicine] = useState<MedicineSummary | null>(null);
  const [doseAmount, setDoseAmount] = useState('');
  const [doseUnit, setDoseUnit] = useState('');
  const [route, setRoute] = useState<Route>('oral');
  const [code, setCode] = useState<FrequencyCode>('BD');
  const [intervalHours, setIntervalHours] = useState('6');
  const [minInterval, setMinInterval] = useState('4');
  const [maxPer24h, setMaxPer24h] = useState('4');
  const [duration, setDuration] = useState('');
  const [quantity, setQuantity] = useState('');
  const [instructions, setInstructions] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('routine');
  const [checks, setChecks] = useState<MedicationCheck[] | null>(null);
  const [reasons, setReasons] = useState<Partial<Record<CheckKind, string>>>({});

  const frequency: Frequency =
    code === 'QxH'
      ? { code, intervalHours: Number(intervalHours) }
      : code === 'PRN'
        ? { code, minIntervalHours: Number(minInterval), maxPer24h: Number(maxPer24h) }
        : { code };
  const unit = doseUnit || medicine?.doseUnit || 'mg';
  const durationDays = /^\d+$/.test(duration) ? Number(duration) : null;
  const direction = medicine && {
    doseAmount,
    doseUnit: unit,
    form: medicine.form,
    strength: medicine.strength,
    route,
    frequency,
    durationDays,
  };
  const suggested = direction && doseAmount ? suggestedQuantity(direction) : null;
  const order = (): ChannelInput<'pharmacy/check-order'> => ({
    patientId,
    medicineId: medicine?.medicineId ?? 0,
    doseAmount,
    doseUnit: unit,
    route,
    frequency,
    durationDays,
    quantity: quantity ? Number(quantity) : (suggested ?? 0),
    instructions: instructions.trim() || null,
    urgency,
    replacesPrescriptionId: replaces,
  });
  // Any change to the order makes the checks shown stale.
  const changed =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setChecks(null);
    };

  return (
    <form
      className="prescribe-form"
      aria-label="New order"
      onSubmit={(e) => {
        e.preventDefault();
        if (!medicine) return;
        mutateThen(
          prescribe,
          { order: order(), overrides: overridesFor(checks ?? [], reasons) },
          {
            onSuccess: (outcome) => {
              if (outcome.outcome === 'checks-need-override') setChecks(outcome.checks);
              else onDone(`Prescribed ${medicineLabel(medicine)} (order #${outcome.prescriptionId}, ${outcome.status}).`);
            },
          },
        );
      }}
    >
      <MedicinePicker id="prescribe-medicine" label="Medicine" chosen={medicine} onPick={changed(setMedicine)} autoFocus />
      <div className="field-grid prescribe-fields">
        <label htmlFor="dose-amount">Dose</label>
        <span className="inline-pair">
          <input
            id="dose-amount"
            value={doseAmount}
            onChange={(e) => changed(setDoseAmount)(e.target.value)}
            inputMode="decimal"
            size={8}
          />
          <label htmlFor="dose-unit" className="visually-hidden">
            Unit
          </label>
          <input id="dose-unit" value={unit} onChange={(e) => changed(setDoseUnit)(e.target.value)} size={8} />
        </span>
        <label htmlFor="route">Route</label>
        <select id="route" value={route} onChange={(e) => changed(setRoute)(e.target.value as Route)}>
          {ROUTES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <label htmlFor="frequency">Frequency</label>
        <select id="frequency" value={code} onChange={(e) => changed(setCode)(e.target.value as FrequencyCode)}>
          {FREQUENCY_CODES.map((c) => (
            <option key={c} value={c}>
              {FREQUENCY_LABEL[c]}
            </option>
          ))}
        </select>
        {code === 'QxH' && (
          <>
            <label htmlFor="interval-hours">Every N hours</label>
            <input
              id="interval-hours"
              type="number"
              min={1}
              max={72}
              value={intervalHours}
              onChange={(e) => changed(setIntervalHours)(e.target.value)}
            />
          </>
        )}
        {code === 'PRN' && (
          <>
            <label htmlFor="prn-min">Minimum hours apart</label>
            <input
              id="prn-min"
              type="number"
              min={1}
              max={72}
              value={minInterval}
              onChange={(e) => changed(setMinInterval)(e.target.value)}
            />
            <label htmlFor="prn-max">Most doses in 24 h</label>
            <input id="prn-max" type="number" min={1} max={48} value={maxPer24h} onChange={(e) => changed(setMaxPer24h)(e.target.value)} />
          </>
        )}
        <label htmlFor="duration">Duration (days)</label>
        <input id="duration" type="number" min={1} max={365} value={duration} onChange={(e) => changed(setDuration)(e.target.value)} />
        <label htmlFor="quantity">Quantity</label>
        <input
          id="quantity"
          type="number"
          min={1}
          value={quantity}
          placeholder={suggested ? `${suggested} (from the duration)` : ''}
          onChange={(e) => changed(setQuantity)(e.target.value)}
        />
        <label htmlFor="urgency">Urgency</label>
        <select id="urgency" value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
          {URGENCIES.map((u) => (
            <option key={u}>{u}</option>
          ))}
        </select>
        <label htmlFor="instructions">Instructions</label>
        <input
          id="instructions"
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          maxLength={1000}
          placeholder="e.g. with food"
        />
      </div>
      {direction && doseAmount && <p className="directions-preview">Label will read: {directionsInWords(direction)}</p>}
      {checks && <CheckList checks={checks} />}
      {checks && (
        <OverrideFields checks={checks} reasons={reasons} onChange={(k, r) => setReasons((s) => ({ ...s, [k]: r }))} idPrefix="prescribe" />
      )}
      <FormError error={check.error ?? prescribe.error} fieldName={fieldName} />
      <span className="row-actions">
        <button type="button" disabled={!medicine || !reachable} onClick={() => mutateThen(check, order(), { onSuccess: setChecks })}>
          Run the checks
        </button>
        <button type="submit" className="primary" disabled={!medicine || !reachable} title={reachable ? undefined : OFFLINE_REASON}>
          {checks && checks.length > 0 ? 'Prescribe with these reasons' : 'Prescribe'}
        </button>
      </span>
      {checks?.length === 0 && <Notice>No check fired.</Notice>}
    </form>
  );
}
