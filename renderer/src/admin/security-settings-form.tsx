import { useEffect, useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import type { SecuritySettings } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';

const TERMINALS: { role: keyof SecuritySettings['idleMinutes']; label: string }[] = [
  { role: 'ward', label: 'Ward terminals' },
  { role: 'pharmacy', label: 'Pharmacy terminals' },
  { role: 'front_desk', label: 'Front-desk terminals' },
  { role: 'office', label: 'Other terminals' },
];

/** Lockout, session limit and idle lock. Minutes are bounded: the idle lock cannot be switched off. */
export function SecuritySettingsForm() {
  const [settings, setSettings] = useState<SecuritySettings | null>(null);
  const [error, setError] = useState<ClinicError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void call('settings/get-security', {}).then((r) => (r.ok ? setSettings(r.value) : setError(r.error)));
  }, []);
  if (!settings) return error ? <p className="form-error" role="alert">{error.message}</p> : null;

  const number = (value: string) => (value === '' ? Number.NaN : Number(value));
  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setError(null);
    const result = await call('settings/save-security', settings!);
    if (result.ok) {
      setSettings(result.value);
      setSaved(true);
    } else setError(result.error);
  }

  return (
    <form className="admin-section settings-form" onSubmit={save} aria-labelledby="security-title">
      <h2 id="security-title">Sign-in and idle lock</h2>
      <div className="field-grid">
        <label htmlFor="lockout-threshold">Failed sign-ins before lockout</label>
        <input id="lockout-threshold" inputMode="numeric" value={String(settings.lockoutThreshold)} onChange={(e) => setSettings({ ...settings, lockoutThreshold: number(e.target.value) })} />
        <label htmlFor="lockout-minutes">Lockout (minutes)</label>
        <input id="lockout-minutes" inputMode="numeric" value={String(settings.lockoutMinutes)} onChange={(e) => setSettings({ ...settings, lockoutMinutes: number(e.target.value) })} />
        <label htmlFor="session-hours">Longest session (hours, at most 12)</label>
        <input id="session-hours" inputMode="numeric" value={String(settings.sessionMaxHours)} onChange={(e) => setSettings({ ...settings, sessionMaxHours: number(e.target.value) })} />
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
      {error && (
        <p className="form-error" role="alert">
          {error.issues ? error.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : error.message}
        </p>
      )}
      {saved && <p className="form-ok" role="status">Saved. New sign-ins use these settings.</p>}
      <button type="submit" className="primary">Save sign-in settings</button>
    </form>
  );
}
