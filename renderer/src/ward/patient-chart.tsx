import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Bed, Observation } from '../../../contract/index.js';
import { AllergyRecord, PrescribePanel } from '../pharmacy/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { RESPONSE_WORDS, responseClass, shortTime } from './news2-display.js';
import { wardQueries } from './queries.js';
import { VitalsForm } from './vitals-form.js';
import { VitalsTrends } from './vitals-trends.js';
import { ObservationTable } from './observation-table.js';
import { ChartExtras } from './chart-extras.js';
import { SaturationScalePanel } from './saturation-scale.js';

/**
 * One patient at the bedside: who they are and their allergies, the latest NEWS2, the vitals form,
 * 72 hours of trends (charts, then the readings), and the MAR and notes.
 */
export function PatientChart({
  patientId,
  bed,
  onBack,
  onWristband,
}: {
  patientId: number;
  bed: Bed | null;
  onBack(): void;
  onWristband(): void;
}) {
  const clinical = useCan('medical_records.read');
  const canRecord = useCan('medical_records.write');
  const canPrescribe = useCan('prescriptions.write');
  const canRecordAllergy = useCan('allergies.write');
  const chart = useQuery({ ...wardQueries.chart(patientId), enabled: clinical });
  const summary = useQuery({ ...wardQueries.patient(patientId), enabled: !clinical });
  const observations = useQuery({ ...wardQueries.observations(patientId), enabled: clinical });
  const allergies = useQuery(wardQueries.allergies(patientId));
  const patient = clinical ? chart.data?.patient : summary.data;
  const latest = observations.data?.find((o) => !o.enteredInError);
  const saturationScale = useQuery({ ...wardQueries.saturationScale(patientId), enabled: clinical });
  // A reading being corrected from the table: the vitals form starts from it.
  const [correcting, setCorrecting] = useState<Observation | null>(null);

  return (
    <section className="patient-chart" aria-labelledby="chart-title">
      <header className="chart-header">
        <div>
          <h2 id="chart-title">{patient ? `${patient.lastName}, ${patient.firstName}` : `Patient #${patientId}`}</h2>
          {patient && (
            <p className="muted">
              #{patient.patientId} · born {patient.dateOfBirth}
              {bed ? ` · bed ${bed.roomNumber}/${bed.bedNumber} · day ${(bed.patient?.daysSinceAdmission ?? 0) + 1}` : ''}
            </p>
          )}
        </div>
        {latest && (
          <p className={`chart-news2 ${responseClass(latest.news2Response)}`} data-testid="chart-news2">
            NEWS2 <strong>{latest.news2Score}</strong> · {RESPONSE_WORDS[latest.news2Response]}
            <span className="muted"> · {shortTime(latest.takenAt)}</span>
          </p>
        )}
        <span className="row-actions no-print">
          <button type="button" onClick={onWristband}>
            Wristband <ShortcutHint keys="Alt+W" />
          </button>
          <button type="button" onClick={onBack}>
            Back to the board <ShortcutHint keys="Esc" />
          </button>
        </span>
      </header>
      <FormError error={chart.error ?? summary.error} />
      <div
        className={allergies.data && allergies.data.length > 0 ? 'allergy-box has-allergy' : 'allergy-box'}
        aria-label="Allergies"
        role="region"
      >
        {allergies.isError ? (
          <span>Allergies could not be read: {allergies.error.message}</span>
        ) : !allergies.data ? (
          <span className="muted">Reading allergies…</span>
        ) : allergies.data.length === 0 ? (
          <span>No known allergies recorded.</span>
        ) : (
          <span>
            <strong>⚠ Allergies:</strong>{' '}
            {allergies.data.map((a) => `${a.substance} (${a.severity}${a.reaction ? `, ${a.reaction}` : ''})`).join('; ')}
          </span>
        )}
      </div>
      {clinical && (
        <div className="chart-columns">
          <div>
            <SaturationScalePanel patientId={patientId} canDecide={canPrescribe} />
            {canRecord && (
              <VitalsForm
                key={correcting?.observationId ?? 'new'}
                patientId={patientId}
                scale={saturationScale.data?.scale ?? latest?.spo2Scale ?? 1}
                correcting={correcting}
                onCancelCorrection={() => setCorrecting(null)}
                onRecorded={() => setCorrecting(null)}
              />
            )}
            {canRecordAllergy && <AllergyRecord patientId={patientId} />}
            <ChartExtras patientId={patientId} />
            {canPrescribe && <PrescribePanel patientId={patientId} />}
          </div>
          <div>
            <h3>Trends, last 72 hours</h3>
            {observations.isError && <FormError error={observations.error} />}
            {observations.data && <VitalsTrends observations={observations.data} spo2Scale={saturationScale.data?.scale ?? 1} />}
            {observations.data && (
              <ObservationTable
                observations={observations.data}
                onCorrect={
                  canRecord
                    ? (o) => {
                        setCorrecting(o);
                        setTimeout(() => document.getElementById('vital-respirationRate')?.focus());
                      }
                    : undefined
                }
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
