import { useEffect, useRef, useState } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import type { PatientSearchResult } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';
import { ageOn, todayIso } from './dates.js';

const EMPTY = { firstName: '', lastName: '', dateOfBirth: '', gender: '', contactNumber: '', address: '' };

/**
 * Registers a new patient (a walk-in). Possible duplicates (same name and birth date, or the same
 * phone) are shown first: 1–9 takes an existing patient instead, Alt+R registers anyway.
 */
export function RegisterPatientForm({ onRegistered, onClose }: { onRegistered(patient: PatientSearchResult, queued: boolean): void; onClose(): void }) {
  const [fields, setFields] = useState(EMPTY);
  const [error, setError] = useState<ClinicError | null>(null);
  const [candidates, setCandidates] = useState<PatientSearchResult[]>([]);
  const [saving, setSaving] = useState(false);
  const lastRef = useRef<HTMLInputElement>(null);
  const duplicatesRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    lastRef.current?.focus();
  }, []);
  useEffect(() => {
    if (candidates.length > 0) duplicatesRef.current?.focus();
  }, [candidates]);

  const field = (name: keyof typeof EMPTY) => ({
    id: `new-patient-${name}`,
    value: fields[name],
    onChange: (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value })),
    'aria-invalid': error?.issues?.some((i) => i.path === name) || undefined,
  });

  async function register(confirmNotDuplicate: boolean) {
    if (saving) return;
    setSaving(true);
    const result = await call('patients/register-patient', {
      firstName: fields.firstName,
      lastName: fields.lastName,
      dateOfBirth: fields.dateOfBirth,
      gender: (fields.gender || null) as 'M' | 'F' | 'X' | 'U' | null,
      contactNumber: fields.contactNumber.trim() || null,
      address: fields.address.trim() || null,
      confirmNotDuplicate,
    });
    setSaving(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    if (result.value.status === 'possible-duplicates') return setCandidates(result.value.candidates);
    const p = result.value.patient;
    onRegistered({ ...p, address: fields.address.trim() || null, match: 'exact' }, p.queued === true);
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
          void register(true);
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
          void register(false);
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
        {error && (
          <div className="form-error" role="alert">
            <p>{error.message}</p>
            {['firstName', 'lastName', 'dateOfBirth', 'contactNumber'].filter(issue).map((name) => (
              <p key={name}>{issue(name)}</p>
            ))}
          </div>
        )}
        {candidates.length === 0 && (
          <span className="row-actions">
            <button type="submit" className="primary" disabled={saving}>Register (Enter)</button>
            <button type="button" className="link-button" onClick={onClose}>Back (Esc)</button>
          </span>
        )}
      </form>
      {candidates.length > 0 && (
        <div ref={duplicatesRef} tabIndex={-1} className="duplicates" role="group" aria-labelledby="duplicates-title">
          <p id="duplicates-title" className="form-error">This may be a patient already on file. Take the existing record, or register anyway.</p>
          <ul className="alternatives">
            {candidates.map((p, i) => (
              <li key={p.patientId}>
                <button type="button" onClick={() => onRegistered(p, false)}>
                  {i < 9 && <kbd>{i + 1}</kbd>} {p.lastName}, {p.firstName} · #{p.patientId} · born {p.dateOfBirth} ({ageOn(p.dateOfBirth, today)}) · {p.contactNumber ?? 'no phone'}
                </button>
              </li>
            ))}
          </ul>
          <span className="row-actions">
            <button type="button" className="primary" onClick={() => void register(true)}>Register anyway (Alt+R)</button>
            <button type="button" className="link-button" onClick={onClose}>Back (Esc)</button>
          </span>
        </div>
      )}
    </div>
  );
}
