import type { Kysely } from 'kysely';
import type { Appointment, BookDay, Slot } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import { writeUnderSavepoint } from '../db/exclusion-write.js';
import { bookingConflict, failure } from '../shared/failure.js';
import {
  findAppointment,
  findAppointmentsOfDoctors,
  findDoctorSlotLengths,
  findDoctorWithHours,
  findPatientBusy,
  findWorkingHours,
  insertAppointment,
  moveAppointment,
  findUpcomingOfPatient,
  updateAppointment,
} from './appointments.repository.js';
import {
  addDays,
  assembleBook,
  checkCanCancel,
  checkCanMove,
  checkSlot,
  checkStatusChange,
  describeClash,
  type WorkingHours,
} from './booking-rules.js';

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

/** After a clash: the constraint that fired names it; the rules word it and find the next free slots. */
async function clash(
  db: Kysely<Database>,
  constraint: string | undefined,
  doctor: { doctorId: number; name: string; slotMinutes: number; hours: WorkingHours[] },
  patientId: number,
  slot: Slot,
  now: Date,
  ignoring?: number,
) {
  const horizon = addDays(slot.date, 14);
  const [doctorAppointments, patientAppointments] = await Promise.all([
    findAppointmentsOfDoctors(db, [doctor.doctorId], slot.date, horizon),
    findPatientBusy(db, patientId, slot.date, horizon),
  ]);
  const kind = constraint === 'appointments_no_patient_overlap' ? 'patient' : 'doctor';
  const { message, nextFreeSlots } = describeClash({ kind, doctor, slot, doctorAppointments, patientAppointments, now, ignoring });
  return bookingConflict(message, nextFreeSlots);
}

/** A write the exclusion constraints decide (for every client, under any concurrency); a clash names the next free slots. */
async function guarded<T>(
  db: Kysely<Database>,
  write: () => Promise<T>,
  onClash: (constraint: string | undefined) => Promise<Error>,
): Promise<T> {
  try {
    return await writeUnderSavepoint(db, write);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23503' && constraint?.includes('patient')) throw failure('NotFound', 'No such patient.');
    if (code !== '23P01') throw error;
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
  checkCanMove(current);
  const doctor = await requireDoctor(db, current.doctorId);
  checkSlot(doctor, slot, now);
  await guarded(
    db,
    () => moveAppointment(db, appointmentId, slot),
    (constraint) => clash(db, constraint, doctor, current.patientId, slot, now, appointmentId),
  );
  return requireAppointment(db, appointmentId);
}

export async function cancelAppointment(db: Kysely<Database>, appointmentId: number, reason: string): Promise<Appointment> {
  checkCanCancel(await requireAppointment(db, appointmentId));
  await updateAppointment(db, appointmentId, { status: 'Cancelled', cancel_reason: reason });
  return requireAppointment(db, appointmentId);
}

export async function setAppointmentStatus(
  db: Kysely<Database>,
  appointmentId: number,
  status: 'CheckedIn' | 'NoShow' | 'Completed',
): Promise<Appointment> {
  checkStatusChange(await requireAppointment(db, appointmentId), status);
  await updateAppointment(db, appointmentId, { status });
  return requireAppointment(db, appointmentId);
}

/** Each doctor's slots and appointments, day by day. */
export async function getBook(db: Kysely<Database>, doctorIds: number[], from: string, days: number): Promise<BookDay[]> {
  const to = addDays(from, days - 1);
  const doctors = await findDoctorSlotLengths(db, doctorIds);
  const [hours, appointments] = await Promise.all([findWorkingHours(db, doctorIds), findAppointmentsOfDoctors(db, doctorIds, from, to)]);
  return assembleBook(
    doctors.map((d) => ({ doctorId: d.doctor_id, slotMinutes: d.slot_minutes, hours: hours.filter((h) => h.doctor_id === d.doctor_id) })),
    appointments,
    from,
    days,
  );
}

export const listPatientAppointments = (db: Kysely<Database>, patientId: number, today: string) =>
  findUpcomingOfPatient(db, patientId, today);
