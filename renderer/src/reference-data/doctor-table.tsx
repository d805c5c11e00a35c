import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Department, DoctorRecord, UserRow } from '../../../contract/index.js';
import { mutateThen } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { AccountSelect, accountsOffered, linkChange } from './account-link.js';
import { DepartmentSelect } from './department-select.js';
import { PersonNameCell } from './person-name-cell.js';
import { useNewRow } from './use-new-row.js';
import { referenceQueries, useReferenceSave } from './queries.js';

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hoursText = (d: DoctorRecord | null) => (d?.hours ?? []).map((h) => `${DAYS[h.isoWeekday]} ${h.startTime}–${h.endTime}`).join('; ');

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

interface DoctorDraft {
  doctorId?: number;
  firstName: string;
  lastName: string;
  specialization: string | null;
  departmentId: number | null;
  licenseNumber: string | null;
  contactNumber: string | null;
  email: string | null;
  slotMinutes: number;
  isActive: boolean;
  /** Sent only when chosen here: left out, the server keeps the account link it has. */
  userId?: string | null;
}

/** What a row's Save sends: the doctor (with the week, in one transaction), or only the week when nothing else changed. */
type DoctorSave = { details: DoctorDraft; hours: string | null } | { hoursOnly: { doctorId: number; hours: string } };

/**
 * Doctors: specialization, department, licence, slot length, the sign-in account they prescribe from,
 * active, and weekly hours (one line); the last row adds a doctor. A new doctor's account is how they
 * prescribe: the pharmacy reads the doctor from the account.
 */
export function DoctorTable({
  doctors,
  departments,
  onSaved,
}: {
  doctors: DoctorRecord[];
  departments: Department[];
  onSaved(message: string): void;
}) {
  const accounts = useQuery(referenceQueries.accounts());
  const save = useReferenceSave('reference/save-doctor');
  const saveHours = useReferenceSave('reference/set-doctor-hours');
  // A doctor prescribes from an account with the doctor role: only those are offered (and the one linked now).
  const offered = accountsOffered(
    accounts.data?.filter((a) => a.roles.includes('doctor')),
    doctors.map((d) => ({ id: d.doctorId, userId: d.userId })),
  );
  const accountsFor = (doctor: DoctorRecord | null) => {
    const linked = doctor && accounts.data?.find((a) => a.userId === doctor.userId && !a.roles.includes('doctor'));
    return linked ? [linked, ...offered(doctor.doctorId)] : offered(doctor?.doctorId ?? null);
  };
  const newRow = useNewRow();
  const onSave = (change: DoctorSave, name: string) => {
    // Only this save's refusal stays on screen.
    save.reset();
    saveHours.reset();
    const done = () => onSaved(`${name} saved.`);
    if ('hoursOnly' in change)
      return mutateThen(saveHours, { ...change.hoursOnly, hours: parseHours(change.hoursOnly.hours) }, { onSuccess: done });
    const { details, hours } = change;
    mutateThen(
      save,
      { ...details, ...(hours === null ? {} : { hours: parseHours(hours) }) },
      { onSuccess: () => (done(), details.doctorId === undefined && newRow.startAfresh()) },
    );
  };
  return (
    <section aria-labelledby="ref-doctors">
      <h2 id="ref-doctors">Doctors and weekly hours</h2>
      <table className="data-table" aria-labelledby="ref-doctors">
        <thead>
          <tr>
            <th>Doctor</th>
            <th>Specialization</th>
            <th>Department</th>
            <th>Licence</th>
            <th>Slot (min)</th>
            <th>Sign-in account</th>
            <th>Active</th>
            <th>Weekly hours (e.g. Mon 08:00-12:00; Mon 13:00-17:00)</th>
            <th>
              <span className="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {doctors.map((d) => (
            // Keyed by what the server holds: a change saved elsewhere resets the row, never saved back over.
            <DoctorRow
              key={`${d.doctorId}:${d.specialization}:${d.departmentId}:${d.licenseNumber}:${d.slotMinutes}:${d.userId}:${d.isActive}:${hoursText(d)}`}
              doctor={d}
              departments={departments}
              accounts={accountsFor(d)}
              saving={save.isPending || saveHours.isPending}
              onSave={onSave}
            />
          ))}
          <DoctorRow
            key={newRow.key}
            doctor={null}
            departments={departments}
            accounts={accountsFor(null)}
            saving={save.isPending || saveHours.isPending}
            onSave={onSave}
          />
        </tbody>
      </table>
      <FormError error={save.error ?? saveHours.error ?? accounts.error} />
    </section>
  );
}

function DoctorRow({
  doctor,
  departments,
  accounts,
  saving,
  onSave,
}: {
  doctor: DoctorRecord | null;
  departments: Department[];
  accounts: UserRow[];
  saving: boolean;
  onSave(change: DoctorSave, name: string): void;
}) {
  const [firstName, setFirstName] = useState(doctor?.firstName ?? '');
  const [lastName, setLastName] = useState(doctor?.lastName ?? '');
  const [specialization, setSpecialization] = useState(doctor?.specialization ?? '');
  const [departmentId, setDepartmentId] = useState(doctor?.departmentId ?? null);
  const [licenseNumber, setLicenseNumber] = useState(doctor?.licenseNumber ?? '');
  const [slotMinutes, setSlotMinutes] = useState(String(doctor?.slotMinutes ?? 15));
  const [userId, setUserId] = useState(doctor?.userId ?? null);
  const [isActive, setActive] = useState(doctor?.isActive ?? true);
  const [hours, setHours] = useState(hoursText(doctor));
  // "Dr": a doctor who is also on the staff list has a row of each, and their controls need names of their own.
  const name = doctor ? `Dr ${doctor.firstName} ${doctor.lastName}` : 'the new doctor';
  const optional = (text: string) => text.trim() || null;
  return (
    <tr>
      <PersonNameCell
        saved={doctor}
        newWhat="the new doctor"
        firstName={firstName}
        lastName={lastName}
        onFirstName={setFirstName}
        onLastName={setLastName}
      />
      <td>
        <input
          aria-label={`Specialization of ${name}`}
          value={specialization}
          onChange={(e) => setSpecialization(e.target.value)}
          maxLength={100}
        />
      </td>
      <td>
        <DepartmentSelect label={`Department of ${name}`} departments={departments} value={departmentId} onChange={setDepartmentId} />
      </td>
      <td>
        <input
          aria-label={`Licence number of ${name}`}
          value={licenseNumber}
          onChange={(e) => setLicenseNumber(e.target.value)}
          maxLength={50}
        />
      </td>
      <td>
        <input
          aria-label={`Slot minutes of ${name}`}
          type="number"
          min={5}
          max={240}
          value={slotMinutes}
          onChange={(e) => setSlotMinutes(e.target.value)}
        />
      </td>
      <td>
        <AccountSelect label={`Sign-in account of ${name}`} accounts={accounts} value={userId} onChange={setUserId} />
      </td>
      <td>
        <input type="checkbox" aria-label={`${name} is active`} checked={isActive} onChange={(e) => setActive(e.target.checked)} />
      </td>
      <td className="hours-cell">
        <input aria-label={`Weekly hours of ${name}`} value={hours} onChange={(e) => setHours(e.target.value)} />
      </td>
      <td>
        <button
          type="button"
          disabled={saving}
          aria-label={doctor ? `Save ${name}` : 'Add the new doctor'}
          onClick={() => {
            const details: DoctorDraft = {
              ...(doctor ? { doctorId: doctor.doctorId } : {}),
              firstName: doctor?.firstName ?? firstName.trim(),
              lastName: doctor?.lastName ?? lastName.trim(),
              specialization: optional(specialization),
              departmentId,
              licenseNumber: optional(licenseNumber),
              contactNumber: doctor?.contactNumber ?? null,
              email: doctor?.email ?? null,
              slotMinutes: Number(slotMinutes),
              isActive,
              ...linkChange(userId, doctor?.userId),
            };
            const week = hours !== hoursText(doctor) ? hours : null;
            const unchanged =
              doctor !== null &&
              details.userId === undefined &&
              details.specialization === doctor.specialization &&
              details.departmentId === doctor.departmentId &&
              details.licenseNumber === doctor.licenseNumber &&
              details.slotMinutes === doctor.slotMinutes &&
              details.isActive === doctor.isActive;
            onSave(
              unchanged && week !== null ? { hoursOnly: { doctorId: doctor.doctorId, hours: week } } : { details, hours: week },
              doctor ? name : `Dr ${firstName.trim()} ${lastName.trim()}`,
            );
          }}
        >
          {doctor ? 'Save' : 'Add'}
        </button>
      </td>
    </tr>
  );
}
