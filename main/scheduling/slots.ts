/** Slot arithmetic for the appointment book. Pure: dates are 'YYYY-MM-DD', times 'HH:MM', in local clinic time. */

export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
export const clockOf = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export const isoWeekday = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

export interface WorkingHours {
  iso_weekday: number;
  start: number;
  end: number;
}

/** Slot start times (minutes) of a day: each shift cut into whole slots that end by the shift's end. */
export function daySlots(hours: WorkingHours[], date: string, slotMinutes: number): number[] {
  const weekday = isoWeekday(date);
  const starts: number[] = [];
  for (const shift of hours.filter((h) => h.iso_weekday === weekday).sort((a, b) => a.start - b.start)) {
    for (let t = shift.start; t + slotMinutes <= shift.end; t += slotMinutes) starts.push(t);
  }
  return starts;
}

export interface Busy {
  date: string;
  start: number;
  duration: number;
}

const clashes = (busy: Busy[], date: string, start: number, duration: number) =>
  busy.some((b) => b.date === date && b.start < start + duration && start < b.start + b.duration);

/**
 * The first `count` free slots after `after` (exclusive), over `horizonDays`, that neither the
 * doctor (`doctorBusy`) nor the patient (`patientBusy`) has taken. Half-open ranges, like the database.
 */
export function nextFreeSlots(options: {
  hours: WorkingHours[];
  slotMinutes: number;
  doctorBusy: Busy[];
  patientBusy: Busy[];
  after: { date: string; minute: number };
  notBefore?: { date: string; minute: number };
  count: number;
  horizonDays: number;
}): { date: string; time: string }[] {
  const found: { date: string; time: string }[] = [];
  for (let day = 0; day <= options.horizonDays && found.length < options.count; day += 1) {
    const date = addDays(options.after.date, day);
    for (const start of daySlots(options.hours, date, options.slotMinutes)) {
      if (date === options.after.date && start <= options.after.minute) continue;
      if (options.notBefore && (date < options.notBefore.date || (date === options.notBefore.date && start < options.notBefore.minute))) continue;
      if (clashes(options.doctorBusy, date, start, options.slotMinutes) || clashes(options.patientBusy, date, start, options.slotMinutes)) continue;
      found.push({ date, time: clockOf(start) });
      if (found.length === options.count) break;
    }
  }
  return found;
}
