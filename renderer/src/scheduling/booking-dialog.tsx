import type { Appointment, PatientSearchResult } from '../../../contract/index.js';
import { AppointmentPanel } from './appointment-panel.js';
import { BookingPanel } from './booking-panel.js';
import { longDate } from './dates.js';
import { useBookSlot, useChangeAppointment } from './queries.js';
import { useFocusTargets, useScheduling } from './scheduling-store.js';
import { mutateThen } from '../client/channel-query.js';

export const SAVED_HERE = ' Saved on this terminal; it is sent to the hospital database when it is back.';

/** Confirms the chosen slot for the chosen patient (or the appointment being moved there). */
export function BookingDialog() {
  const patient = useScheduling((s) => s.patient);
  const slot = useScheduling((s) => s.slot);
  const moving = useScheduling((s) => s.moving);
  const set = useScheduling((s) => s.set);
  const focus = useFocusTargets();
  const booking = useBookSlot();
  if (!slot || !patient) return null;

  function confirm(purpose: string) {
    if (!slot || !patient) return;
    const at = { date: slot.date, time: slot.time };
    mutateThen(
      booking,
      moving
        ? { move: true, input: { appointmentId: moving.appointmentId, slot: at } }
        : {
            move: false,
            input: { patientId: patient.patientId, doctorId: slot.doctor.doctorId, slot: at, purpose: purpose.trim() || null },
          },
      {
        onSuccess: (booked) => {
          set({
            notice: `${moving ? 'Moved' : 'Booked'}: ${booked.patientName} with ${booked.doctorName}, ${longDate(booked.date)} at ${booked.time}.${booked.queued ? SAVED_HERE : ''}`,
            slot: null,
            moving: null,
            date: booked.date,
          });
          focus.slots.current?.focus();
        },
      },
    );
  }

  return (
    <BookingPanel
      key={`${slot.date} ${slot.time}`}
      patient={moving ? { ...patient, patientId: moving.patientId } : patient}
      doctorName={slot.doctor.name}
      date={slot.date}
      time={slot.time}
      error={booking.error}
      onConfirm={confirm}
      onCancel={() => {
        set({ slot: null });
        focus.slots.current?.focus();
      }}
      onPickAlternative={(alternative) => {
        booking.reset();
        set({ date: alternative.date, slot: { ...slot, ...alternative } });
      }}
    />
  );
}

const STATUS_DONE = { CheckedIn: 'checked in', NoShow: 'marked as no-show', Completed: 'completed' } as const;

/** What the front desk does with a booked appointment: check in, no-show, complete, move, cancel. */
export function AppointmentDialog() {
  const opened = useScheduling((s) => s.opened);
  const patient = useScheduling((s) => s.patient);
  const set = useScheduling((s) => s.set);
  const focus = useFocusTargets();
  const change = useChangeAppointment();
  if (!opened) return null;

  const settle = (done: string) => ({
    onSuccess: (appointment: { queued?: true | undefined }) =>
      set({ notice: `${done}${appointment.queued ? SAVED_HERE : ''}`, opened: null }),
    onError: (error: Error) => set({ notice: error.message, opened: null }),
    onSettled: () => focus.slots.current?.focus(),
  });

  return (
    <AppointmentPanel
      appointment={opened}
      onClose={() => {
        set({ opened: null });
        focus.slots.current?.focus();
      }}
      onStatus={(status) =>
        mutateThen(
          change,
          { change: 'status', input: { appointmentId: opened.appointmentId, status } },
          settle(`${opened.patientName}: ${STATUS_DONE[status]}.`),
        )
      }
      onCancel={(reason) =>
        mutateThen(
          change,
          { change: 'cancel', input: { appointmentId: opened.appointmentId, reason } },
          settle(`${opened.patientName}'s appointment at ${opened.time} was cancelled.`),
        )
      }
      onReschedule={() => {
        // Moving needs no search: the appointment's patient is the one booked for, if no one is chosen yet.
        set({ moving: opened, opened: null, patient: patient ?? patientOf(opened) });
        focus.slots.current?.focus();
      }}
    />
  );
}

const patientOf = (a: Appointment): PatientSearchResult => ({
  patientId: a.patientId,
  firstName: a.patientName.split(', ')[1] ?? '',
  lastName: a.patientName.split(', ')[0] ?? '',
  dateOfBirth: a.patientDateOfBirth,
  gender: null,
  contactNumber: null,
  email: null,
  departmentId: null,
  address: null,
  match: 'exact',
});
