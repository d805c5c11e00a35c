import { useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import { call } from '../clinic-client.js';

/** Change your own password: the current one is required; other sessions of yours end. */
export function ChangePassword({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ClinicError | null>(null);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (next !== again) return setError({ code: 'Validation', message: 'The two new passwords are not the same.' });
    const result = await call('session/change-password', { currentPassword: current, newPassword: next });
    setCurrent('');
    setNext('');
    setAgain('');
    if (result.ok) setDone(true);
    else setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="change-password-title">
      <form className="settings-form plain" onSubmit={submit}>
        <h1 id="change-password-title">Change your password</h1>
        <div className="field-grid">
          <label htmlFor="pw-current">Current password</label>
          <input id="pw-current" type="password" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} />
          <label htmlFor="pw-new">New password (at least 12 characters)</label>
          <input id="pw-new" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          <label htmlFor="pw-again">New password again</label>
          <input id="pw-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        </div>
        {error && <p className="form-error" role="alert">{error.issues ? error.issues.map((i) => i.message).join(' ') : error.message}</p>}
        {done && <p className="form-ok" role="status">Your password is changed. Your sessions on other workstations were ended.</p>}
        <span className="row-actions">
          <button type="submit" className="primary">Change password</button>
          <button type="button" className="link-button" onClick={onClose}>Close</button>
        </span>
      </form>
    </section>
  );
}
