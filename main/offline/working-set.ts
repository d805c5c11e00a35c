import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Appointment, Doctor, PatientSearchResult } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import { findBusy, findWorkingHours, listDoctors } from '../repositories/appointments.repository.js';
import { PATIENT_SUMMARY_COLUMNS } from '../repositories/patients.repository.js';
import { addDays, type WorkingHours } from '../scheduling/slots.js';
import { parsePatientQuery } from '../services/patient-query.js';
import { readSealedJson, writeSealedJson, type SealedFiles } from './sealed-file.js';

/**
 * What a front-desk terminal keeps so it can go on booking while the database is unreachable:
 * the doctors it books for and their hours, their appointments for the next two weeks, the patients
 * those reference, and patients recently seen or registered here. Bounded, and stored only sealed.
 */
export interface WorkingSet {
  /** Names this copy: offline, a user is served it only if the server showed them all of it (coversWorkingSet). */
  id: string;
  builtAt: string;
  from: string;
  days: number;
  doctors: (Doctor & { hours: WorkingHours[] })[];
  appointments: Appointment[];
  patients: PatientSearchResult[];
}

export const WORKING_SET_DAYS = 15; // today and the next 14
export const MAX_PATIENTS = 20_000;

export async function buildWorkingSet(
  db: Kysely<Database>,
  options: { today: string; departmentId?: number; recentPatientIds: number[] },
): Promise<WorkingSet> {
  const doctors = await listDoctors(db, options.departmentId);
  const doctorIds = doctors.map((d) => d.doctorId);
  const to = addDays(options.today, WORKING_SET_DAYS - 1);
  const [hours, appointments] = doctorIds.length
    ? await Promise.all([
        findWorkingHours(db, doctorIds),
        findBusy(db, doctorIds, options.today, to),
      ])
    : [[], []];
  const patientIds = [...new Set([...appointments.map((a) => a.patientId), ...options.recentPatientIds])].slice(0, MAX_PATIENTS);
  const patients = patientIds.length
    ? ((await db
        .selectFrom('patients')
        .select([...PATIENT_SUMMARY_COLUMNS, 'address'])
        .select(sql<'exact'>`'exact'`.as('match'))
        .where('patient_id', '=', sql<number>`ANY(${patientIds}::int[])`)
        .execute()) as PatientSearchResult[])
    : [];
  return {
    id: randomUUID(),
    builtAt: new Date().toISOString(),
    from: options.today,
    days: WORKING_SET_DAYS,
    doctors: doctors.map((d) => ({ ...d, hours: hours.filter((h) => h.doctor_id === d.doctorId).map(({ iso_weekday, start, end }) => ({ iso_weekday, start, end })) })),
    appointments,
    patients,
  };
}

/**
 * Whether the user whose context `db` runs in (RLS applies) sees every patient and appointment of
 * the working set online. Stops at the first one they do not see.
 */
export async function coversWorkingSet(db: Kysely<Database>, set: WorkingSet): Promise<boolean> {
  const patientIds = set.patients.map((p) => p.patientId);
  const appointmentIds = set.appointments.map((a) => a.appointmentId);
  const { rows } = await sql<{ hidden: boolean }>`
    SELECT EXISTS (SELECT 1 FROM unnest(${patientIds}::int[]) AS w(id) WHERE NOT EXISTS (SELECT 1 FROM patients p WHERE p.patient_id = w.id))
        OR EXISTS (SELECT 1 FROM unnest(${appointmentIds}::int[]) AS w(id) WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.appointment_id = w.id)) AS hidden`.execute(db);
  return rows[0]?.hidden === false;
}

const FILE = 'working-set.bin';
export const saveWorkingSet = (dir: string, files: SealedFiles, set: WorkingSet) => writeSealedJson(`${dir}/${FILE}`, 'working-set', files, set);
/** The sealed working set; null when there is none or it is refused (damaged, an older copy, another file). */
export function loadWorkingSet(dir: string, files: SealedFiles): WorkingSet | null {
  const read = readSealedJson<WorkingSet>(`${dir}/${FILE}`, 'working-set', files);
  return read.status === 'ok' && typeof read.value?.id === 'string' ? read.value : null;
}

/** The same kinds of search as online (name prefixes in either order, birth date, phone, number, a word inside a name), over the working set. */
export function searchWorkingSet(set: WorkingSet, text: string, limit = 20): PatientSearchResult[] {
  const query = parsePatientQuery(text);
  if (!query) return [];
  const lower = (s: string | null) => (s ?? '').toLowerCase();
  const matches = (p: PatientSearchResult): boolean => {
    switch (query.kind) {
      case 'id':
        return p.patientId === query.patientId;
      case 'phone':
        return (p.contactNumber ?? '').replace(/\D/g, '').startsWith(query.digits);
      case 'dob':
        return p.dateOfBirth === query.dateOfBirth;
      case 'name': {
        if (query.dateOfBirth && p.dateOfBirth !== query.dateOfBirth) return false;
        const [a, b] = query.tokens;
        const last = lower(p.lastName);
        const first = lower(p.firstName);
        if (b === undefined) return last.includes(a!) || first.includes(a!);
        return (last.startsWith(a!) && first.startsWith(b)) || (!query.lastFirst && first.startsWith(a!) && last.startsWith(b));
      }
    }
  };
  return set.patients
    .filter(matches)
    .sort((x, y) => lower(x.lastName).localeCompare(lower(y.lastName)) || lower(x.firstName).localeCompare(lower(y.firstName)))
    .slice(0, limit);
}
