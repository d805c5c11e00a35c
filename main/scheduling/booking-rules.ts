import type { Appointment, BookDay, Slot } from '../../contract/index.js';
import { localNow } from '../shared/clinic-time.js';
import { failure } from '../shared/failure.js';

// The booking rules, one home for the online path, the offline desk and replay: slot arithmetic, what
// holds time, what overlaps, which status may follow which. Pure: dates are 'YYYY-MM-DD', times
// 'HH:MM', in local clinic time; no database here (the exclusion constraints are the database's copy).

export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
export const clockOf = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

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

/** The one overlap test: half-open ranges, like the exclusion constraints. */
export const overlaps = (b: Busy, date: string, start: number, duration: number): boolean =>
  b.date === date && b.start < start + duration && start < b.start + b.duration;

const clashes = (busy: Busy[], date: string, start: number, duration: number) => busy.some((b) => overlaps(b, date, start, duration));

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
      if (options.notBefore && (date < options.notBefore.date || (date === options.notBefore.date && start < options.notBefore.minute)))
        continue;
      if (clashes(options.doctorBusy, date, start, options.slotMinutes) || clashes(options.patientBusy, date, start, options.slotMinutes))
        continue;
      found.push({ date, time: clockOf(start) });
      if (found.length === options.count) break;
    }
  }
  return found;
}

/** Statuses that keep a slot taken (Cancelled and NoShow free it, as in the exclusion constraints). */
export const HOLDS_TIME: readonly string[] = ['Scheduled', 'CheckedIn', 'Completed'];
export const holdsTime = (a: Pick<Appointment, 'status'>) => HOLDS_TIME.includes(a.status);
const busyOf = (a: Appointment): Busy => ({ date: a.date, start: minutesOf(a.time), duration: a.durationMinutes });

/** The first appointment holding time over `duration` minutes from `start` on `date` (the one being moved aside). */
export const holderAt = (
  appointments: Appointment[],
  date: string,
  start: number,
  duration: number,
  ignoring?: number,
): Appointment | undefined =>
  appointments.find((a) => holdsTime(a) && a.appointmentId !== ignoring && overlaps(busyOf(a), date, start, duration));

/** Which status may follow which (check-in, no-show, completion). */
export const NEXT: Record<string, string[]> = { Scheduled: ['CheckedIn', 'NoShow'], CheckedIn: ['Completed'] };

/** Refuses a slot that is in the past or outside the doctor's hours, with words a clerk can act on. */
export function checkSlot(doctor: { name: string; slotMinutes: number; hours: WorkingHours[] }, slot: Slot, now: Date) {
  const today = localNow(now);
  if (slot.date < today.date || (slot.date === today.date && minutesOf(slot.time) < today.minute)) {
    throw failure('Validation', 'That time has already passed.', [{ path: 'slot', message: 'That time has already passed.' }]);
  }
  if (!daySlots(doctor.hours, slot.date, doctor.slotMinutes).includes(minutesOf(slot.time))) {
    throw failure('Validation', `${doctor.name} has no slot at ${slot.time} on ${slot.date}.`, [
      { path: 'slot', message: 'Not one of the doctor’s slots.' },
    ]);
  }
}

export function checkCanMove(current: Pick<Appointment, 'status'>): void {
  if (current.status !== 'Scheduled')
    throw failure('Conflict', `Only a scheduled appointment can be moved; this one is ${current.status}.`);
}

export function checkCanCancel(current: Pick<Appointment, 'status'>): void {
  if (!['Scheduled', 'CheckedIn'].includes(current.status)) throw failure('Conflict', `This appointment is already ${current.status}.`);
}

export function checkStatusChange(current: Pick<Appointment, 'status'>, status: string): void {
  if (!(NEXT[current.status] ?? []).includes(status))
    throw failure('Conflict', `An appointment that is ${current.status} cannot be marked ${status}.`);
}

/**
 * A booking that clashed, in words a clerk can act on, with the doctor's next free slots the patient
 * can also attend. `doctorAppointments` and `patientAppointments` may hold any status: only those
 * holding time count, never the appointment being moved (`ignoring`).
 */
export function describeClash(clash: {
  kind: 'doctor' | 'patient';
  doctor: { name: string; slotMinutes: number; hours: WorkingHours[] };
  slot: Slot;
  doctorAppointments: Appointment[];
  patientAppointments: Appointment[];
  now: Date;
  ignoring?: number;
}): { message: string; nextFreeSlots: { date: string; time: string }[] } {
  const { doctor, slot, ignoring } = clash;
  const start = minutesOf(slot.time);
  const holding = (list: Appointment[]) => list.filter((a) => holdsTime(a) && a.appointmentId !== ignoring).map(busyOf);
  const free = nextFreeSlots({
    hours: doctor.hours,
    slotMinutes: doctor.slotMinutes,
    doctorBusy: holding(clash.doctorAppointments),
    patientBusy: holding(clash.patientAppointments),
    after: { date: slot.date, minute: start - 1 },
    notBefore: localNow(clash.now),
    count: 3,
    horizonDays: 14,
  });
  if (clash.kind === 'patient') {
    const other = holderAt(clash.patientAppointments, slot.date, start, doctor.slotMinutes, ignoring);
    return {
      message: `This patient already has an appointment at ${other?.time ?? slot.time} on ${slot.date}${other ? ` with ${other.doctorName}` : ''}.`,
      nextFreeSlots: free,
    };
  }
  const other = holderAt(clash.doctorAppointments, slot.date, start, doctor.slotMinutes, ignoring);
  return {
    message: `${doctor.name} is already booked at ${slot.time} on ${slot.date}${other ? ` (${other.patientName})` : ''}.`,
    nextFreeSlots: free,
  };
}

/** The book from what is known of doctors and appointments: online from SQL, offline from the working set. */
export function assembleBook(
  doctors: { doctorId: number; slotMinutes: number; hours: WorkingHours[] }[],
  appointments: Appointment[],
  from: string,
  days: number,
): BookDay[] {
  const book: BookDay[] = [];
  for (const doctor of doctors) {
    for (let d = 0; d < days; d += 1) {
      const date = addDays(from, d);
      const dayAppointments = appointments.filter((a) => a.doctorId === doctor.doctorId && a.date === date);
      const slots = daySlots(doctor.hours, date, doctor.slotMinutes).map((start) => ({
        time: clockOf(start),
        appointmentId: holderAt(dayAppointments, date, start, doctor.slotMinutes)?.appointmentId ?? null,
      }));
      book.push({ doctorId: doctor.doctorId, date, slots, appointments: dayAppointments });
    }
  }
  return book;
}
