import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { PatientSearchResult } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import type { PatientQuery } from './patient-query.js';
import { PATIENT_SUMMARY_COLUMNS } from './patients.repository.js';

// Row level security lets the planner use an index only for leakproof operators: prefixes are
// searched as ranges with >= / < on the stored lower-case "C"-collated columns (see migration 010).
const PAST_ANY_SUFFIX = '\u{10FFFF}';
type SearchColumn = 'search_last' | 'search_first';
const startsWith = (column: SearchColumn, prefix: string) =>
  sql<SqlBool>`(${sql.ref(column)} >= ${prefix} AND ${sql.ref(column)} < ${prefix + PAST_ANY_SUFFIX})`;
const phoneStartsWith = (prefix: string) =>
  sql<SqlBool>`(contact_number ~>=~ ${prefix} AND contact_number ~<~ ${prefix + PAST_ANY_SUFFIX})`;

const baseColumns = [...PATIENT_SUMMARY_COLUMNS, 'address', 'search_last', 'search_first'] as const;

type Row = PatientSearchResult & { search_last: string | null; search_first: string | null };
// Code-unit order, like the "C" collation the indexes walk in.
const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byName = (a: Row, b: Row) =>
  compare(a.search_last ?? '', b.search_last ?? '') ||
  compare(a.search_first ?? '', b.search_first ?? '') ||
  compare(a.dateOfBirth, b.dateOfBirth);
const strip = ({ search_last: _l, search_first: _f, ...row }: Row): PatientSearchResult => row;

function exactSelect(db: Kysely<Database>) {
  return db
    .selectFrom('patients')
    .select(baseColumns)
    .select(sql<'exact'>`'exact'`.as('match'));
}

type Match = PatientSearchResult['match'];
type Condition = (column: SearchColumn) => Expression<SqlBool>;

/**
 * One index walk per reading of the words: by last name then first (index last, first), or by first
 * then last (index first, last). Each stops after `limit` rows in index order.
 */
function walk(
  db: Kysely<Database>,
  match: Match,
  lead: SearchColumn,
  leadMatches: Condition,
  otherMatches: Condition | undefined,
  dateOfBirth: string | null,
  limit: number,
) {
  const other: SearchColumn = lead === 'search_last' ? 'search_first' : 'search_last';
  let select = db
    .selectFrom('patients')
    .select(baseColumns)
    .select(sql<Match>`${match}::text`.as('match'))
    .where(leadMatches(lead));
  if (otherMatches) select = select.where(otherMatches(other));
  if (dateOfBirth) select = select.where('date_of_birth', '=', dateOfBirth);
  return select.orderBy(lead).orderBy(other).limit(limit);
}

/** Both readings of the words (only last-then-first after a comma), in one round trip. */
async function walkBothWays(
  db: Kysely<Database>,
  match: Match,
  a: Condition,
  b: Condition | undefined,
  query: { lastFirst: boolean; dateOfBirth: string | null },
  limit: number,
) {
  const byLast = walk(db, match, 'search_last', a, b, query.dateOfBirth, limit);
  if (query.lastFirst) return (await byLast.execute()) as Row[];
  // Each walk keeps its own ORDER BY … LIMIT (its own index walk); the merge sorts the union.
  const byFirst = walk(db, match, 'search_first', a, b, query.dateOfBirth, limit);
  const { rows } = await sql<Row>`(${byLast}) UNION ALL (${byFirst})`.execute(db);
  return rows;
}

/** Each patient once, in name order, at most `limit`. */
function merge(rows: Row[], limit: number, excludeIds: number[] = []): PatientSearchResult[] {
  const unique = [...new Map(rows.filter((r) => !excludeIds.includes(r.patientId)).map((r) => [r.patientId, r])).values()];
  return unique.sort(byName).slice(0, limit).map(strip);
}

/** The exact pass: prefixes, birth date, phone or number — all index-backed under RLS. */
export async function searchExact(db: Kysely<Database>, query: PatientQuery, limit: number): Promise<PatientSearchResult[]> {
  let rows: Row[];
  switch (query.kind) {
    case 'id':
      rows = (await exactSelect(db).where('patient_id', '=', query.patientId).execute()) as Row[];
      break;
    case 'phone':
      rows = (await exactSelect(db).where(phoneStartsWith(query.digits)).limit(limit).execute()) as Row[];
      break;
    case 'dob':
      rows = (await exactSelect(db).where('date_of_birth', '=', query.dateOfBirth).limit(500).execute()) as Row[];
      break;
    case 'name': {
      const [a, b] = query.tokens;
      rows = await walkBothWays(db, 'exact', (c) => startsWith(c, a!), b === undefined ? undefined : (c) => startsWith(c, b), query, limit);
      break;
    }
  }
  return merge(rows, limit);
}

/** Name words containing (`partial`) or one typo from (`similar`) what was typed, via the database. */
async function nameWords(db: Kysely<Database>, fragment: string, mode: 'partial' | 'similar'): Promise<string[]> {
  const { rows } = await sql<{ word: string }>`SELECT word FROM find_name_words(${fragment}, ${mode}, 30)`.execute(db);
  return rows.map((r) => r.word);
}

const oneOf = (column: SearchColumn, words: string[]) => sql<SqlBool>`${sql.ref(column)} = ANY(${words}::text[])`;

/**
 * The partial ("arci" in "garcia") and typo-tolerant ("garsia") passes: each typed word becomes the
 * name words it could mean (the word itself, for a second word typed right), then the patients are
 * found by equality on the indexed name columns, through row level security as usual.
 */
export async function searchByNameWords(
  db: Kysely<Database>,
  mode: 'partial' | 'similar',
  query: { tokens: string[]; lastFirst: boolean; dateOfBirth: string | null },
  excludeIds: number[],
  limit: number,
): Promise<PatientSearchResult[]> {
  const [a, b] = query.tokens;
  const wordsA = [...new Set([...(await nameWords(db, a!, mode)), ...(b !== undefined ? [a!] : [])])];
  const wordsB = b === undefined ? undefined : [...new Set([b, ...(await nameWords(db, b, mode))])];
  if (wordsA.length === 0 || (wordsB && wordsB.length === 0)) return [];
  const rows = await walkBothWays(db, mode, (c) => oneOf(c, wordsA), wordsB && ((c) => oneOf(c, wordsB)), query, limit + excludeIds.length);
  return merge(rows, limit, excludeIds);
}
