import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { SecuritySettings } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { adminQueries, useSaveSecurity } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const TERMINALS: { role: keyof SecuritySettings['idleMinutes']; label: string }[] = [
  { role: 'ward', label: 'Ward terminals' },
  { role: 'pharmacy', label: 'Pharmacy terminals' },
  { role: 'front_desk', label: 'Front-desk terminals' },
  { role: 'office', label: 'Other terminals' },
];

/** Lockout, session limit and idle lock. Minutes are bounded: the idle lock cannot be switched off. */
export function SecuritySettingsForm() {
  const current = useQuery(adminQueries.security());
  if (current.isError) return <FormError error={current.error} issues="none" />;
  if (!current.data) return null;
  // The form starts from what was read, then keeps what the administrator types (a later read does not overwrite it).
  return <SecurityForm initial={current.data} />;
}

function SecurityForm({ initial }: { initial: SecuritySettings }) {
  const [settings, setSettings] = useState(initial);
  const save = useSaveSecurity();
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));

  function submit(event: FormEvent) {
    event.preventDefault();
    mutateThen(save, settings, { onSuccess: setSettings });
  }

  return (
    <form className="admin-section settings-form" onSubmit={submit} aria-labelledby="security-title">
      <h2 id="security-title">Sign-in and idle lock</h2>
      <div className="field-grid">
        <label htmlFor="lockout-threshold">Failed sign-ins before lockout</label>
        <input
          id="lockout-threshold"
          inputMode="numeric"
          value={String(settings.lockoutThreshold)}
          onChange={(e) => setSettings({ ...settings, lockoutThreshold: number(e.target.value) })}
        />
        <label htmlFor="lockout-minutes">Lockout (minutes)</label>
        <input
          id="lockout-minutes"
          inputMode="numeric"
          value={String(settings.lockoutMinutes)}
          onChange={(e) => setSettings({ ...settings, lockoutMinutes: number(e.target.value) })}
        />
        <label htmlFor="session-hours">Longest session (hours, at most 12)</label>
        <input
          id="session-hours"
          inputMode="numeric"
          value={String(settings.sessionMaxHours)}
          onChange={(e) => setSettings({ ...settings, sessionMaxHours: number(e.target.value) })}
        />
        {TERMINALS.map(({ role, label }) => (
          <span key={role} className="contents">
            <label htmlFor={`idle-${role}`}>{label}: lock after (minutes, 1–60)</label>
            <input
              id={`idle-${role}`}
              inputMode="numeric"
              value={String(settings.idleMinutes[role])}
              onChange={(e) => setSettings({ ...settings, idleMinutes: { ...settings.idleMinutes, [role]: number(e.target.value) } })}
            />
          </span>
        ))}
      </div>
      <FormError error={save.error} fieldName={(path) => path} />
      {save.isSuccess && <Notice>Saved. New sign-ins use these settings.</Notice>}
      <button type="submit" className="primary">
        Save sign-in settings
      </button>
    </form>
  );
}
