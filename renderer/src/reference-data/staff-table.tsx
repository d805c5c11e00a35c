import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Department, StaffMember, UserRow } from '../../../contract/index.js';
import { STAFF_ROLES } from '../../../contract/index.js';
import { mutateThen } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { AccountSelect, accountsOffered, linkChange } from './account-link.js';
import { DepartmentSelect } from './department-select.js';
import { PersonNameCell } from './person-name-cell.js';
import { useNewRow } from './use-new-row.js';
import { referenceQueries, useReferenceSave } from './queries.js';

type StaffRole = (typeof STAFF_ROLES)[number];
const roleOf = (value: string): StaffRole => STAFF_ROLES.find((r) => r === value) ?? 'nurse';

/**
 * Staff: role, department, the sign-in account that is this person, active. The account's ward and
 * patients follow the department of its staff row, so linking one is how a new nurse gets her ward.
 */
export function StaffTable({
  staff,
  departments,
  onSaved,
}: {
  staff: StaffMember[];
  departments: Department[];
  onSaved(message: string): void;
}) {
  const accounts = useQuery(referenceQueries.accounts());
  const save = useReferenceSave('reference/save-staff');
  const accountsFor = accountsOffered(
    accounts.data,
    staff.map((s) => ({ id: s.staffId, userId: s.userId })),
  );
  const newRow = useNewRow();
  const onSave = (input: StaffDraft, name: string) =>
    mutateThen(save, input, { onSuccess: () => (onSaved(`${name} saved.`), input.staffId === undefined && newRow.startAfresh()) });
  return (
    <section aria-labelledby="ref-staff">
      <h2 id="ref-staff">Staff</h2>
      <table className="data-table" aria-labelledby="ref-staff">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Department</th>
            <th>Sign-in account</th>
            <th>Active</th>
            <th>
              <span className="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            // Keyed by what the server holds: a change saved elsewhere resets the row, never saved back over.
            <StaffRow
              key={`${s.staffId}:${s.role}:${s.departmentId}:${s.userId}:${s.isActive}`}
              member={s}
              departments={departments}
              accounts={accountsFor(s.staffId)}
              saving={save.isPending}
              onSave={onSave}
            />
          ))}
          <StaffRow
            key={newRow.key}
            member={null}
            departments={departments}
            accounts={accountsFor(null)}
            saving={save.isPending}
            onSave={onSave}
          />
        </tbody>
      </table>
      <FormError error={save.error ?? accounts.error} />
    </section>
  );
}

interface StaffDraft {
  staffId?: number;
  firstName: string;
  lastName: string;
  role: StaffRole;
  departmentId: number | null;
  contactNumber: string | null;
  email: string | null;
  hireDate: string | null;
  isActive: boolean;
  /** Sent only when chosen here: left out, the server keeps the account link it has. */
  userId?: string | null;
}

function StaffRow({
  member,
  departments,
  accounts,
  saving,
  onSave,
}: {
  member: StaffMember | null;
  departments: Department[];
  accounts: UserRow[];
  saving: boolean;
  onSave(input: StaffDraft, name: string): void;
}) {
  const [firstName, setFirstName] = useState(member?.firstName ?? '');
  const [lastName, setLastName] = useState(member?.lastName ?? '');
  const [role, setRole] = useState<StaffRole>(member?.role ?? 'nurse');
  const [departmentId, setDepartmentId] = useState(member?.departmentId ?? null);
  const [userId, setUserId] = useState(member?.userId ?? null);
  const [isActive, setActive] = useState(member?.isActive ?? true);
  const name = member ? `${member.firstName} ${member.lastName}` : 'the new member of staff';
  return (
    <tr>
      <PersonNameCell
        saved={member}
        newWhat="the new member of staff"
        firstName={firstName}
        lastName={lastName}
        onFirstName={setFirstName}
        onLastName={setLastName}
      />
      <td>
        <select aria-label={`Role of ${name}`} value={role} onChange={(e) => setRole(roleOf(e.target.value))}>
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {r.replace('_', ' ')}
            </option>
          ))}
        </select>
      </td>
      <td>
        <DepartmentSelect label={`Department of ${name}`} departments={departments} value={departmentId} onChange={setDepartmentId} />
      </td>
      <td>
        <AccountSelect label={`Sign-in account of ${name}`} accounts={accounts} value={userId} onChange={setUserId} />
      </td>
      <td>
        <input type="checkbox" aria-label={`${name} is active`} checked={isActive} onChange={(e) => setActive(e.target.checked)} />
      </td>
      <td>
        <button
          type="button"
          disabled={saving}
          aria-label={member ? `Save ${name}` : 'Add the new member of staff'}
          onClick={() =>
            onSave(
              {
                ...(member ? { staffId: member.staffId } : {}),
                firstName: member?.firstName ?? firstName.trim(),
                lastName: member?.lastName ?? lastName.trim(),
                role,
                departmentId,
                contactNumber: member?.contactNumber ?? null,
                email: member?.email ?? null,
                hireDate: member?.hireDate ?? null,
                isActive,
                ...linkChange(userId, member?.userId),
              },
              member ? name : `${firstName.trim()} ${lastName.trim()}`,
            )
          }
        >
          {member ? 'Save' : 'Add'}
        </button>
      </td>
    </tr>
  );
}
