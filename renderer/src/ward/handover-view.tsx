import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { HandoverPatient } from '../../../contract/index.js';
import { useSession } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { marTime } from './mar-table.js';
import { printedAt, RESPONSE_WORDS, responseClass } from './news2-display.js';
import { usePrintMode } from './print-mode.js';
import { wardQueries } from './queries.js';
import { useWard } from './ward-store.js';

/** The nurse's own words per patient, kept while the screen is open (printed, not stored). */
type Added = Record<number, string>;

/**
 * The shift handover: per occupied bed an SBAR block prefilled by the server (bed and stay,
 * allergies and medicines, last observations, NEWS2, doses due and missed, last notes); the nurse
 * adds the recommendation. Printed on A4 for the whole ward (ward.css).
 */
export function HandoverView() {
  const departmentId = useWard((s) => s.departmentId);
  const handover = useQuery(wardQueries.handover(departmentId));
  const user = useSession((s) => s.session?.user.displayName);
  const [added, setAdded] = useState<Added>({});
  usePrintMode('handover');
  if (handover.isError) return <FormError error={handover.error} />;
  if (!handover.data) return <p className="muted">Preparing the handover…</p>;
  const h = handover.data;
  return (
    <div className="handover-sheet" data-testid="handover">
      <header className="handover-head">
        <h2>Handover — {h.departmentName}</h2>
        <p>
          Prepared {printedAt(h.takenAt)} by {user ?? '—'} · {h.patients.length} patient(s)
        </p>
        <button type="button" className="primary no-print" onClick={() => window.print()}>
          Print handover (A4)
        </button>
      </header>
      {h.patients.length === 0 && <p className="muted">No patients on this ward.</p>}
      {h.patients.map((p) => (
        <SbarBlock
          key={p.patientId}
          patient={p}
          text={added[p.patientId] ?? p.recommendation}
          onText={(t) => setAdded((a) => ({ ...a, [p.patientId]: t }))}
        />
      ))}
    </div>
  );
}

function SbarBlock({ patient, text, onText }: { patient: HandoverPatient; text: string; onText(text: string): void }) {
  const { situation: s, background: b, assessment: a } = patient;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const obs = a.lastObservation;
  return (
    <article className="sbar" aria-labelledby={`sbar-${patient.patientId}`}>
      <h3 id={`sbar-${patient.patientId}`}>
        {s.roomNumber}/{s.bedNumber} · {s.name}, {s.ageYears} y · day {s.daysSinceAdmission + 1}
        {a.news2 && <span className={responseClass(a.news2.response)}> NEWS2 {a.news2.score}</span>}
      </h3>
      <dl className="sbar-grid">
        <dt>S — Situation</dt>
        <dd>{s.reason ?? 'Reason for admission not recorded.'}</dd>
        <dt>B — Background</dt>
        <dd>
          <strong>Allergies:</strong> {b.allergies.length ? b.allergies.join('; ') : 'none known'}. <strong>Medicines:</strong>{' '}
          {b.activeMedicines.length ? b.activeMedicines.map((m) => `${m.medicineName} ${m.dose} ${m.frequencyText}`).join('; ') : 'none'}.
        </dd>
        <dt>A — Assessment</dt>
        <dd>
          {obs ? (
            <>
              Last observations {marTime(obs.takenAt, zone)}: RR {obs.respirationRate}, SpO2 {obs.spo2} % ({obs.onOxygen ? 'O2' : 'air'}),
              BP {obs.systolicBp}, pulse {obs.pulse}, {obs.consciousness}, {obs.temperature.toFixed(1)} °C
              {a.news2 ? ` — NEWS2 ${a.news2.score}, ${RESPONSE_WORDS[a.news2.response]}` : ''}.
            </>
          ) : (
            'No observations recorded.'
          )}
          {a.dosesDue.length > 0 && (
            <div>Due: {a.dosesDue.map((d) => `${d.medicineName} ${d.dose} ${marTime(d.scheduledFor, zone)}`).join('; ')}.</div>
          )}
          {a.dosesMissed.length > 0 && (
            <div className="warn">
              Missed: {a.dosesMissed.map((d) => `${d.medicineName} ${d.dose} ${marTime(d.scheduledFor, zone)}`).join('; ')}.
            </div>
          )}
          {a.lastNotes.length > 0 && (
            <ul className="sbar-notes">
              {a.lastNotes.map((n) => (
                <li key={n.noteId}>
                  {marTime(n.writtenAt, zone)} {n.author}: {n.text}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>
          <label htmlFor={`sbar-r-${patient.patientId}`}>R — Recommendation</label>
        </dt>
        <dd>
          <textarea id={`sbar-r-${patient.patientId}`} rows={2} maxLength={2000} value={text} onChange={(e) => onText(e.target.value)} />
          <p className="print-only sbar-print-text">{text || '—'}</p>
        </dd>
      </dl>
    </article>
  );
}
