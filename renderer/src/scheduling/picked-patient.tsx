import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PatientSearchResult } from '../../../contract/index.js';
import { useSession } from '../session/index.js';
import { ageOn, shortDate, todayIso } from './dates.js';
import { schedulingQueries } from './queries.js';
import { useScheduling } from './scheduling-store.js';

/** Whose booking this is: enough to tell two Maria Garcias apart, and what they already have booked. */
export function PickedPatient({ patient }: { patient: PatientSearchResult }) {
  const upcoming = useQuery(schedulingQueries.upcoming(patient.patientId));
  const appointments = upcoming.data ?? [];
  useForgetSentWalkIn(patient.patientId);
  return (
    <div className="picked-patient" aria-label="Chosen patient">
      <p>
        <strong>
          {patient.lastName}, {patient.firstName}
        </strong>{' '}
        {patient.patientId > 0 ? `#${patient.patientId}` : <span className="tag tag-queued">walk-in, saved on this terminal</span>}
        <br />
        <span className="muted">
          born {patient.dateOfBirth} ({ageOn(patient.dateOfBirth, todayIso())}) · {patient.contactNumber ?? 'no phone'}
        </span>
      </p>
      <h2 className="small-heading">Upcoming appointments</h2>
      {appointments.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="upcoming">
          {appointments.map((a) => (
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

/** Once what waited here has been sent, a walk-in's temporary number means nothing any more. */
function useForgetSentWalkIn(patientId: number) {
  const sent = useSession((s) => s.status?.database === 'connected' && s.status.waitingChanges === 0);
  const set = useScheduling((s) => s.set);
  useEffect(() => {
    if (patientId < 0 && sent)
      set({
        patient: null,
        notice:
          'What was saved on this terminal has been sent. Find the walk-in again by name (Alt+P); anything that clashed is under Needs attention.',
      });
  }, [patientId, sent, set]);
}
