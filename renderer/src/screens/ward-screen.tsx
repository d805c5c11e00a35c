import { useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import type { PatientSummary } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';

/** Ward: look a patient up by hospital number. Bed board and charting arrive with the ward issue. */
export function WardScreen() {
  const [patientId, setPatientId] = useState('');
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [error, setError] = useState<ClinicError | null>(null);

  async function lookUp(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setPatient(null);
    const id = Number(patientId);
    const result = await call('patients/get-patient', { patientId: id });
    if (result.ok) setPatient(result.value);
    else setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="ward-title">
      <h1 id="ward-title">Ward</h1>
      <form className="inline-form" onSubmit={lookUp}>
        <label htmlFor="patient-id">Patient number</label>
        <input id="patient-id" inputMode="numeric" value={patientId} onChange={(e) => setPatientId(e.target.value.trim())} autoFocus />
        <button type="submit" className="primary">
          Open
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error.code === 'Validation' ? 'Enter a patient number (digits only).' : error.message}
        </p>
      )}
      {patient && (
        <dl className="patient-card" aria-label="Patient">
          <dt>Name</dt>
          <dd>
            {patient.lastName}, {patient.firstName}
          </dd>
          <dt>Patient number</dt>
          <dd>{patient.patientId}</dd>
          <dt>Date of birth</dt>
          <dd>{patient.dateOfBirth}</dd>
          <dt>Sex</dt>
          <dd>{patient.gender ?? '—'}</dd>
          <dt>Phone</dt>
          <dd>{patient.contactNumber ?? '—'}</dd>
        </dl>
      )}
    </section>
  );
}
