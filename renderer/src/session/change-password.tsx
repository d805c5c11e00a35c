import { useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { useChangePassword } from './queries.js';

const NOT_THE_SAME: ClinicError = { code: 'Validation', message: 'The two new passwords are not the same.' };

/** Change your own password: the current one is required; other sessions of yours end. */
export function ChangePassword({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword();

  function submit(event: FormEvent) {
    event.preventDefault();
    change.reset();
    setMismatch(next !== again);
    if (next !== again) return;
    change.mutate({ currentPassword: current, newPassword: next });
    setCurrent('');
    setNext('');
    setAgain('');
  }

  return (
    <section className="panel" aria-labelledby="change-password-title">
      <form className="settings-form plain" onSubmit={submit}>
        <h1 id="change-password-title">Change your password</h1>
        <div className="field-grid">
          <label htmlFor="pw-current">Current password</label>
          <input
            id="pw-current"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <label htmlFor="pw-new">New password (at least 12 characters)</label>
          <input id="pw-new" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          <label htmlFor="pw-again">New password again</label>
          <input id="pw-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        </div>
        <FormError error={mismatch ? NOT_THE_SAME : change.error} />
        {change.isSuccess && <Notice>Your password is changed. Your sessions on other workstations were ended.</Notice>}
        <span className="row-actions">
          <button type="submit" className="primary">
            Change password
          </button>
          <button type="button" className="link-button" onClick={onClose}>
            Close
          </button>
        </span>
      </form>
    </section>
  );
}
