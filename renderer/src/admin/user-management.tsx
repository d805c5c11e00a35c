import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UserRow } from '../../../contract/index.js';
import { ROLE_NAMES, type RoleName } from '../../../contract/permissions.js';
import { FormError } from '../ui/form-error.js';
import { NoticeBox, type NoticeMessage } from '../ui/notice.js';
import { ROLE_LABELS } from '../ui/role-labels.js';
import { adminQueries, useCreateUser, useIssueResetCode, useSetUserActive, useSetUserRoles, useUnlockUser } from './queries.js';
import { UsersTable, type UserActions } from './users-table.js';
import { mutateThen } from '../client/channel-query.js';

function RoleChoices({ value, onChange, idPrefix }: { value: RoleName[]; onChange(roles: RoleName[]): void; idPrefix: string }) {
  return (
    <fieldset className="role-choices">
      <legend>Roles</legend>
      {ROLE_NAMES.map((role) => (
        <label key={role} className="choice" htmlFor={`${idPrefix}-${role}`}>
          <input
            id={`${idPrefix}-${role}`}
            type="checkbox"
            checked={value.includes(role)}
            onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          {ROLE_LABELS[role]}
        </label>
      ))}
    </fieldset>
  );
}

const knownRoles = (roles: string[]) => roles.filter((r): r is RoleName => (ROLE_NAMES as readonly string[]).includes(r));
const shortTime = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeStyle: 'short' });

/** Users: list, create (with a one-time code for the first password), roles, deactivate, unlock. */
export function UserManagement() {
  const users = useQuery(adminQueries.users());
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [editing, setEditing] = useState<{ user: UserRow; roles: RoleName[] } | null>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<RoleName[]>([]);
  const setActive = useSetUserActive();
  const unlock = useUnlockUser();
  const setUserRoles = useSetUserRoles();
  const issueCode = useIssueResetCode();
  const create = useCreateUser();

  /** Each row action tells its outcome in the notice. */
  const outcome = (done: string) => ({
    onSuccess: () => setNotice({ kind: 'ok', text: done }),
    onError: (error: Error) => setNotice({ kind: 'error', text: error.message }),
  });
  const actions: UserActions = {
    onToggleActive: (user) =>
      mutateThen(
        setActive,
        { userId: user.userId, active: !user.isActive },
        outcome(`${user.displayName} ${user.isActive ? 'deactivated and signed out everywhere' : 'reactivated'}.`),
      ),
    onUnlock: (user) => mutateThen(unlock, { userId: user.userId }, outcome(`${user.displayName} can sign in again.`)),
    onEditRoles: (user) => setEditing({ user, roles: knownRoles(user.roles) }),
    onResetCode: (user) =>
      mutateThen(
        issueCode,
        { userId: user.userId },
        {
          onSuccess: (code) =>
            setNotice({
              kind: 'code',
              text: `One-time reset code for ${user.displayName} (valid until ${shortTime(code.expiresAt)}, shown only now):`,
              code: code.token,
            }),
          onError: (error) => setNotice({ kind: 'error', text: error.message }),
        },
      ),
  };

  function submitNewUser(event: FormEvent) {
    event.preventDefault();
    mutateThen(
      create,
      { email, displayName, roles },
      {
        onSuccess: (created) => {
          setNotice({
            kind: 'code',
            text: `${displayName} was created. Give them this one-time code to set their password (valid 30 minutes, shown only now):`,
            code: created.resetCode.token,
          });
          setEmail('');
          setDisplayName('');
          setRoles([]);
        },
      },
    );
  }

  function saveRoles(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    mutateThen(
      setUserRoles,
      { userId: editing.user.userId, roles: editing.roles },
      outcome(`Roles of ${editing.user.displayName} saved; they will sign in again.`),
    );
    setEditing(null);
  }

  return (
    <section aria-labelledby="users-title" className="admin-section">
      <h2 id="users-title">Users</h2>
      <NoticeBox
        notice={notice ?? (users.isError ? { kind: 'error', text: users.error.message } : null)}
        onDismiss={() => setNotice(null)}
      />
      {/* "Locked" is as of the list's last read (read again after every change). */}
      <UsersTable users={users.data ?? []} actions={actions} now={users.dataUpdatedAt} />
      {editing && (
        <form className="inline-editor" onSubmit={saveRoles} aria-label={`Roles of ${editing.user.displayName}`}>
          <p>
            Roles of <strong>{editing.user.displayName}</strong>
          </p>
          <RoleChoices value={editing.roles} onChange={(r) => setEditing({ ...editing, roles: r })} idPrefix="edit-role" />
          <button type="submit" className="primary">
            Save roles
          </button>
          <button type="button" className="link-button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      )}
      <form className="new-user" onSubmit={submitNewUser} aria-labelledby="new-user-title">
        <h3 id="new-user-title">New user</h3>
        <div className="field-grid">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          <label htmlFor="new-user-email">Email</label>
          <input id="new-user-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <RoleChoices value={roles} onChange={setRoles} idPrefix="new-role" />
        <FormError error={create.error} />
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
    </section>
  );
}
