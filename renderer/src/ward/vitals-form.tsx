import { useState } from 'react';
import type { Observation } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { RESPONSE_WORDS, responseClass, shortTime } from './news2-display.js';
import { SPO2_TARGET } from './spo2-target.js';
import { useRecordObservation } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

type Field = 'respirationRate' | 'spo2' | 'systolicBp' | 'pulse' | 'temperature';
const FIELDS: { field: Field; label: string; unit: string; step: string }[] = [
  { field: 'respirationRate', label: 'Respiration rate', unit: '/min', step: '1' },
  { field: 'spo2', label: 'SpO2', unit: '%', step: '1' },
  { field: 'systolicBp', label: 'Systolic BP', unit: 'mmHg', step: '1' },
  { field: 'pulse', label: 'Pulse', unit: '/min', step: '1' },
  { field: 'temperature', label: 'Temperature', unit: '°C', step: '0.1' },
];
const ACVPU = [
  ['A', 'Alert'],
  ['C', 'New confusion'],
  ['V', 'Responds to voice'],
  ['P', 'Responds to pain'],
  ['U', 'Unresponsive'],
] as const;

const EMPTY: Record<Field, string> = { respirationRate: '', spo2: '', systolicBp: '', pulse: '', temperature: '' };
const valuesOf = (o: Observation): Record<Field, string> => ({
  respirationRate: String(o.respirationRate),
  spo2: String(o.spo2),
  systolicBp: String(o.systolicBp),
  pulse: String(o.pulse),
  temperature: o.temperature.toFixed(1),
});
/** "2026-12-01T14:05" in local time, for a datetime-local field. */
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * A set of vitals: the server scores it with NEWS2 on the patient's SpO2 scale and refuses the
 * impossible, one sentence per field, shown beside the field.
 */
export function VitalsForm({
  patientId,
  scale,
  onRecorded,
  correcting = null,
  onCancelCorrection,
}: {
  patientId: number;
  scale: 1 | 2;
  onRecorded?(o: Observation): void;
  /** A reading being corrected: the form starts from it, and saving marks it entered in error (a new row replaces it). */
  correcting?: Observation | null;
  onCancelCorrection?(): void;
}) {
  const [values, setValues] = useState<Record<Field, string>>(() => (correcting ? valuesOf(correcting) : EMPTY));
  const [onOxygen, setOnOxygen] = useState(correcting?.onOxygen ?? false);
  const [consciousness, setConsciousness] = useState<(typeof ACVPU)[number][0]>(correcting?.consciousness ?? 'A');
  const [takenAt, setTakenAt] = useState(() => localInput(correcting ? new Date(correcting.takenAt) : new Date()));
  // Untouched, the time is the moment of saving (to the second), not the minute the form opened; a correction keeps its reading's.
  const [timeEdited, setTimeEdited] = useState(false);
  const record = useRecordObservation();
  const issues = record.error?.issues ?? [];
  const issueFor = (field: string) => issues.find((i) => i.path === field || i.path === `vitals.${field}`)?.message;
  const saved = record.data;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const number = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.replace(',', '.')));
    mutateThen(
      record,
      {
        patientId,
        takenAt: correcting && !timeEdited ? correcting.takenAt : timeEdited ? new Date(takenAt).toISOString() : new Date().toISOString(),
        ...(correcting ? { correctsObservationId: correcting.observationId } : {}),
        vitals: {
          respirationRate: number(values.respirationRate),
          spo2: number(values.spo2),
          onOxygen,
          systolicBp: number(values.systolicBp),
          pulse: number(values.pulse),
          consciousness,
          temperature: number(values.temperature),
        },
      },
      {
        onSuccess: (o) => {
          setValues(EMPTY);
          setOnOxygen(false);
          setConsciousness('A');
          setTakenAt(localInput(new Date()));
          setTimeEdited(false);
          onRecorded?.(o);
        },
      },
    );
  }

  return (
    <form className="vitals-form" onSubmit={submit} aria-labelledby="vitals-title" noValidate>
      <h3 id="vitals-title">{correcting ? `Correct the reading of ${shortTime(correcting.takenAt)}` : 'Record observations'}</h3>
      {correcting && (
        <p className="muted">
          Saving keeps the wrong reading, marked entered in error, and scores this one in its place.{' '}
          <button type="button" className="link-button" onClick={onCancelCorrection}>
            Do not correct
          </button>
        </p>
      )}
      <div className="vitals-grid">
        {FIELDS.map(({ field, label, unit, step }) => {
          const issue = issueFor(field);
          return (
            <div key={field} className="vital-field">
              <label htmlFor={`vital-${field}`}>
                {label} <span className="muted">{unit}</span>
              </label>
              <input
                id={`vital-${field}`}
                inputMode="decimal"
                step={step}
                value={values[field]}
                aria-invalid={issue ? true : undefined}
                aria-describedby={issue ? `vital-${field}-issue` : undefined}
                onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
              />
              {issue && (
                <p id={`vital-${field}-issue`} className="field-issue">
                  {issue}
                </p>
              )}
            </div>
          );
        })}
        <fieldset className="vital-field">
          <legend>Breathing</legend>
          <label className="choice">
            <input type="radio" name="oxygen" checked={!onOxygen} onChange={() => setOnOxygen(false)} /> Air
          </label>
          <label className="choice">
            <input type="radio" name="oxygen" checked={onOxygen} onChange={() => setOnOxygen(true)} /> Oxygen
          </label>
        </fieldset>
        <div className="vital-field">
          <label htmlFor="vital-consciousness">Consciousness (ACVPU)</label>
          <select id="vital-consciousness" value={consciousness} onChange={(e) => setConsciousness(e.target.value as typeof consciousness)}>
            {ACVPU.map(([code, words]) => (
              <option key={code} value={code}>
                {code} — {words}
              </option>
            ))}
          </select>
        </div>
        <div className="vital-field">
          <label htmlFor="vital-taken-at">Taken at</label>
          <input
            id="vital-taken-at"
            type="datetime-local"
            value={takenAt}
            onChange={(e) => {
              setTakenAt(e.target.value);
              setTimeEdited(true);
            }}
          />
          {issueFor('takenAt') && <p className="field-issue">{issueFor('takenAt')}</p>}
        </div>
        <p className="vital-field muted">
          SpO2 scale {scale}
          {scale === 2 ? ` (target ${SPO2_TARGET[2].text}, set by a doctor)` : ''}
        </p>
      </div>
      <FormError error={record.error} issues="none" />
      <span className="row-actions">
        <button type="submit" className="primary" disabled={record.isPending}>
          Save observations (Enter)
        </button>
      </span>
      {saved && !record.isPending && !record.error && (
        <p className={`news2-result ${responseClass(saved.news2Response)}`} role="status">
          Saved. NEWS2 {saved.news2Score} — {RESPONSE_WORDS[saved.news2Response]}
          {saved.flags.length > 0 ? `. Check: ${saved.flags.join(', ')} (unusual; re-measure if unsure).` : ''}
        </p>
      )}
    </form>
  );
}
