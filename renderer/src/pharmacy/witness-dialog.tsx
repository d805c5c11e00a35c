import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ClinicError, WitnessInput } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';

/**
 * A controlled drug moves only with a second person: a pharmacist or nurse types their own email and
 * password on this terminal (checked like a sign-in, audited as them, never the person at the screen).
 * The password lives in this dialog only while it is open.
 */
export function WitnessDialog({
  what,
  error,
  busy,
  onConfirm,
  onCancel,
  children,
}: {
  /** "Dispense 10 × Morphine sulfate 10 mg" */
  what: string;
  error: ClinicError | null | undefined;
  busy: boolean;
  onConfirm(witness: WitnessInput): void;
  onCancel(): void;
  children?: ReactNode;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailField = useRef<HTMLInputElement>(null);
  useEffect(() => emailField.current?.focus(), []);
  return (
    <div
      className="witness-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="witness-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm({ email, password });
        }}
      >
        <h2 id="witness-title">Witness needed: controlled drug</h2>
        <p>{what}. A second pharmacist or nurse signs in here to witness it; you cannot witness your own movement.</p>
        {children}
        <label htmlFor="witness-email">Witness email</label>
        <input
          id="witness-email"
          ref={emailField}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="witness-password">Witness password</label>
        <input id="witness-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
        <FormError error={error} />
        <span className="row-actions">
          <button type="submit" className="primary" disabled={busy || !email || !password}>
            Witness and confirm (Enter)
          </button>
          <button type="button" className="link-button" onClick={onCancel}>
            Cancel (Esc)
          </button>
        </span>
      </form>
    </div>
  );
}
