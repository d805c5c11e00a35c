import type { Appointment, PatientSearchResult } from '../../../contract/schemas.js';
import { ageOn, shortDate, todayIso } from './dates.js';

/** Whose booking this is: enough to tell two Maria Garcias apart, and what they already have booked. */
export function PickedPatient({ patient, upcoming }: { patient: PatientSearchResult; upcoming: Appointment[] }) {
  return (
    <div className="picked-patient" aria-label="Chosen patient">
      <p>
        <strong>{patient.lastName}, {patient.firstName}</strong> {patient.patientId > 0 ? `#${patient.patientId}` : <span className="tag tag-queued">walk-in, saved on this terminal</span>}
        <br />
        <span className="muted">born {patient.dateOfBirth} ({ageOn(patient.dateOfBirth, todayIso())}) · {patient.contactNumber ?? 'no phone'}</span>
      </p>
      <h2 className="small-heading">Upcoming appointments</h2>
      {upcoming.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="upcoming">
          {upcoming.map((a) => (
            <li key={a.appointmentId}>
              {shortDate(a.date)} {a.time} · {a.doctorName} · {a.status}
              {a.queued && <span className="tag tag-queued">not yet sent</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
