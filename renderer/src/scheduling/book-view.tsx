import type { Appointment, BookDay, Doctor } from '../../../contract/index.js';
import { DayBook } from './day-book.js';
import { WeekBook } from './week-book.js';

/**
 * The book for one doctor or a whole department: one day list (or week) per doctor. The first
 * doctor's slot list takes Alt+S; Tab reaches the next doctor's.
 */
export function BookView({
  doctors,
  book,
  date,
  view,
  slotsRef,
  onBook,
  onAppointment,
  onOpenDay,
}: {
  doctors: Doctor[];
  book: BookDay[];
  date: string;
  view: 'day' | 'week';
  slotsRef: React.RefObject<HTMLUListElement | null>;
  onBook(doctor: Doctor, time: string): void;
  onAppointment(appointment: Appointment): void;
  onOpenDay(date: string): void;
}) {
  const single = doctors.length === 1;
  return (
    <div className={single ? undefined : 'department-book'}>
      {doctors.map((doctor, index) => {
        const days = book.filter((d) => d.doctorId === doctor.doctorId);
        const day = days.find((d) => d.date === date);
        return (
          <section key={doctor.doctorId} className="doctor-book" aria-label={single ? undefined : doctor.name}>
            {!single && <h3 className="doctor-book-heading">{doctor.name}</h3>}
            {view === 'week' ? (
              <WeekBook days={days} onOpenDay={onOpenDay} />
            ) : day ? (
              <DayBook
                day={day}
                listRef={index === 0 ? slotsRef : undefined}
                label={single ? 'Slots' : `Slots of ${doctor.name}`}
                onBook={(time) => onBook(doctor, time)}
                onAppointment={onAppointment}
              />
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
