import { useEffect, useRef, useState } from 'react';
import type { ClinicError, PatientSearchResult, Slot } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { longDate } from './dates.js';

/** Confirms a booking (Enter) or backs out (Escape); after a clash, offers the next free slots (1–3). */
export function BookingPanel({
  patient,
  doctorName,
  date,
  time,
  error,
  onConfirm,
  onCancel,
  onPickAlternative,
}: {
  patient: PatientSearchResult;
  doctorName: string;
  date: string;
  time: string;
  error: ClinicError | null | undefined;
  onConfirm(purpose: string): void;
  onCancel(): void;
  onPickAlternative(slot: Slot): void;
}) {
  const [purpose, setPurpose] = useState('');
  const purposeRef = useRef<HTMLInputElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const alternatives = error?.nextFreeSlots ?? [];
  useEffect(() => {
    purposeRef.current?.focus();
  }, []);
  // After a clash the keys 1–3 pick an alternative, so the panel takes focus from the text field.
  useEffect(() => {
    if (alternatives.length > 0) panelRef.current?.focus();
  }, [alternatives.length, error]);

  return (
    <div
      ref={panelRef}
      className="booking-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="booking-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        } else if (/^[1-3]$/.test(e.key) && alternatives[Number(e.key) - 1] && e.target === e.currentTarget) {
          e.preventDefault();
          onPickAlternative(alternatives[Number(e.key) - 1]!);
        }
      }}
      tabIndex={-1}
    >
      <h2 id="booking-title">Book this slot?</h2>
      <p>
        <strong>
          {patient.lastName}, {patient.firstName}
        </strong>{' '}
        (#{patient.patientId}, born {patient.dateOfBirth}) with <strong>{doctorName}</strong>
        <br />
        {longDate(date)} at <strong>{time}</strong>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(purpose);
        }}
      >
        <label htmlFor="booking-purpose">Reason for the visit (optional)</label>
        <input id="booking-purpose" ref={purposeRef} value={purpose} maxLength={255} onChange={(e) => setPurpose(e.target.value)} />
        <FormError error={error} issues="none">
          {alternatives.length > 0 && (
            <>
              <p>Next free slots:</p>
              <ul className="alternatives">
                {alternatives.map((slot, i) => (
                  <li key={`${slot.date} ${slot.time}`}>
                    <button type="button" onClick={() => onPickAlternative(slot)}>
                      <ShortcutHint keys={String(i + 1)} /> {longDate(slot.date)} at {slot.time}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </FormError>
        <span className="row-actions">
          <button type="submit" className="primary">
            Book (Enter)
          </button>
          <button type="button" className="link-button" onClick={onCancel}>
            Back (Esc)
          </button>
        </span>
      </form>
    </div>
  );
}
