import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ROLE_NAMES, type RoleName } from '../../../contract/permissions.js';
import type { ClinicError } from '../../../contract/errors.js';
import type { UserRow } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';
import { ROLE_LABELS } from '../role-labels.js';
import { UsersTable, type UserActions } from './users-table.js';


interface Notice {
  kind: 'ok' | 'error' | 'code';
  text: string;
  code?: string;
}

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

/** Users: list, create (with a one-time code for the first password), roles, deactivate, unlock. */
export function UserManagement() {
  const [users, setUsers] = useState<UserRow[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [editing, setEditing] = useState<{ user: UserRow; roles: RoleName[] } | null>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<RoleName[]>([]);
  const [formError, setFormError] = useState<ClinicError | null>(null);

  const reload = useCallback(async () => {
    const result = await call('users/list-users', {});
    if (result.ok) setUsers(result.value);
    else setNotice({ kind: 'error', text: result.error.message });
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const report = (result: { ok: true } | { ok: false; error: ClinicError }, done: string) => {
    setNotice(result.ok ? { kind: 'ok', text: done } : { kind: 'error', text: result.error.message });
    void reload();
  };

  const actions: UserActions = useMemo(
    () => ({
      onToggleActive: async (user) => report(await call('users/set-user-active', { userId: user.userId, active: !user.isActive }), `${user.displayName} ${user.isActive ? 'deactivated and signed out everywhere' : 'reactivated'}.`),
      onUnlock: async (user) => report(await call('users/unlock-user', { userId: user.userId }), `${user.displayName} can sign in again.`),
      onEditRoles: (user) => setEditing({ user, roles: user.roles.filter((r): r is RoleName => (ROLE_NAMES as readonly string[]).includes(r)) }),
      onResetCode: async (user) => {
        const result = await call('users/issue-reset-code', { userId: user.userId });
        setNotice(result.ok ? { kind: 'code', text: `One-time reset code for ${user.displayName} (valid until ${new Date(result.value.expiresAt).toLocaleTimeString('en-GB', { timeStyle: 'short' })}, shown only now):`, code: result.value.token } : { kind: 'error', text: result.error.message });
      },
    }),
    [reload],
  );

  async function create(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const result = await call('users/create-user', { email, displayName, roles });
    if (!result.ok) return setFormError(result.error);
    setNotice({ kind: 'code', text: `${displayName} was created. Give them this one-time code to set their password (valid 30 minutes, shown only now):`, code: result.value.resetCode.token });
    setEmail('');
    setDisplayName('');
    setRoles([]);
    void reload();
  }

  async function saveRoles(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    report(await call('users/set-user-roles', { userId: editing.user.userId, roles: editing.roles }), `Roles of ${editing.user.displayName} saved; they will sign in again.`);
    setEditing(null);
  }

  return (
    <section aria-labelledby="users-title" className="admin-section">
      <h2 id="users-title">Users</h2>
      {notice && (
        <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <p>{notice.text}</p>
          {notice.code && <code className="reset-code" data-testid="reset-code">{notice.code}</code>}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>Dismiss</button>
        </div>
      )}
      <UsersTable users={users} actions={actions} now={Date.now()} />
      {editing && (
        <form className="inline-editor" onSubmit={saveRoles} aria-label={`Roles of ${editing.user.displayName}`}>
          <p>
            Roles of <strong>{editing.user.displayName}</strong>
          </p>
          <RoleChoices value={editing.roles} onChange={(r) => setEditing({ ...editing, roles: r })} idPrefix="edit-role" />
          <button type="submit" className="primary">Save roles</button>
          <button type="button" className="link-button" onClick={() => setEditing(null)}>Cancel</button>
        </form>
      )}
      <form className="new-user" onSubmit={create} aria-labelledby="new-user-title">
        <h3 id="new-user-title">New user</h3>
        <div className="field-grid">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          <label htmlFor="new-user-email">Email</label>
          <input id="new-user-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <RoleChoices value={roles} onChange={setRoles} idPrefix="new-role" />
        {formError && (
          <p className="form-error" role="alert">
            {formError.issues ? formError.issues.map((i) => i.message).join(' ') : formError.message}
          </p>
        )}
        <button type="submit" className="primary">Create user</button>
      </form>
    </section>
  );
}
