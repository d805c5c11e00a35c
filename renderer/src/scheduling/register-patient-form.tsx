import { useEffect, useRef, useState } from 'react';
import type { ChannelInput, PatientSearchResult } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { ageOn, todayIso } from './dates.js';
import { useRegisterPatient } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const EMPTY = { firstName: '', lastName: '', dateOfBirth: '', gender: '', contactNumber: '', address: '' };
const GENDERS: readonly NonNullable<ChannelInput<'patients/register-patient'>['gender']>[] = ['M', 'F', 'X', 'U'];
const genderOf = (value: string) => GENDERS.find((g) => g === value) ?? null;
/** The fields whose issues are listed under the form's error. */
const CHECKED_FIELDS = ['firstName', 'lastName', 'dateOfBirth', 'contactNumber'];

/**
 * Registers a new patient (a walk-in). Possible duplicates (same name and birth date, or the same
 * phone) are shown first: 1–9 takes an existing patient instead, Alt+R registers anyway.
 */
export function RegisterPatientForm({
  onRegistered,
  onRegisteredAfterClose,
  onClose,
}: {
  onRegistered(patient: PatientSearchResult, queued: boolean): void;
  /** The registration was answered after the clerk closed the form: say so, but choose no one for her. */
  onRegisteredAfterClose(patient: PatientSearchResult, queued: boolean): void;
  onClose(): void;
}) {
  const [fields, setFields] = useState(EMPTY);
  const registration = useRegisterPatient();
  const error = registration.error;
  const [candidates, setCandidates] = useState<PatientSearchResult[]>([]);
  const lastRef = useRef<HTMLInputElement>(null);
  const open = useRef(true);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);
  const duplicatesRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    lastRef.current?.focus();
  }, []);
  // The duplicates take the focus so 1–9 pick one of them.
  useEffect(() => {
    if (candidates.length > 0) duplicatesRef.current?.focus();
  }, [candidates]);

  const field = (name: keyof typeof EMPTY) => ({
    id: `new-patient-${name}`,
    value: fields[name],
    onChange: (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value })),
    'aria-invalid': error?.issues?.some((i) => i.path === name) || undefined,
  });

  function register(confirmNotDuplicate: boolean) {
    if (registration.isPending) return;
    const address = fields.address.trim() || null;
    mutateThen(
      registration,
      {
        firstName: fields.firstName,
        lastName: fields.lastName,
        dateOfBirth: fields.dateOfBirth,
        gender: genderOf(fields.gender),
        contactNumber: fields.contactNumber.trim() || null,
        address,
        confirmNotDuplicate,
      },
      {
        onSuccess: (answer) => {
          if (answer.status === 'possible-duplicates') setCandidates(answer.candidates);
          else
            (open.current ? onRegistered : onRegisteredAfterClose)(
              { ...answer.patient, address, match: 'exact' },
              answer.patient.queued === true,
            );
        },
      },
    );
  }

  const issue = (name: string) => error?.issues?.find((i) => i.path === name)?.message;
  const today = todayIso();

  return (
    <div
      className="booking-panel register-panel"
      role="dialog"
      aria-labelledby="register-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        } else if (candidates.length > 0 && e.altKey && e.key.toLowerCase() === 'r') {
          e.preventDefault();
          register(true);
        } else if (candidates.length > 0 && /^[1-9]$/.test(e.key) && candidates[Number(e.key) - 1] && e.target === duplicatesRef.current) {
          e.preventDefault();
          onRegistered(candidates[Number(e.key) - 1]!, false);
        }
      }}
    >
      <h2 id="register-title">New patient</h2>
      <form
        className="register-form"
        onSubmit={(e) => {
          e.preventDefault();
          register(false);
        }}
      >
        <label htmlFor="new-patient-lastName">Last name</label>
        <input {...field('lastName')} maxLength={50} autoComplete="off" ref={lastRef} />
        <label htmlFor="new-patient-firstName">First name</label>
        <input {...field('firstName')} maxLength={50} autoComplete="off" />
        <label htmlFor="new-patient-dateOfBirth">Date of birth</label>
        <input {...field('dateOfBirth')} type="date" max={today} />
        <label htmlFor="new-patient-gender">Gender</label>
        <select {...field('gender')}>
          <option value="">Not recorded</option>
          <option value="F">Female</option>
          <option value="M">Male</option>
          <option value="X">Other</option>
          <option value="U">Unknown</option>
        </select>
        <label htmlFor="new-patient-contactNumber">Phone</label>
        <input {...field('contactNumber')} inputMode="tel" maxLength={15} autoComplete="off" />
        <label htmlFor="new-patient-address">Address</label>
        <input {...field('address')} maxLength={255} autoComplete="off" />
        <FormError error={error} issues="none">
          {CHECKED_FIELDS.filter(issue).map((name) => (
            <p key={name}>{issue(name)}</p>
          ))}
        </FormError>
        {candidates.length === 0 && (
          <span className="row-actions">
            <button type="submit" className="primary" disabled={registration.isPending}>
              Register (Enter)
            </button>
            <button type="button" className="link-button" onClick={onClose}>
              Back (Esc)
            </button>
          </span>
        )}
      </form>
      {candidates.length > 0 && (
        <div ref={duplicatesRef} tabIndex={-1} className="duplicates" role="group" aria-labelledby="duplicates-title">
          <p id="duplicates-title" className="form-error">
            This may be a patient already on file. Take the existing record, or register anyway.
          </p>
          <ul className="alternatives">
            {candidates.map((p, i) => (
              <li key={p.patientId}>
                <button type="button" onClick={() => onRegistered(p, false)}>
                  {i < 9 && <ShortcutHint keys={String(i + 1)} />} {p.lastName}, {p.firstName} · #{p.patientId} · born {p.dateOfBirth} (
                  {ageOn(p.dateOfBirth, today)}) · {p.contactNumber ?? 'no phone'}
                </button>
              </li>
            ))}
          </ul>
          <span className="row-actions">
            <button type="button" className="primary" onClick={() => register(true)}>
              Register anyway (Alt+R)
            </button>
            <button type="button" className="link-button" onClick={onClose}>
              Back (Esc)
            </button>
          </span>
        </div>
      )}
    </div>
  );
}
