import { useEffect, useRef, useState } from 'react';
import type { Appointment, BookDay } from '../../../contract/index.js';

/**
 * One doctor's day as a list of slots. ArrowUp/ArrowDown move, Enter books the highlighted free slot
 * (or opens the highlighted appointment's actions).
 */
export function DayBook({
  day,
  onBook,
  onAppointment,
  listRef,
  label = 'Slots',
}: {
  day: BookDay;
  onBook(time: string): void;
  onAppointment(appointment: Appointment): void;
  listRef?: React.RefObject<HTMLUListElement | null>;
  label?: string;
}) {
  const [chosen, setActive] = useState(0);
  // A day with fewer slots (the book read again) keeps the highlight inside the list.
  const active = Math.min(chosen, Math.max(day.slots.length - 1, 0));
  const byId = new Map(day.appointments.map((a) => [a.appointmentId, a]));
  const activeItem = useRef<HTMLLIElement | null>(null);
  // Follows the keyboard only: on first show the page keeps its place (a department shows many lists).
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current) activeItem.current?.scrollIntoView({ block: 'nearest' });
    moved.current = true;
  }, [active]);

  if (day.slots.length === 0) return <p className="empty">No working hours on this day.</p>;
  const choose = (index: number) => {
    const slot = day.slots[index];
    if (!slot) return;
    const appointment = slot.appointmentId ? byId.get(slot.appointmentId) : undefined;
    if (appointment) onAppointment(appointment);
    else onBook(slot.time);
  };

  return (
    <ul
      ref={listRef}
      className="slot-list"
      role="listbox"
      tabIndex={0}
      aria-label={label}
      aria-activedescendant={`slot-${day.doctorId}-${day.slots[active]?.time}`}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') setActive(Math.min(active + 1, day.slots.length - 1));
        else if (e.key === 'ArrowUp') setActive(Math.max(active - 1, 0));
        else if (e.key === 'Home') setActive(0);
        else if (e.key === 'End') setActive(day.slots.length - 1);
        else if (e.key === 'Enter') choose(active);
        else return;
        e.preventDefault();
      }}
    >
      {day.slots.map((slot, index) => {
        const appointment = slot.appointmentId ? byId.get(slot.appointmentId) : undefined;
        return (
          <li
            key={slot.time}
            id={`slot-${day.doctorId}-${slot.time}`}
            ref={index === active ? activeItem : undefined}
            role="option"
            aria-selected={index === active}
            className={`slot ${appointment ? `taken status-${appointment.status}` : 'free'} ${index === active ? 'active' : ''}`}
            onClick={() => {
              setActive(index);
              choose(index);
            }}
          >
            <span className="slot-time">{slot.time}</span>
            {appointment ? (
              <span>
                <strong>{appointment.patientName}</strong>{' '}
                <span className="muted">
                  {appointment.patientId > 0 ? `#${appointment.patientId}` : 'walk-in'} · born {appointment.patientDateOfBirth} ·{' '}
                  {appointment.purpose ?? 'no reason given'}
                </span>{' '}
                <span className="tag">{appointment.status === 'CheckedIn' ? 'Checked in' : appointment.status}</span>
                {appointment.queued && <span className="tag tag-queued">saved on this terminal</span>}
              </span>
            ) : (
              <span className="muted">Free</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
