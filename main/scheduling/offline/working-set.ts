import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Appointment, Doctor, PatientSearchResult } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { findWorkingHours, listDoctors } from '../appointments.repository.js';
import { findAppointmentsOfDoctors } from '../appointments.repository.js';
import { findPatientsByIds, parsePatientQuery } from '../../patients/index.js';
import { addDays, type WorkingHours } from '../booking-rules.js';
import { readSealedJson, writeSealedJson, type SealedFiles } from '../../security/sealed-file.js';

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
    ? await Promise.all([findWorkingHours(db, doctorIds), findAppointmentsOfDoctors(db, doctorIds, options.today, to)])
    : [[], []];
  const patientIds = [...new Set([...appointments.map((a) => a.patientId), ...options.recentPatientIds])].slice(0, MAX_PATIENTS);
  const patients = patientIds.length ? await findPatientsByIds(db, patientIds) : [];
  return {
    id: randomUUID(),
    builtAt: new Date().toISOString(),
    from: options.today,
    days: WORKING_SET_DAYS,
    doctors: doctors.map((d) => ({
      ...d,
      hours: hours.filter((h) => h.doctor_id === d.doctorId).map(({ iso_weekday, start, end }) => ({ iso_weekday, start, end })),
    })),
    appointments,
    patients,
  };
}

const FILE = 'working-set.bin';
export const saveWorkingSet = (dir: string, files: SealedFiles, set: WorkingSet) =>
  writeSealedJson(`${dir}/${FILE}`, 'working-set', files, set);
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
