import { useQuery } from '@tanstack/react-query';
import type { Department } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { DoctorTable } from './doctor-table.js';
import { referenceQueries } from './queries.js';
import { StaffTable } from './staff-table.js';

/** Doctors with their weekly hours, and staff (users.manage). */
export function PeopleTables({ departments, onSaved }: { departments: Department[]; onSaved(message: string): void }) {
  const allowed = useCan('users.manage');
  const people = useQuery({ ...referenceQueries.people(), enabled: allowed });
  if (!allowed) return null;
  return (
    <>
      <FormError error={people.error} />
      {people.data && <DoctorTable doctors={people.data.doctors} departments={departments} onSaved={onSaved} />}
      {people.data && <StaffTable staff={people.data.staff} departments={departments} onSaved={onSaved} />}
    </>
  );
}
