import { useQuery } from '@tanstack/react-query';
import type { Doctor } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { BookControls, BookHeading, useShownDoctors } from './book-controls.js';
import { BookView } from './book-view.js';
import { mondayOf } from './dates.js';
import { schedulingQueries } from './queries.js';
import { useFocusTargets, useScheduling } from './scheduling-store.js';

/** The book itself: its controls, heading, and one day list (or week) per doctor shown. */
export function AppointmentBook() {
  const canBook = useCan('appointments.write');
  const { shown } = useShownDoctors();
  const date = useScheduling((s) => s.date);
  const view = useScheduling((s) => s.view);
  const patient = useScheduling((s) => s.patient);
  const moving = useScheduling((s) => s.moving);
  const set = useScheduling((s) => s.set);
  const focus = useFocusTargets();
  const book = useQuery({
    ...schedulingQueries.book({
      doctorIds: shown.map((d) => d.doctorId),
      from: view === 'week' ? mondayOf(date) : date,
      days: view === 'week' ? 7 : 1,
    }),
    enabled: shown.length > 0,
  });

  function chooseFreeSlot(doctor: Doctor, time: string) {
    if (!canBook) return set({ notice: 'Your role can look at the book but not book.' });
    if (!patient) {
      set({ notice: 'Find and choose the patient first (Alt+P).' });
      return focus.search.current?.focus();
    }
    if (moving && moving.doctorId !== doctor.doctorId)
      return set({ notice: `${moving.patientName}'s appointment can only move within ${moving.doctorName}'s book.` });
    set({ slot: { doctor, date, time } });
  }

  return (
    <div className="book">
      <BookControls />
      <BookHeading />
      {moving && (
        <p className="notice notice-code no-print">
          Moving {moving.patientName}'s {moving.time} appointment: choose a free slot.{' '}
          <button type="button" className="link-button" onClick={() => set({ moving: null })}>
            Stop moving
          </button>
        </p>
      )}
      {book.isError && (
        <p className="notice notice-code" role="alert">
          {book.error.message}
        </p>
      )}
      <BookView
        doctors={shown}
        book={book.data ?? []}
        date={date}
        view={view}
        slotsRef={focus.slots}
        onOpenDay={(day) => set({ date: day, view: 'day' })}
        onBook={chooseFreeSlot}
        onAppointment={(appointment) => canBook && set({ opened: appointment })}
      />
    </div>
  );
}
