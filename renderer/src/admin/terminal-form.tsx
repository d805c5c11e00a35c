import { useEffect, useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import type { TerminalIdentity } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';
import { departmentsOf } from '../scheduling/departments.js';

const ROLES: { value: TerminalIdentity['role']; label: string }[] = [
  { value: 'ward', label: 'Ward (locks soonest)' },
  { value: 'pharmacy', label: 'Pharmacy' },
  { value: 'front_desk', label: 'Front desk' },
  { value: 'office', label: 'Office / other' },
];

/** This workstation's name (in the audit trail) and kind (its idle lock). */
export function TerminalForm() {
  const [terminal, setTerminal] = useState<TerminalIdentity | null>(null);
  const [error, setError] = useState<ClinicError | null>(null);
  const [saved, setSaved] = useState(false);
  const [departments, setDepartments] = useState<[number, string][]>([]);
  useEffect(() => {
    void call('settings/get-database', {}).then((r) => (r.ok ? setTerminal(r.value.terminal) : setError(r.error)));
    void call('scheduling/list-doctors', {}).then((r) => {
      if (r.ok) setDepartments(departmentsOf(r.value));
    });
  }, []);
  if (!terminal) return null;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setError(null);
    const result = await call('settings/save-terminal', terminal!);
    if (result.ok) setSaved(true);
    else setError(result.error);
  }

  return (
    <form className="admin-section settings-form" onSubmit={save} aria-labelledby="terminal-title">
      <h2 id="terminal-title">This workstation</h2>
      <div className="field-grid">
        <label htmlFor="terminal-name">Name</label>
        <input id="terminal-name" value={terminal.name} onChange={(e) => setTerminal({ ...terminal, name: e.target.value })} />
        <label htmlFor="terminal-role">Stands in</label>
        <select id="terminal-role" value={terminal.role} onChange={(e) => setTerminal({ ...terminal, role: ROLES.find((r) => r.value === e.target.value)?.value ?? terminal.role })}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        {terminal.role === 'front_desk' && (
          <>
            <label htmlFor="terminal-department">Books for</label>
            <select id="terminal-department" value={terminal.departmentId ?? ''} onChange={(e) => setTerminal({ ...terminal, departmentId: e.target.value ? Number(e.target.value) : null })}>
              <option value="">Every department</option>
              {departments.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {terminal.role === 'front_desk' && <p className="muted">A front desk keeps this department's book (two weeks) sealed on disk, so it can go on booking when the hospital database is down.</p>}
      {error && <p className="form-error" role="alert">{error.issues ? error.issues.map((i) => i.message).join(' ') : error.message}</p>}
      {saved && <p className="form-ok" role="status">Saved. It applies the next time the workstation starts.</p>}
      <button type="submit" className="primary">Save workstation</button>
    </form>
  );
}
