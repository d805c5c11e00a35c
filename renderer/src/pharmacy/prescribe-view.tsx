import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PatientSearchResult } from '../../../contract/index.js';
import { channelQuery } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { PrescribePanel } from './prescribe-panel.js';

/** Prescribing from the Pharmacy screen: find the patient (name, birth date or #number), then the panel. */
export function PrescribeView() {
  const [text, setText] = useState('');
  const [asked, setAsked] = useState('');
  const [patient, setPatient] = useState<PatientSearchResult | null>(null);
  const search = useQuery({
    ...channelQuery('patients/search-patients', { query: asked, limit: 10, wider: true }),
    enabled: asked.length >= 2,
  });
  return (
    <div className="prescribe-view">
      <form
        className="inline-form no-print"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(text.trim());
        }}
      >
        <label htmlFor="prescribe-patient">Patient</label>
        <input
          id="prescribe-patient"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="name, birth date or #number"
          autoFocus={!patient}
        />
        <button type="submit">Find</button>
      </form>
      <FormError error={search.error} />
      {search.data && !patient && (
        <ul className="plain-list patient-choices" aria-label="Matching patients">
          {search.data.map((p) => (
            <li key={p.patientId}>
              <button type="button" className="link-button" onClick={() => setPatient(p)}>
                {p.lastName}, {p.firstName} — #{p.patientId}, born {p.dateOfBirth}
              </button>
            </li>
          ))}
          {search.data.length === 0 && <li className="muted">No patient found.</li>}
        </ul>
      )}
      {patient && (
        <>
          <p>
            Prescribing for{' '}
            <strong>
              {patient.lastName}, {patient.firstName}
            </strong>{' '}
            #{patient.patientId}, born {patient.dateOfBirth}{' '}
            <button type="button" className="link-button" onClick={() => setPatient(null)}>
              another patient
            </button>
          </p>
          <PrescribePanel key={patient.patientId} patientId={patient.patientId} />
        </>
      )}
    </div>
  );
}
