import { useState, type FormEvent } from 'react';
import type { ClinicError, SessionUser } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { useSession } from './session-store.js';

/** Shown after the idle time: the same user unlocks, or someone else signs in (fast user switch). */
export function LockScreen({ user }: { user: SessionUser }) {
  const { unlock, signIn } = useSession();
  const [mode, setMode] = useState<'unlock' | 'switch'>('unlock');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ClinicError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = mode === 'unlock' ? await unlock(password) : await signIn(email, password);
    setBusy(false);
    setPassword('');
    if (failure) setError(failure);
  }

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="lock-title">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">+</span> Clinic Workstation
        </div>
        <h1 id="lock-title">{mode === 'unlock' ? 'Screen locked' : 'Sign in as someone else'}</h1>
        {mode === 'unlock' ? (
          <p className="hint">
            Locked for <strong>{user.displayName}</strong> after a period without use. Enter your password to continue.
          </p>
        ) : (
          <>
            <p className="hint">{user.displayName}'s unsaved work on this screen will be discarded.</p>
            <label htmlFor="switch-email">Email</label>
            <input
              id="switch-email"
              type="email"
              autoComplete="username"
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </>
        )}
        <label htmlFor="lock-password">Password</label>
        <input
          id="lock-password"
          type="password"
          autoComplete="current-password"
          autoFocus={mode === 'unlock'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'unlock' ? 'Unlock' : 'Sign in'}
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setMode(mode === 'unlock' ? 'switch' : 'unlock');
            setError(null);
            setPassword('');
          }}
        >
          {mode === 'unlock' ? `Not ${user.displayName}? Sign in as someone else` : `Back to unlock for ${user.displayName}`}
        </button>
      </form>
    </main>
  );
}
