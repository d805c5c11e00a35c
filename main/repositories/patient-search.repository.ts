import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { PatientSearchResult } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import { likePrefix, type PatientQuery } from '../services/patient-query.js';

type Patients = ExpressionBuilder<Database, 'patients'>;

const lastName = sql<string>`lower(last_name)`;
const firstName = sql<string>`lower(first_name)`;
const fullName = sql<string>`lower(first_name || ' ' || last_name)`;

const startsWith = (column: typeof lastName, token: string) => sql<SqlBool>`${column} LIKE ${likePrefix(token)}`;

/** Name tokens in either order ("maria garcia", "garcia maria"), or last-first when typed with a comma. */
function nameMatches(eb: Patients, tokens: string[], lastFirst: boolean): Expression<SqlBool> {
  const [a, b] = tokens;
  if (b === undefined) return eb.or([startsWith(lastName, a!), startsWith(firstName, a!)]);
  const lastThenFirst = eb.and([startsWith(lastName, a!), startsWith(firstName, b)]);
  if (lastFirst) return lastThenFirst;
  return eb.or([lastThenFirst, eb.and([startsWith(firstName, a!), startsWith(lastName, b)])]);
}

const baseColumns = [
  'patient_id as patientId',
  'first_name as firstName',
  'last_name as lastName',
  'date_of_birth as dateOfBirth',
  'gender',
  'contact_number as contactNumber',
  'email',
  'department_id as departmentId',
  'address',
] as const;

/** The exact pass: prefixes, birth date, phone or number — all index-backed. */
export async function searchExact(db: Kysely<Database>, query: PatientQuery, limit: number): Promise<PatientSearchResult[]> {
  let select = db.selectFrom('patients').select(baseColumns).select(sql<'exact'>`'exact'`.as('match'));
  switch (query.kind) {
    case 'id':
      select = select.where('patient_id', '=', query.patientId);
      break;
    case 'phone':
      select = select.where(sql<SqlBool>`contact_number LIKE ${likePrefix(query.digits)}`);
      break;
    case 'dob':
      select = select.where('date_of_birth', '=', query.dateOfBirth);
      break;
    case 'name':
      select = select.where((eb) => nameMatches(eb, query.tokens, query.lastFirst));
      if (query.dateOfBirth) select = select.where('date_of_birth', '=', query.dateOfBirth);
      break;
  }
  return select.orderBy(lastName).orderBy(firstName).orderBy('date_of_birth').limit(limit).execute();
}

/** The partial pass: every typed word somewhere inside "first last" (trigram GIN index). */
export async function searchPartial(db: Kysely<Database>, tokens: string[], dateOfBirth: string | null, excludeIds: number[], limit: number): Promise<PatientSearchResult[]> {
  let select = db.selectFrom('patients').select(baseColumns).select(sql<'partial'>`'partial'`.as('match'));
  for (const token of tokens) select = select.where(sql<SqlBool>`${fullName} LIKE ${`%${likePrefix(token)}`}`);
  if (dateOfBirth) select = select.where('date_of_birth', '=', dateOfBirth);
  if (excludeIds.length > 0) select = select.where('patient_id', 'not in', excludeIds);
  return select.orderBy(lastName).orderBy(firstName).limit(limit).execute();
}

/**
 * The typo-tolerant pass for names: trigram word similarity on "first last" (GIN index), best first.
 * The threshold is set for this transaction only.
 */
export async function searchSimilar(db: Kysely<Database>, tokens: string[], dateOfBirth: string | null, excludeIds: number[], limit: number): Promise<PatientSearchResult[]> {
  const text = tokens.join(' ');
  await sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.45', true)`.execute(db);
  let select = db
    .selectFrom('patients')
    .select(baseColumns)
    .select(sql<'similar'>`'similar'`.as('match'))
    .where(sql<SqlBool>`${text} <% ${fullName}`);
  if (dateOfBirth) select = select.where('date_of_birth', '=', dateOfBirth);
  if (excludeIds.length > 0) select = select.where('patient_id', 'not in', excludeIds);
  return select.orderBy(sql`word_similarity(${text}, ${fullName})`, 'desc').orderBy(lastName).limit(limit).execute();
}
