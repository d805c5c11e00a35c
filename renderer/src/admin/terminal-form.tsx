import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { TerminalIdentity } from '../../../contract/index.js';
import { departmentsOf, schedulingQueries } from '../scheduling/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { adminQueries, useSaveTerminal } from './queries.js';

const ROLES: { value: TerminalIdentity['role']; label: string }[] = [
  { value: 'ward', label: 'Ward (locks soonest)' },
  { value: 'pharmacy', label: 'Pharmacy' },
  { value: 'front_desk', label: 'Front desk' },
  { value: 'office', label: 'Office / other' },
];

/** This workstation's name (in the audit trail) and kind (its idle lock). */
export function TerminalForm() {
  // A failed read is told once, by the database connection form below (the same channel).
  const current = useQuery(adminQueries.workstation());
  if (!current.data) return null;
  return <WorkstationForm initial={current.data.terminal} />;
}

function WorkstationForm({ initial }: { initial: TerminalIdentity }) {
  const [terminal, setTerminal] = useState(initial);
  const departments = departmentsOf(useQuery(schedulingQueries.doctors()).data ?? []);
  const save = useSaveTerminal();

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(terminal);
  }

  return (
    <form className="admin-section settings-form" onSubmit={submit} aria-labelledby="terminal-title">
      <h2 id="terminal-title">This workstation</h2>
      <div className="field-grid">
        <label htmlFor="terminal-name">Name</label>
        <input id="terminal-name" value={terminal.name} onChange={(e) => setTerminal({ ...terminal, name: e.target.value })} />
        <label htmlFor="terminal-role">Stands in</label>
        <select
          id="terminal-role"
          value={terminal.role}
          onChange={(e) => setTerminal({ ...terminal, role: ROLES.find((r) => r.value === e.target.value)?.value ?? terminal.role })}
        >
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        {terminal.role === 'front_desk' && (
          <>
            <label htmlFor="terminal-department">Books for</label>
            <select
              id="terminal-department"
              value={terminal.departmentId ?? ''}
              onChange={(e) => setTerminal({ ...terminal, departmentId: e.target.value ? Number(e.target.value) : null })}
            >
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
      {terminal.role === 'front_desk' && (
        <p className="muted">
          A front desk keeps this department's book (two weeks) sealed on disk, so it can go on booking when the hospital database is down.
        </p>
      )}
      <FormError error={save.error} />
      {save.isSuccess && <Notice>Saved. It applies the next time the workstation starts.</Notice>}
      <button type="submit" className="primary">
        Save workstation
      </button>
    </form>
  );
}
