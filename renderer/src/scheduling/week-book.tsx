import type { BookDay } from '../../../contract/index.js';
import { shortDate } from './dates.js';

/** A doctor's week at a glance: each day's slots, taken ones with the patient's name. */
export function WeekBook({ days, onOpenDay }: { days: BookDay[]; onOpenDay(date: string): void }) {
  return (
    <div className="week-book" role="group" aria-label="Week">
      {days.map((day) => {
        const taken = day.slots.filter((s) => s.appointmentId !== null).length;
        return (
          <section key={day.date} className="week-day" aria-label={shortDate(day.date)}>
            <h3>
              <button type="button" className="link-button" onClick={() => onOpenDay(day.date)}>
                {shortDate(day.date)}
              </button>
            </h3>
            <p className="muted">{day.slots.length === 0 ? 'Not working' : `${taken} of ${day.slots.length} booked`}</p>
            <ul>
              {day.appointments
                .filter((a) => a.status !== 'Cancelled')
                .map((a) => (
                  <li key={a.appointmentId}>
                    {a.time} {a.patientName}
                  </li>
                ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
