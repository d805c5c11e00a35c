// The ledger grid: filtered, in one of four fixed sorts, paged by keyset (the sort key and the row id
// of the last row), so page 10 of 100,000 rows costs what page 1 does.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { LedgerEntry, LedgerSort, LedgerType } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';

export interface LedgerFilter {
  medicineId?: number | undefined;
  patientId?: number | undefined;
  userId?: string | undefined;
  /** Instants (the clinic's local midnights): from inclusive, until exclusive. */
  since?: Date | null | undefined;
  until?: Date | null | undefined;
  types?: LedgerType[] | undefined;
}

/** Each sort: the key expression, as text for the cursor, and the cast that turns the cursor back into a key. */
const SORTS: Record<LedgerSort, { key: RawBuilder<unknown>; asText: RawBuilder<string>; cast: (v: string) => RawBuilder<unknown> }> = {
  date: { key: sql`p.transaction_date`, asText: sql`p.transaction_date::text`, cast: (v) => sql`${v}::timestamptz` },
  medicine: { key: sql`m.name`, asText: sql`m.name::text`, cast: (v) => sql`${v}::text` },
  type: { key: sql`p.transaction_type`, asText: sql`p.transaction_type::text`, cast: (v) => sql`${v}::text` },
  quantity: { key: sql`p.quantity`, asText: sql`p.quantity::text`, cast: (v) => sql`${v}::int` },
};

export interface LedgerCursor {
  key: string;
  id: number;
}

export const encodeCursor = (c: LedgerCursor) => Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');

/** The cursor back, or null when it is not one this list handed out. */
export function decodeCursor(text: string): LedgerCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [key, id] = value as unknown[];
    if (typeof key !== 'string' || key.length > 200 || !Number.isInteger(id) || (id as number) < 1) return null;
    return { key, id: id as number };
  } catch {
    return null;
  }
}

type Row = Omit<LedgerEntry, 'patientName'> & { sortKey: string };

export async function findLedgerPage(
  db: Kysely<Database>,
  filter: LedgerFilter,
  sort: LedgerSort,
  direction: 'asc' | 'desc',
  after: LedgerCursor | null,
  limit: number,
): Promise<Row[]> {
  const s = SORTS[sort];
  const dir = direction === 'asc' ? sql`ASC` : sql`DESC`;
  const beyond = after
    ? direction === 'asc'
      ? sql`(${s.key}, p.transaction_id) > (${s.cast(after.key)}, ${after.id}::int)`
      : sql`(${s.key}, p.transaction_id) < (${s.cast(after.key)}, ${after.id}::int)`
    : sql`true`;
  const { rows } = await sql<Row>`
    SELECT p.transaction_id AS "transactionId",
           to_char(p.transaction_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
           p.transaction_type AS type, p.medicine_id AS "medicineId", m.name AS "medicineName", m.strength, m.form,
           p.lot_id AS "lotId", l.lot_number AS "lotNumber", p.quantity, p.prescription_id AS "prescriptionId",
           p.patient_id AS "patientId", p.performed_by AS "performedById", pu.display_name AS "performedBy",
           wu.display_name AS "witnessedBy", p.notes, ${s.asText} AS "sortKey"
    FROM pharmacy p
    JOIN medicine m ON m.medicine_id = p.medicine_id
    LEFT JOIN medicine_lots l ON l.lot_id = p.lot_id
    LEFT JOIN users pu ON pu.user_id = p.performed_by
    LEFT JOIN users wu ON wu.user_id = p.witnessed_by
    WHERE ${beyond}
      AND (${filter.medicineId ?? null}::int IS NULL OR p.medicine_id = ${filter.medicineId ?? null}::int)
      AND (${filter.patientId ?? null}::int IS NULL OR p.patient_id = ${filter.patientId ?? null}::int)
      AND (${filter.userId ?? null}::uuid IS NULL OR p.performed_by = ${filter.userId ?? null}::uuid)
      AND (${filter.since ?? null}::timestamptz IS NULL OR p.transaction_date >= ${filter.since ?? null}::timestamptz)
      AND (${filter.until ?? null}::timestamptz IS NULL OR p.transaction_date < ${filter.until ?? null}::timestamptz)
      AND (${filter.types ?? null}::text[] IS NULL OR p.transaction_type = ANY (${filter.types ?? null}::text[]))
    ORDER BY ${s.key} ${dir}, p.transaction_id ${dir}
    LIMIT ${limit}`.execute(db);
  return rows;
}

/** Names of the patients the reader may see, looked up once per page rather than once per row. */
export async function findPatientNames(db: Kysely<Database>, patientIds: number[]): Promise<Map<number, string>> {
  if (patientIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; name: string }>`
    SELECT patient_id AS id, last_name || ', ' || first_name AS name FROM patients WHERE patient_id = ANY (${patientIds}::int[])`.execute(
    db,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Everyone who has moved stock, for the user filter. */
export async function findLedgerUsers(db: Kysely<Database>) {
  const { rows } = await sql<{ userId: string; displayName: string }>`
    SELECT u.user_id AS "userId", u.display_name AS "displayName"
    FROM users u WHERE EXISTS (SELECT 1 FROM pharmacy p WHERE p.performed_by = u.user_id)
    ORDER BY u.display_name`.execute(db);
  return rows;
}
