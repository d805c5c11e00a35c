import { sql, type Kysely } from 'kysely';
import type { Appointment, BookDay, Slot } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import { bookingConflict, failure } from '../ipc/failure.js';
import {
  findAppointment,
  findBusy,
  findDoctorWithHours,
  findPatientBusy,
  findWorkingHours,
  insertAppointment,
  selectAppointments,
} from '../repositories/appointments.repository.js';
import { addDays, clockOf, daySlots, minutesOf, nextFreeSlots, type Busy, type WorkingHours } from '../scheduling/slots.js';

/** Statuses that keep a slot taken (Cancelled and NoShow free it, as in the exclusion constraints). */
export const HOLDS_TIME = ['Scheduled', 'CheckedIn', 'Completed'];
const toBusy = (a: Appointment): Busy => ({ date: a.date, start: minutesOf(a.time), duration: a.durationMinutes });

/** The clinic's "now" as a local date and minute, for refusing bookings in the past. */
export const localNow = (now: Date) => ({ date: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`, minute: now.getHours() * 60 + now.getMinutes() });

async function requireDoctor(db: Kysely<Database>, doctorId: number) {
  const doctor = await findDoctorWithHours(db, doctorId);
  if (!doctor) throw failure('NotFound', 'No such doctor.');
  return doctor;
}

async function requireAppointment(db: Kysely<Database>, appointmentId: number): Promise<Appointment> {
  const appointment = await findAppointment(db, appointmentId);
  if (!appointment) throw failure('NotFound', 'No such appointment.');
  return appointment;
}

/** Refuses a slot that is in the past or outside the doctor's hours, with words a clerk can act on. */
export function checkSlot(doctor: { name: string; slotMinutes: number; hours: WorkingHours[] }, slot: Slot, now: Date) {
  const today = localNow(now);
  if (slot.date < today.date || (slot.date === today.date && minutesOf(slot.time) < today.minute)) {
    throw failure('Validation', 'That time has already passed.', [{ path: 'slot', message: 'That time has already passed.' }]);
  }
  if (!daySlots(doctor.hours, slot.date, doctor.slotMinutes).includes(minutesOf(slot.time))) {
    throw failure('Validation', `${doctor.name} has no slot at ${slot.time} on ${slot.date}.`, [{ path: 'slot', message: 'Not one of the doctor’s slots.' }]);
  }
}

/** After a clash: name it, and offer the doctor's next free slots that the patient can also attend. */
async function clash(db: Kysely<Database>, constraint: string | undefined, doctor: { doctorId: number; name: string; slotMinutes: number; hours: WorkingHours[] }, patientId: number, slot: Slot, now: Date, ignoreAppointmentId?: number) {
  const horizon = addDays(slot.date, 14);
  const hours = doctor.hours;
  const [doctorBusy, patientBusy] = await Promise.all([findBusy(db, [doctor.doctorId], slot.date, horizon), findPatientBusy(db, patientId, slot.date, horizon)]);
  const holding = (list: Appointment[]) => list.filter((a) => HOLDS_TIME.includes(a.status) && a.appointmentId !== ignoreAppointmentId);
  const free = nextFreeSlots({
    hours,
    slotMinutes: doctor.slotMinutes,
    doctorBusy: holding(doctorBusy).map(toBusy),
    patientBusy: holding(patientBusy).map(toBusy),
    after: { date: slot.date, minute: minutesOf(slot.time) - 1 },
    notBefore: localNow(now),
    count: 3,
    horizonDays: 14,
  });
  const start = minutesOf(slot.time);
  const overlapping = (list: Appointment[]) => holding(list).find((a) => a.date === slot.date && minutesOf(a.time) < start + doctor.slotMinutes && start < minutesOf(a.time) + a.durationMinutes);
  const message =
    constraint === 'appointments_no_patient_overlap'
      ? `This patient already has an appointment at ${overlapping(patientBusy)?.time ?? slot.time} on ${slot.date}${overlapping(patientBusy) ? ` with ${overlapping(patientBusy)!.doctorName}` : ''}.`
      : `${doctor.name} is already booked at ${slot.time} on ${slot.date}${overlapping(doctorBusy) ? ` (${overlapping(doctorBusy)!.patientName})` : ''}.`;
  return bookingConflict(message, free);
}

/**
 * Inserts under a savepoint: the exclusion constraints decide (for every client, under any
 * concurrency); a clash rolls back to the savepoint so the free slots can still be read.
 */
async function guarded<T>(db: Kysely<Database>, write: () => Promise<T>, onClash: (constraint: string | undefined) => Promise<Error>): Promise<T> {
  // Released implicitly at COMMIT: one round trip fewer on the path every booking takes.
  await sql`SAVEPOINT booking`.execute(db);
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23503' && constraint?.includes('patient')) throw failure('NotFound', 'No such patient.');
    if (code !== '23P01') throw error;
    await sql`ROLLBACK TO SAVEPOINT booking`.execute(db);
    throw await onClash(constraint);
  }
}

export async function bookAppointment(
  db: Kysely<Database>,
  request: { patientId: number; doctorId: number; slot: Slot; purpose: string | null },
  actor: string,
  now: Date,
): Promise<Appointment> {
  const doctor = await requireDoctor(db, request.doctorId);
  checkSlot(doctor, request.slot, now);
  const created = await guarded(
    db,
    () =>
      insertAppointment(db, {
        patientId: request.patientId,
        doctorId: doctor.doctorId,
        departmentId: doctor.departmentId,
        date: request.slot.date,
        time: request.slot.time,
        durationMinutes: doctor.slotMinutes,
        purpose: request.purpose,
        createdBy: actor,
      }),
    (constraint) => clash(db, constraint, doctor, request.patientId, request.slot, now),
  );
  // Row level security can hide the new row from the RETURNING join (a patient the clerk may not see).
  if (!created) throw failure('NotFound', 'No such patient.');
  return created;
}

export async function rescheduleAppointment(db: Kysely<Database>, appointmentId: number, slot: Slot, now: Date): Promise<Appointment> {
  const current = await requireAppointment(db, appointmentId);
  if (current.status !== 'Scheduled') throw failure('Conflict', `Only a scheduled appointment can be moved; this one is ${current.status}.`);
  const doctor = await requireDoctor(db, current.doctorId);
  checkSlot(doctor, slot, now);
  await guarded(
    db,
    () => db.updateTable('appointments').set({ appointment_date: slot.date, appointment_time: slot.time }).where('appointment_id', '=', appointmentId).execute(),
    (constraint) => clash(db, constraint, doctor, current.patientId, slot, now, appointmentId),
  );
  return requireAppointment(db, appointmentId);
}

export async function cancelAppointment(db: Kysely<Database>, appointmentId: number, reason: string): Promise<Appointment> {
  const current = await requireAppointment(db, appointmentId);
  if (!['Scheduled', 'CheckedIn'].includes(current.status)) throw failure('Conflict', `This appointment is already ${current.status}.`);
  await db.updateTable('appointments').set({ status: 'Cancelled', cancel_reason: reason }).where('appointment_id', '=', appointmentId).execute();
  return requireAppointment(db, appointmentId);
}

/** Which status may follow which (check-in, no-show, completion). */
export const NEXT: Record<string, string[]> = { Scheduled: ['CheckedIn', 'NoShow'], CheckedIn: ['Completed'] };

export async function setAppointmentStatus(db: Kysely<Database>, appointmentId: number, status: 'CheckedIn' | 'NoShow' | 'Completed'): Promise<Appointment> {
  const current = await requireAppointment(db, appointmentId);
  if (!(NEXT[current.status] ?? []).includes(status)) throw failure('Conflict', `An appointment that is ${current.status} cannot be marked ${status}.`);
  await db.updateTable('appointments').set({ status }).where('appointment_id', '=', appointmentId).execute();
  return requireAppointment(db, appointmentId);
}

/** Each doctor's slots and appointments, day by day. */
export async function getBook(db: Kysely<Database>, doctorIds: number[], from: string, days: number): Promise<BookDay[]> {
  const to = addDays(from, days - 1);
  const doctors = await db.selectFrom('doctors').select(['doctor_id', 'slot_minutes']).where('doctor_id', 'in', doctorIds).execute();
  const [hours, appointments] = await Promise.all([findWorkingHours(db, doctorIds), findBusy(db, doctorIds, from, to)]);
  return assembleBook(
    doctors.map((d) => ({ doctorId: d.doctor_id, slotMinutes: d.slot_minutes, hours: hours.filter((h) => h.doctor_id === d.doctor_id) })),
    appointments,
    from,
    days,
  );
}

/** The book from what is known of doctors and appointments: online from SQL, offline from the working set. */
export function assembleBook(doctors: { doctorId: number; slotMinutes: number; hours: WorkingHours[] }[], appointments: Appointment[], from: string, days: number): BookDay[] {
  const book: BookDay[] = [];
  for (const doctor of doctors) {
    for (let d = 0; d < days; d += 1) {
      const date = addDays(from, d);
      const dayAppointments = appointments.filter((a) => a.doctorId === doctor.doctorId && a.date === date);
      const holding = dayAppointments.filter((a) => HOLDS_TIME.includes(a.status));
      const slots = daySlots(doctor.hours, date, doctor.slotMinutes).map((start) => ({
        time: clockOf(start),
        appointmentId: holding.find((a) => minutesOf(a.time) < start + doctor.slotMinutes && start < minutesOf(a.time) + a.durationMinutes)?.appointmentId ?? null,
      }));
      book.push({ doctorId: doctor.doctorId, date, slots, appointments: dayAppointments });
    }
  }
  return book;
}

export const listPatientAppointments = (db: Kysely<Database>, patientId: number, today: string) =>
  selectAppointments(db).where('a.patient_id', '=', patientId).where('a.appointment_date', '>=', today).orderBy('a.appointment_date').orderBy('a.appointment_time').execute();
