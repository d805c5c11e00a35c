import type { Kysely } from 'kysely';
import type { PatientSearchResult, PatientSummary } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import { failure } from '../ipc/failure.js';
import { searchByNameWords, searchExact } from '../repositories/patient-search.repository.js';
import { PATIENT_SUMMARY_COLUMNS } from '../repositories/patients.repository.js';
import { parsePatientQuery } from './patient-query.js';

const FEW = 5;

/**
 * Names that start with what was typed come first; when they do not fill the page, names that
 * contain it follow, then names one typo away — each marked, so the clerk knows how it matched.
 */
export async function searchPatients(db: Kysely<Database>, text: string, limit: number, wider = true): Promise<PatientSearchResult[]> {
  const query = parsePatientQuery(text);
  if (!query) return [];
  const found = await searchExact(db, query, limit);
  // The wider passes run only while the page is nearly empty, so typing a common prefix stays cheap.
  if (!wider || query.kind !== 'name' || found.length >= FEW || query.tokens.some((t) => t.length < 3)) return found;
  for (const mode of ['partial', 'similar'] as const) {
    found.push(...(await searchByNameWords(db, mode, query, found.map((p) => p.patientId), limit - found.length)));
    if (found.length >= FEW) break;
  }
  return found.slice(0, limit);
}

export interface NewPatientInput {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  gender: string | null;
  contactNumber: string | null;
  address: string | null;
  email: string | null;
  confirmNotDuplicate: boolean;
}

/**
 * The rule for "possibly the same person", as keys two registrations share: the same name and birth
 * date, or the same phone. The query below is the same rule in SQL; the terminal applies it offline.
 */
export const duplicateKeys = (p: { firstName: string; lastName: string; dateOfBirth: string; contactNumber: string | null }): string[] => [
  `name:${p.firstName.toLowerCase()}|${p.lastName.toLowerCase()}|${p.dateOfBirth}`,
  ...(p.contactNumber ? [`phone:${p.contactNumber}`] : []),
];

/** Refuses a birth date after today (the clinic's date), naming the field. */
export function checkBirthDate(dateOfBirth: string, today: string): void {
  if (dateOfBirth > today) throw failure('Validation', 'The date of birth is in the future.', [{ path: 'dateOfBirth', message: 'The date of birth is in the future.' }]);
}

/** Same name and birth date, or the same phone: shown to the clerk before a second record is made. */
async function possibleDuplicates(db: Kysely<Database>, p: NewPatientInput): Promise<PatientSearchResult[]> {
  return db
    .selectFrom('patients')
    .select([...PATIENT_SUMMARY_COLUMNS, 'address'])
    .select((eb) => eb.val('exact' as const).as('match'))
    .where((eb) =>
      eb.or([
        eb.and([
          eb(eb.fn('lower', ['first_name']), '=', p.firstName.toLowerCase()),
          eb(eb.fn('lower', ['last_name']), '=', p.lastName.toLowerCase()),
          eb('date_of_birth', '=', p.dateOfBirth),
        ]),
        ...(p.contactNumber ? [eb('contact_number', '=', p.contactNumber)] : []),
      ]),
    )
    .limit(10)
    .execute();
}

export async function registerPatient(db: Kysely<Database>, p: NewPatientInput, today: string) {
  checkBirthDate(p.dateOfBirth, today);
  if (!p.confirmNotDuplicate) {
    const candidates = await possibleDuplicates(db, p);
    if (candidates.length > 0) return { status: 'possible-duplicates' as const, candidates };
  }
  const patient: PatientSummary = await db
    .insertInto('patients')
    .values({ first_name: p.firstName, last_name: p.lastName, date_of_birth: p.dateOfBirth, gender: p.gender, contact_number: p.contactNumber, address: p.address, email: p.email })
    .returning(PATIENT_SUMMARY_COLUMNS)
    .executeTakeFirstOrThrow();
  return { status: 'registered' as const, patient };
}
