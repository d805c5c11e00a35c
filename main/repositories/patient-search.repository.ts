import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { PatientSearchResult } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import type { PatientQuery } from '../services/patient-query.js';

type Patients = ExpressionBuilder<Database, 'patients'>;

// Row level security lets the planner use an index only for leakproof operators: prefixes are
// searched as ranges with ~>=~ / ~<~ on the stored lower-case columns (see migration 010).
const PAST_ANY_SUFFIX = '\u{10FFFF}';
const startsWith = (_eb: Patients, column: 'search_last' | 'search_first' | 'contact_number', prefix: string) =>
  sql<SqlBool>`(${sql.ref(column)} ~>=~ ${prefix} AND ${sql.ref(column)} ~<~ ${prefix + PAST_ANY_SUFFIX})`;

/** Name tokens in either order ("maria garcia", "garcia maria"), or last-first when typed with a comma. */
function nameMatches(eb: Patients, tokens: string[], lastFirst: boolean): Expression<SqlBool> {
  const [a, b] = tokens;
  if (b === undefined) return eb.or([startsWith(eb, 'search_last', a!), startsWith(eb, 'search_first', a!)]);
  const lastThenFirst = eb.and([startsWith(eb, 'search_last', a!), startsWith(eb, 'search_first', b)]);
  if (lastFirst) return lastThenFirst;
  return eb.or([lastThenFirst, eb.and([startsWith(eb, 'search_first', a!), startsWith(eb, 'search_last', b)])]);
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

/** The exact pass: prefixes, birth date, phone or number — all index-backed under RLS. */
export async function searchExact(db: Kysely<Database>, query: PatientQuery, limit: number): Promise<PatientSearchResult[]> {
  let select = db.selectFrom('patients').select(baseColumns).select(sql<'exact'>`'exact'`.as('match'));
  switch (query.kind) {
    case 'id':
      select = select.where('patient_id', '=', query.patientId);
      break;
    case 'phone':
      select = select.where((eb) => startsWith(eb, 'contact_number', query.digits));
      break;
    case 'dob':
      select = select.where('date_of_birth', '=', query.dateOfBirth);
      break;
    case 'name':
      select = select.where((eb) => nameMatches(eb, query.tokens, query.lastFirst));
      if (query.dateOfBirth) select = select.where('date_of_birth', '=', query.dateOfBirth);
      break;
  }
  return select.orderBy('search_last').orderBy('search_first').orderBy('date_of_birth').limit(limit).execute();
}

/**
 * The partial ("arci" in "garcia") and typo-tolerant passes: the database function finds ids on its
 * trigram index (for roles that see every patient), then the rows are read through RLS as usual.
 */
export async function searchByNameIndex(
  db: Kysely<Database>,
  mode: 'partial' | 'similar',
  tokens: string[],
  dateOfBirth: string | null,
  excludeIds: number[],
  limit: number,
): Promise<PatientSearchResult[]> {
  const { rows: found } = await sql<{ patient_id: number }>`SELECT patient_id FROM find_patient_ids_by_name(${tokens}::text[], ${mode}, ${limit + excludeIds.length})`.execute(db);
  const ids = found.map((r) => r.patient_id).filter((id) => !excludeIds.includes(id));
  if (ids.length === 0) return [];
  let select = db.selectFrom('patients').select(baseColumns).select(sql<typeof mode>`${mode}::text`.as('match')).where('patient_id', '=', sql<number>`ANY(${ids}::int[])`);
  if (dateOfBirth) select = select.where('date_of_birth', '=', dateOfBirth);
  const rows = await select.execute();
  const rank = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => rank.get(a.patientId)! - rank.get(b.patientId)!).slice(0, limit) as PatientSearchResult[];
}
