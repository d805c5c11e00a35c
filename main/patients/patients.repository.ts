import { sql, type Kysely } from 'kysely';
import type { PatientSearchResult, PatientSummary } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import type { NewPatient } from './patient-rules.js';

/** The columns of a PatientSummary (contract/schemas.ts), named as the contract names them. */
export const PATIENT_SUMMARY_COLUMNS = [
  'patient_id as patientId',
  'first_name as firstName',
  'last_name as lastName',
  'date_of_birth as dateOfBirth',
  'gender',
  'contact_number as contactNumber',
  'email',
  'department_id as departmentId',
] as const;

/** The same columns for hand-written SQL over `patients p`: one list, two spellings. */
const SUMMARY_SQL = sql.join(
  PATIENT_SUMMARY_COLUMNS.map((column) => {
    const [name, alias] = column.split(' as ') as [string, string | undefined];
    return sql`p.${sql.ref(name)} AS ${sql.ref(alias ?? name)}`;
  }),
);

export const findPatientSummary = (db: Kysely<Database>, patientId: number) =>
  db.selectFrom('patients').select(PATIENT_SUMMARY_COLUMNS).where('patient_id', '=', patientId).executeTakeFirst();

/** Patients by id as search results (those row level security lets this user see). */
export const findPatientsByIds = (db: Kysely<Database>, patientIds: number[]): Promise<PatientSearchResult[]> =>
  db
    .selectFrom('patients')
    .select([...PATIENT_SUMMARY_COLUMNS, 'address'])
    .select(sql<'exact'>`'exact'`.as('match'))
    .where('patient_id', '=', sql<number>`ANY(${patientIds}::int[])`)
    .execute();

/**
 * For each would-be patient (by position), up to 10 on file who may be the same person: the same
 * name and birth date, or the same phone (duplicateKeys in patient-rules.ts is this rule in code).
 * One statement for one registration or a replayed run of them; each row is looked up by index.
 */
export async function findPossibleDuplicates(
  db: Kysely<Database>,
  people: { firstName: string; lastName: string; dateOfBirth: string; contactNumber: string | null }[],
): Promise<Map<number, PatientSearchResult[]>> {
  const found = new Map<number, PatientSearchResult[]>();
  if (people.length === 0) return found;
  const rows = JSON.stringify(
    people.map((p, ord) => ({ ord, first: p.firstName, last: p.lastName, dob: p.dateOfBirth, phone: p.contactNumber })),
  );
  const { rows: candidates } = await sql<PatientSearchResult & { ord: number }>`
    SELECT r.ord, c.*
    FROM jsonb_to_recordset(${rows}::jsonb) AS r(ord int, first text, last text, dob date, phone text)
    CROSS JOIN LATERAL (
      SELECT ${SUMMARY_SQL}, p.address, 'exact' AS match
      FROM patients p
      WHERE (p.date_of_birth = r.dob AND lower(p.first_name) = lower(r.first) AND lower(p.last_name) = lower(r.last))
         OR (r.phone IS NOT NULL AND p.contact_number = r.phone)
      LIMIT 10) AS c`.execute(db);
  for (const { ord, ...patient } of candidates) found.set(ord, [...(found.get(ord) ?? []), patient]);
  return found;
}

/** Inserts patients in one statement, in the given order; returns them as summaries, in that order. */
export async function insertPatients(db: Kysely<Database>, people: NewPatient[]): Promise<PatientSummary[]> {
  if (people.length === 0) return [];
  const rows = JSON.stringify(
    people.map((p, ord) => ({
      ord,
      first_name: p.firstName,
      last_name: p.lastName,
      date_of_birth: p.dateOfBirth,
      gender: p.gender,
      contact_number: p.contactNumber,
      address: p.address,
      email: p.email,
    })),
  );
  return db
    .insertInto('patients')
    .columns(['first_name', 'last_name', 'date_of_birth', 'gender', 'contact_number', 'address', 'email'])
    .expression(
      sql`SELECT r.first_name, r.last_name, r.date_of_birth, r.gender, r.contact_number, r.address, r.email
          FROM jsonb_to_recordset(${rows}::jsonb)
            AS r(ord int, first_name text, last_name text, date_of_birth date, gender text, contact_number text, address text, email text)
          ORDER BY r.ord`,
    )
    .returning(PATIENT_SUMMARY_COLUMNS)
    .execute();
}
