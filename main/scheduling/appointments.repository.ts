import { sql, type Kysely } from 'kysely';
import type { Appointment, AppointmentStatus } from '../../contract/index.js';
import type { Database } from '../db/database.js';

/** An appointment as the book shows it (who, with whom, when), from `a` with its patient `p` and doctor `d`: the one projection. */
const APPOINTMENT_COLUMNS = [
  'a.appointment_id as appointmentId',
  'a.patient_id as patientId',
  sql<string>`p.last_name || ', ' || p.first_name`.as('patientName'),
  'p.date_of_birth as patientDateOfBirth',
  'a.doctor_id as doctorId',
  sql<string>`'Dr ' || d.first_name || ' ' || d.last_name`.as('doctorName'),
  'a.appointment_date as date',
  sql<string>`to_char(a.appointment_time, 'HH24:MI')`.as('time'),
  'a.duration_minutes as durationMinutes',
  'a.purpose',
  sql<AppointmentStatus>`a.status`.as('status'),
  'a.cancel_reason as cancelReason',
] as const;

/** Appointments as the book shows them. */
export function selectAppointments(db: Kysely<Database>) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('patients as p', 'p.patient_id', 'a.patient_id')
    .innerJoin('doctors as d', 'd.doctor_id', 'a.doctor_id')
    .select(APPOINTMENT_COLUMNS)
    .$castTo<Appointment>();
}

export const findAppointment = (db: Kysely<Database>, appointmentId: number) =>
  selectAppointments(db).where('a.appointment_id', '=', appointmentId).executeTakeFirst();

/** Active doctors with their department and slot length, as the book lists them. */
function selectDoctors(db: Kysely<Database>) {
  return db
    .selectFrom('doctors as d')
    .leftJoin('departments as dep', 'dep.department_id', 'd.department_id')
    .select([
      'd.doctor_id as doctorId',
      sql<string>`'Dr ' || d.first_name || ' ' || d.last_name`.as('name'),
      'd.specialization',
      'd.department_id as departmentId',
      'dep.name as departmentName',
      'd.slot_minutes as slotMinutes',
    ])
    .where('d.is_active', '=', true);
}

/** Doctors with their weekly hours (minutes from midnight) in the same row. */
const selectDoctorsWithHours = (db: Kysely<Database>) =>
  selectDoctors(db).select(
    sql<{ iso_weekday: number; start: number; end: number }[]>`coalesce((
      SELECT json_agg(json_build_object('iso_weekday', h.iso_weekday,
                                        'start', extract(epoch from h.start_time)::int / 60,
                                        'end', extract(epoch from h.end_time)::int / 60) ORDER BY h.start_time)
      FROM doctor_working_hours h WHERE h.doctor_id = d.doctor_id), '[]'::json)`.as('hours'),
  );

/** A doctor with their weekly hours, in one round trip. */
export const findDoctorWithHours = (db: Kysely<Database>, doctorId: number) =>
  selectDoctorsWithHours(db).where('d.doctor_id', '=', doctorId).executeTakeFirst();

/** Several doctors with their weekly hours, in one round trip (replaying a run of bookings). */
export const findDoctorsWithHours = (db: Kysely<Database>, doctorIds: number[]) =>
  selectDoctorsWithHours(db)
    .where('d.doctor_id', '=', sql<number>`ANY(${doctorIds}::int[])`)
    .execute();

export interface NewAppointmentRow {
  patient_id: number;
  doctor_id: number;
  department_id: number | null;
  appointment_date: string;
  appointment_time: string;
  duration_minutes: number;
  purpose: string | null;
}

/**
 * Inserts many appointments in one statement, in the given order; a row that would clash (the
 * exclusion constraints, with the book or an earlier row) is skipped, not an error. Returns those
 * inserted as the book shows them; names are null for a row row level security hides.
 */
export async function insertAppointmentsSkippingClashes(db: Kysely<Database>, rows: NewAppointmentRow[], createdBy: string) {
  const inserted = await db
    .with('a', (qb) =>
      qb
        .insertInto('appointments')
        .columns([
          'patient_id',
          'doctor_id',
          'department_id',
          'appointment_date',
          'appointment_time',
          'duration_minutes',
          'purpose',
          'created_by',
        ])
        .expression(
          sql`SELECT r.patient_id, r.doctor_id, r.department_id, r.appointment_date, r.appointment_time, r.duration_minutes, r.purpose, ${createdBy}::uuid
              FROM jsonb_to_recordset(${JSON.stringify(rows.map((row, ord) => ({ ...row, ord })))}::jsonb)
                AS r(ord int, patient_id int, doctor_id int, department_id int, appointment_date date, appointment_time time, duration_minutes int, purpose text)
              ORDER BY r.ord`,
        )
        .onConflict((oc) => oc.doNothing())
        .returningAll(),
    )
    .selectFrom('a')
    .leftJoin('patients as p', 'p.patient_id', 'a.patient_id')
    .leftJoin('doctors as d', 'd.doctor_id', 'a.doctor_id')
    .select(APPOINTMENT_COLUMNS)
    .execute();
  return inserted as (Omit<Appointment, 'patientName' | 'doctorName'> & { patientName: string | null; doctorName: string | null })[];
}

/** Inserts an appointment and returns it as the book shows it, in one statement. */
export async function insertAppointment(
  db: Kysely<Database>,
  values: {
    patientId: number;
    doctorId: number;
    departmentId: number | null;
    date: string;
    time: string;
    durationMinutes: number;
    purpose: string | null;
    createdBy: string;
  },
): Promise<Appointment | undefined> {
  const row = await db
    .with('a', (qb) =>
      qb
        .insertInto('appointments')
        .values({
          patient_id: values.patientId,
          doctor_id: values.doctorId,
          department_id: values.departmentId,
          appointment_date: values.date,
          appointment_time: values.time,
          duration_minutes: values.durationMinutes,
          purpose: values.purpose,
          created_by: values.createdBy,
        })
        .returningAll(),
    )
    .selectFrom('a')
    .innerJoin('patients as p', 'p.patient_id', 'a.patient_id')
    .innerJoin('doctors as d', 'd.doctor_id', 'a.doctor_id')
    .select(APPOINTMENT_COLUMNS)
    .executeTakeFirst();
  return row as Appointment | undefined;
}

export const moveAppointment = (db: Kysely<Database>, appointmentId: number, slot: { date: string; time: string }) =>
  db
    .updateTable('appointments')
    .set({ appointment_date: slot.date, appointment_time: slot.time })
    .where('appointment_id', '=', appointmentId)
    .execute();

export const updateAppointment = (
  db: Kysely<Database>,
  appointmentId: number,
  change: { status: AppointmentStatus; cancel_reason?: string },
) => db.updateTable('appointments').set(change).where('appointment_id', '=', appointmentId).execute();

/** Each doctor's slot length. */
export const findDoctorSlotLengths = (db: Kysely<Database>, doctorIds: number[]) =>
  db.selectFrom('doctors').select(['doctor_id', 'slot_minutes']).where('doctor_id', 'in', doctorIds).execute();

/** A patient's appointments from `today` on, in time order. */
export const findUpcomingOfPatient = (db: Kysely<Database>, patientId: number, today: string) =>
  selectAppointments(db)
    .where('a.patient_id', '=', patientId)
    .where('a.appointment_date', '>=', today)
    .orderBy('a.appointment_date')
    .orderBy('a.appointment_time')
    .execute();

export function listDoctors(db: Kysely<Database>, departmentId?: number) {
  let query = selectDoctors(db).orderBy('dep.name').orderBy('d.last_name');
  if (departmentId) query = query.where('d.department_id', '=', departmentId);
  return query.execute();
}

/** Weekly hours of some doctors, as minutes from midnight. */
export async function findWorkingHours(db: Kysely<Database>, doctorIds: number[]) {
  const rows = await db
    .selectFrom('doctor_working_hours')
    .select([
      'doctor_id',
      'iso_weekday',
      sql<number>`extract(epoch from start_time)::int / 60`.as('start'),
      sql<number>`extract(epoch from end_time)::int / 60`.as('end'),
    ])
    .where('doctor_id', 'in', doctorIds)
    .orderBy('start')
    .execute();
  return rows;
}

/**
 * Every appointment of these doctors in [from, to], whatever its status: the book shows cancelled
 * ones too, and the rules (holdsTime in booking-rules.ts) keep only those that hold time.
 */
export const findAppointmentsOfDoctors = (db: Kysely<Database>, doctorIds: number[], from: string, to: string) =>
  selectAppointments(db)
    .where('a.doctor_id', 'in', doctorIds)
    .where('a.appointment_date', '>=', from)
    .where('a.appointment_date', '<=', to)
    .orderBy('a.appointment_date')
    .orderBy('a.appointment_time')
    .execute();

/** A patient's own appointments that hold time in [from, to], to keep them out of two places at once. */
export const findPatientBusy = (db: Kysely<Database>, patientId: number, from: string, to: string) =>
  selectAppointments(db)
    .where('a.patient_id', '=', patientId)
    .where('a.status', 'not in', ['Cancelled', 'NoShow'])
    .where('a.appointment_date', '>=', from)
    .where('a.appointment_date', '<=', to)
    .execute();
