import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Department, DoctorRecord } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { referenceQueries, useReferenceSave } from './queries.js';
import { StaffTable } from './staff-table.js';
import { mutateThen } from '../client/channel-query.js';

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hoursText = (d: DoctorRecord) => d.hours.map((h) => `${DAYS[h.isoWeekday]} ${h.startTime}–${h.endTime}`).join('; ');

/** Parses "Mon 08:00-12:00; Tue 13:00-17:00" into shifts; the contract checks each one. */
function parseHours(text: string) {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [, day = '', start = '', end = ''] = /^(\w{3})\s+(\d\d:\d\d)\s*[-–]\s*(\d\d:\d\d)$/.exec(part) ?? [];
      return { isoWeekday: DAYS.indexOf(day), startTime: start, endTime: end };
    });
}

/** Doctors with their weekly hours, and staff (users.manage); each doctor's hours are edited as one line. */
export function PeopleTables({ departments, onSaved }: { departments: Department[]; onSaved(message: string): void }) {
  const allowed = useCan('users.manage');
  const people = useQuery({ ...referenceQueries.people(), enabled: allowed });
  if (!allowed) return null;
  return (
    <>
      <FormError error={people.error} />
      <section aria-labelledby="ref-doctors">
        <h2 id="ref-doctors">Doctors and weekly hours</h2>
        <table className="data-table" aria-labelledby="ref-doctors">
          <thead>
            <tr>
              <th>Doctor</th>
              <th>Specialization</th>
              <th>Slot</th>
              <th>Weekly hours (e.g. Mon 08:00-12:00; Mon 13:00-17:00)</th>
              <th>
                <span className="visually-hidden">Save</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.data?.doctors.map((d) => (
              <DoctorRow key={d.doctorId} doctor={d} onSaved={onSaved} />
            ))}
          </tbody>
        </table>
      </section>
      {people.data && <StaffTable staff={people.data.staff} departments={departments} onSaved={onSaved} />}
    </>
  );
}

function DoctorRow({ doctor, onSaved }: { doctor: DoctorRecord; onSaved(message: string): void }) {
  const [text, setText] = useState(hoursText(doctor));
  const save = useReferenceSave('reference/set-doctor-hours');
  const name = `${doctor.firstName} ${doctor.lastName}`;
  return (
    <tr>
      <td>{name}</td>
      <td>{doctor.specialization ?? ''}</td>
      <td>{doctor.slotMinutes} min</td>
      <td>
        <input aria-label={`Weekly hours of ${name}`} value={text} onChange={(e) => setText(e.target.value)} />
        <FormError error={save.error} />
      </td>
      <td>
        <button
          type="button"
          aria-label={`Save the hours of ${name}`}
          onClick={() =>
            mutateThen(
              save,
              { doctorId: doctor.doctorId, hours: parseHours(text) },
              { onSuccess: () => onSaved(`Hours of ${name} saved.`) },
            )
          }
        >
          Save
        </button>
      </td>
    </tr>
  );
}
