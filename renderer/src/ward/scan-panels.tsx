import { useState } from 'react';
import type { ClinicError, DoseToGive, ScanStop } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';

/** The headline of each stop, read in one glance; the sentence under it is the server's. */
export const STOP_TITLES: Record<ScanStop | 'no-band' | 'no-patient', string> = {
  'unreadable-scan': 'NOT A CODE THIS APP KNOWS',
  'wrong-patient': 'WRONG PATIENT',
  'wrong-medicine': 'WRONG MEDICINE',
  'wrong-time': 'NOT DUE NOW',
  'already-given': 'ALREADY GIVEN',
  allergy: 'ALLERGY',
  'witness-needed': 'WITNESS NEEDED',
  'witness-refused': 'WITNESS NOT ACCEPTED',
  'prn-too-soon': 'TOO SOON FOR THIS PRN',
  'prn-limit-reached': 'PRN LIMIT REACHED',
  'no-band': 'SCAN THE WRISTBAND FIRST',
  'no-patient': 'NO PATIENT CHOSEN',
};

export interface Stop {
  stop: keyof typeof STOP_TITLES;
  message: string;
}

/** The server's sentence may start with the same headline ("WRONG MEDICINE: …"): said once is enough. */
const withoutTitle = (message: string, title: string) =>
  message.toUpperCase().startsWith(`${title}:`) ? message.slice(title.length + 1).trim() : message;

/** A stop: big, red, with its own sound (played by the caller); nothing was recorded. Esc or the next scan clears it. */
export function StopBanner({ stop, onDismiss }: { stop: Stop; onDismiss(): void }) {
  return (
    <div className="scan-stop" role="alert" data-testid="scan-stop" data-stop={stop.stop}>
      <span className="scan-stop-icon" aria-hidden="true">
        ✖
      </span>
      <div>
        <p className="scan-stop-title">{STOP_TITLES[stop.stop]}</p>
        <p>{withoutTitle(stop.message, STOP_TITLES[stop.stop])}</p>
        <p className="scan-stop-nothing">Nothing was recorded.</p>
      </div>
      <button type="button" onClick={onDismiss}>
        OK (Esc)
      </button>
    </div>
  );
}

export interface Confirmation {
  outOfWindowReason?: string;
  witness?: { email: string; password: string };
}

/**
 * Both scans passed: the dose to give, with a reason field when it is outside its window and a
 * second nurse's sign-in for a controlled drug. Enter records it; Esc backs out (nothing recorded).
 */
export function ConfirmDose({
  dose,
  needsReason,
  needsWitness,
  warnings,
  error,
  pending,
  onConfirm,
  onCancel,
}: {
  dose: DoseToGive;
  needsReason: boolean;
  needsWitness: boolean;
  warnings: string[];
  error: ClinicError | null;
  pending: boolean;
  onConfirm(confirmation: Confirmation): void;
  onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form
      className="confirm-dose"
      aria-labelledby="confirm-dose-title"
      data-testid="confirm-dose"
      onSubmit={(e) => {
        e.preventDefault();
        onConfirm({
          ...(needsReason ? { outOfWindowReason: reason } : {}),
          ...(needsWitness ? { witness: { email, password } } : {}),
        });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <h3 id="confirm-dose-title">
        Give {dose.medicineName} {dose.strength}: {dose.dose} {dose.route}?
      </h3>
      <p className="scan-ok">✔ Right patient · ✔ right medicine{dose.isPrn ? ' · PRN' : ''}</p>
      {warnings.map((w) => (
        <p key={w} className="warn">
          {w}
        </p>
      ))}
      {needsReason && (
        <div className="field-grid">
          <label htmlFor="out-of-window-reason">Outside its time: why now?</label>
          <input id="out-of-window-reason" autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      {needsWitness && (
        <fieldset className="witness">
          <legend>Controlled drug: a second nurse witnesses with their own sign-in</legend>
          <div className="field-grid">
            <label htmlFor="witness-email">Witness email</label>
            <input
              id="witness-email"
              autoFocus={!needsReason}
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <label htmlFor="witness-password">Witness password</label>
            <input
              id="witness-password"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
        </fieldset>
      )}
      <FormError error={error} />
      <span className="row-actions">
        <button type="submit" className="primary" autoFocus={!needsReason && !needsWitness} disabled={pending}>
          Record as given (Enter)
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          Back (Esc)
        </button>
      </span>
    </form>
  );
}
