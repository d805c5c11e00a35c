import { useQuery } from '@tanstack/react-query';
import type { Doctor } from '../../../contract/index.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { longDate, mondayOf } from './dates.js';
import { departmentsOf } from './departments.js';
import { schedulingQueries } from './queries.js';
import { useFocusTargets, useScheduling } from './scheduling-store.js';

/** A department shows at most this many doctors side by side (the book's own limit per request). */
const MOST_DOCTORS = 20;

/** The doctors whose book is open: the one chosen, or a department's (the first doctor until one is chosen). */
export function useShownDoctors(): { doctors: Doctor[]; shown: Doctor[]; departmentName: string | null } {
  const doctors = useQuery(schedulingQueries.doctors()).data ?? [];
  const chosen = useScheduling((s) => s.scope);
  const scope = chosen ?? (doctors[0] ? `doctor:${doctors[0].doctorId}` : ':');
  const [kind, id] = scope.split(':');
  const shown = doctors
    .filter((d) => (kind === 'doctor' ? d.doctorId === Number(id) : d.departmentId === Number(id)))
    .slice(0, MOST_DOCTORS);
  const departmentName = kind === 'department' ? (departmentsOf(doctors).find(([d]) => d === Number(id))?.[1] ?? 'the department') : null;
  return { doctors, shown, departmentName };
}

/** Which book (a doctor or a department), which day, day or week. */
export function BookControls() {
  const { doctors } = useShownDoctors();
  const departments = departmentsOf(doctors);
  const chosen = useScheduling((s) => s.scope);
  const date = useScheduling((s) => s.date);
  const view = useScheduling((s) => s.view);
  const set = useScheduling((s) => s.set);
  const { doctor: doctorRef } = useFocusTargets();
  const scope = chosen ?? (doctors[0] ? `doctor:${doctors[0].doctorId}` : '');
  return (
    <div className="book-controls no-print">
      <label htmlFor="doctor-select">
        Book of <ShortcutHint keys="Alt+D" />
      </label>
      <select id="doctor-select" ref={doctorRef} value={scope} onChange={(e) => set({ scope: e.target.value })}>
        {departments.map(([id, name]) => (
          <optgroup key={id} label={name}>
            <option value={`department:${id}`}>All doctors of {name}</option>
            {doctors
              .filter((d) => d.departmentId === id)
              .map((d) => (
                <option key={d.doctorId} value={`doctor:${d.doctorId}`}>
                  {d.name} — {d.specialization ?? name}
                </option>
              ))}
          </optgroup>
        ))}
        {doctors
          .filter((d) => d.departmentId === null)
          .map((d) => (
            <option key={d.doctorId} value={`doctor:${d.doctorId}`}>
              {d.name}
            </option>
          ))}
      </select>
      <label htmlFor="book-date">Date</label>
      <input id="book-date" type="date" value={date} onChange={(e) => e.target.value && set({ date: e.target.value })} />
      <span className="row-actions" role="group" aria-label="View">
        <button type="button" aria-pressed={view === 'day'} onClick={() => set({ view: 'day' })}>
          Day
        </button>
        <button type="button" aria-pressed={view === 'week'} onClick={() => set({ view: 'week' })}>
          Week
        </button>
      </span>
    </div>
  );
}

/** The open book's title: whose, and which day or week. */
export function BookHeading() {
  const { shown, departmentName } = useShownDoctors();
  const date = useScheduling((s) => s.date);
  const view = useScheduling((s) => s.view);
  return (
    <h2 className="day-heading">
      {departmentName !== null ? `All doctors of ${departmentName}` : (shown[0]?.name ?? 'No doctor')} ·{' '}
      {view === 'week' ? `week of ${longDate(mondayOf(date))}` : longDate(date)}
    </h2>
  );
}
