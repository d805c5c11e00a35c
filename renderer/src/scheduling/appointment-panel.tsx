import { useState } from 'react';
import type { Appointment, ChannelInput } from '../../../contract/index.js';

type StatusChange = ChannelInput<'scheduling/set-appointment-status'>['status'];

/** What the front desk does with a booked appointment: check in, no-show, complete, move, cancel. */
export function AppointmentPanel({
  appointment,
  onStatus,
  onCancel,
  onReschedule,
  onClose,
}: {
  appointment: Appointment;
  onStatus(status: StatusChange): void;
  onCancel(reason: string): void;
  onReschedule(): void;
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const scheduled = appointment.status === 'Scheduled';
  return (
    <div className="booking-panel" role="dialog" aria-labelledby="appointment-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h2 id="appointment-title">
        {appointment.time} · {appointment.patientName}
      </h2>
      <p className="muted">
        #{appointment.patientId} · born {appointment.patientDateOfBirth} · {appointment.doctorName} · {appointment.status}
        {appointment.purpose ? ` · ${appointment.purpose}` : ''}
      </p>
      {cancelling ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onCancel(reason);
          }}
        >
          <label htmlFor="cancel-reason">Reason for cancelling</label>
          <input id="cancel-reason" autoFocus value={reason} maxLength={255} onChange={(e) => setReason(e.target.value)} />
          <span className="row-actions">
            <button type="submit" className="primary">
              Cancel appointment
            </button>
            <button type="button" className="link-button" onClick={() => setCancelling(false)}>
              Back
            </button>
          </span>
        </form>
      ) : (
        <span className="row-actions">
          {scheduled && (
            <button type="button" autoFocus onClick={() => onStatus('CheckedIn')}>
              Check in
            </button>
          )}
          {scheduled && (
            <button type="button" onClick={() => onStatus('NoShow')}>
              No-show
            </button>
          )}
          {appointment.status === 'CheckedIn' && (
            <button type="button" autoFocus onClick={() => onStatus('Completed')}>
              Completed
            </button>
          )}
          {scheduled && (
            <button type="button" onClick={onReschedule}>
              Move…
            </button>
          )}
          {(scheduled || appointment.status === 'CheckedIn') && (
            <button type="button" onClick={() => setCancelling(true)}>
              Cancel…
            </button>
          )}
          <button type="button" className="link-button" onClick={onClose}>
            Close (Esc)
          </button>
        </span>
      )}
    </div>
  );
}
