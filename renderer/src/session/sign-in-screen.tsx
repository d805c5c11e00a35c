import { useState, type FormEvent } from 'react';
import type { ClinicError } from '../../../contract/index.js';
import { DatabaseBadge } from '../ui/database-badge.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { ResetPasswordForm } from './reset-password-form.js';
import { useSession } from './session-store.js';

export function SignInScreen() {
  const { signIn, status, demoAccounts } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClinicError | null>(null);
  const [busy, setBusy] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [info, setInfo] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await signIn(email, password);
    setBusy(false);
    if (failure) {
      setError(failure);
      setPassword(''); // A failed password is never left in the field.
    }
  }

  const fieldIssue = (path: string) => error?.issues?.find((i) => i.path === path)?.message;

  if (resetting) {
    return (
      <main className="sign-in">
        <ResetPasswordForm
          onDone={(message) => {
            setResetting(false);
            setInfo(message);
          }}
        />
      </main>
    );
  }

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">+</span> Clinic Workstation
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        {status && status.database === 'unreachable' && (
          <p className="notice notice-code" data-testid="offline-sign-in">
            The hospital database cannot be reached. If you signed in on this terminal in the last 7 days, your password still works here,
            for front-desk work only: searching, booking and registering walk-ins.
          </p>
        )}
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={fieldIssue('email') ? true : undefined}
          aria-describedby={fieldIssue('email') ? 'email-issue' : undefined}
        />
        {fieldIssue('email') && (
          <p id="email-issue" className="field-issue">
            {fieldIssue('email')}
          </p>
        )}
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={fieldIssue('password') ? true : undefined}
        />
        <FormError error={error} />
        {!error && <Notice>{info}</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" className="link-button" onClick={() => setResetting(true)}>
          Have a one-time code from an administrator?
        </button>
        <footer className="sign-in-footer">{status && <DatabaseBadge status={status} />}</footer>
      </form>
      {demoAccounts && (
        <aside className="demo-accounts" aria-label="Demo accounts">
          <h2>Demo database</h2>
          <p>
            This computer is running a local demo database. Every demo user has the password <code>{demoAccounts.password}</code>.
          </p>
          <ul>
            {demoAccounts.emails.map((e) => (
              <li key={e}>
                <code>{e}</code>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </main>
  );
}
