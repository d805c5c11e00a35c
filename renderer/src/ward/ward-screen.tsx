import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { wardQueries } from './queries.js';

/** Ward: open a patient by hospital number. Clinicians see the chart (audited); others demographics. */
export function WardScreen() {
  const clinical = useCan('medical_records.read');
  const [patientId, setPatientId] = useState('');
  // The number last opened (null: none yet); each Open reads again, as a new audited read.
  const [opened, setOpened] = useState<number | null>(null);
  const chart = useQuery({ ...wardQueries.chart(opened ?? 0), enabled: clinical && opened !== null });
  const summary = useQuery({ ...wardQueries.patient(opened ?? 0), enabled: !clinical && opened !== null });
  const shown = clinical ? chart : summary;
  const patient = clinical ? chart.data?.patient : summary.data;

  function open(event: FormEvent) {
    event.preventDefault();
    const id = Number(patientId);
    if (id === opened) void shown.refetch();
    else setOpened(id);
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
      <FormError
        error={shown.isFetching ? null : shown.error}
        text={(e) => (e.code === 'Validation' ? 'Enter a patient number (digits only).' : e.message)}
      />
      {patient && !shown.isError && !shown.isFetching && (
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
              <dd className="history">{chart.data?.medicalHistory ?? 'None recorded'}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
