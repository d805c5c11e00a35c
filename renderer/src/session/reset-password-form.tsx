import { useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { useRedeemResetCode } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const NOT_THE_SAME: ClinicError = { code: 'Validation', message: 'The two new passwords are not the same.' };

/** Set a (first or new) password with the one-time code an administrator gave you. */
export function ResetPasswordForm({ onDone }: { onDone(message: string): void }) {
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const redeem = useRedeemResetCode();

  function submit(event: FormEvent) {
    event.preventDefault();
    redeem.reset();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    mutateThen(redeem, { email, token, newPassword: password }, { onSuccess: () => onDone('Your password is set. Sign in with it now.') });
    setPassword('');
    setConfirm('');
  }

  return (
    <form className="sign-in-card" onSubmit={submit} aria-labelledby="reset-title" noValidate>
      <h1 id="reset-title">Set your password</h1>
      <p className="hint">Use the one-time code from your administrator. It works once, for 30 minutes.</p>
      <label htmlFor="reset-email">Email</label>
      <input id="reset-email" type="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor="reset-code">One-time code</label>
      <input id="reset-code" autoComplete="one-time-code" value={token} onChange={(e) => setToken(e.target.value.trim())} />
      <label htmlFor="reset-new">New password (at least 12 characters)</label>
      <input id="reset-new" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <label htmlFor="reset-confirm">New password again</label>
      <input id="reset-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      <FormError error={mismatch ? NOT_THE_SAME : redeem.error} />
      <button type="submit" className="primary">
        Set password
      </button>
      <button type="button" className="link-button" onClick={() => onDone('')}>
        Back to sign in
      </button>
    </form>
  );
}
