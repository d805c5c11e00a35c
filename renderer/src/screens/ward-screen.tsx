import { useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import type { PatientSummary } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';
import { useSession } from '../stores/session-store.js';

/** Ward: open a patient by hospital number. Clinicians see the chart (audited); others demographics. */
export function WardScreen() {
  const clinical = useSession((s) => s.session?.user.permissions.includes('medical_records.read') ?? false);
  const [patientId, setPatientId] = useState('');
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const [error, setError] = useState<ClinicError | null>(null);

  async function open(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setPatient(null);
    setHistory(null);
    const id = Number(patientId);
    if (clinical) {
      const result = await call('patients/open-chart', { patientId: id });
      if (!result.ok) return setError(result.error);
      setPatient(result.value.patient);
      setHistory(result.value.medicalHistory);
    } else {
      const result = await call('patients/get-patient', { patientId: id });
      if (!result.ok) return setError(result.error);
      setPatient(result.value);
    }
  }

  return (
    <section className="panel" aria-labelledby="ward-title">
      <h1 id="ward-title">Ward</h1>
      <form className="inline-form" onSubmit={open}>
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
          {clinical && (
            <>
              <dt>Medical history</dt>
              <dd className="history">{history ?? 'None recorded'}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
