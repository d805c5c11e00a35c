import { sql, type Kysely } from 'kysely';
import type { ControlledCount, LedgerType } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';

const iso = (column: RawColumn) => sql<string>`to_char(${sql.raw(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
type RawColumn = 'p.transaction_date' | 'c.counted_at' | 'c.resolved_at';

export interface RegisterRow {
  transactionId: number;
  at: string;
  type: LedgerType;
  lotId: number | null;
  lotNumber: string | null;
  quantity: number;
  balance: number;
  prescriptionId: number | null;
  patientId: number | null;
  performedBy: string | null;
  witnessedBy: string | null;
  notes: string | null;
}

/**
 * A medicine's movements with the running balance over all its lots (rows that name a lot: the ones
 * that move stock), the latest `limit` within the range, oldest first; one more tells of truncation.
 */
export async function findRegister(
  db: Kysely<Database>,
  medicineId: number,
  range: { since: Date | null; until: Date | null },
  limit: number,
): Promise<RegisterRow[]> {
  const { rows } = await sql<RegisterRow>`
    WITH register AS (
      SELECT p.*, (sum(p.quantity) OVER (ORDER BY p.transaction_date, p.transaction_id))::int AS balance
      FROM pharmacy p WHERE p.medicine_id = ${medicineId} AND p.lot_id IS NOT NULL
    )
    SELECT * FROM (
      SELECT p.transaction_id AS "transactionId", ${iso('p.transaction_date')} AS at, p.transaction_type AS type,
             p.lot_id AS "lotId", l.lot_number AS "lotNumber", p.quantity, p.balance, p.prescription_id AS "prescriptionId",
             p.patient_id AS "patientId", pu.display_name AS "performedBy", wu.display_name AS "witnessedBy", p.notes,
             p.transaction_date AS sort_at
      FROM register p
      LEFT JOIN medicine_lots l ON l.lot_id = p.lot_id
      LEFT JOIN users pu ON pu.user_id = p.performed_by
      LEFT JOIN users wu ON wu.user_id = p.witnessed_by
      WHERE (${range.since}::timestamptz IS NULL OR p.transaction_date >= ${range.since}::timestamptz)
        AND (${range.until}::timestamptz IS NULL OR p.transaction_date < ${range.until}::timestamptz)
      ORDER BY p.transaction_date DESC, p.transaction_id DESC
      LIMIT ${limit + 1}
    ) latest ORDER BY sort_at, "transactionId"`.execute(db);
  return rows.map(({ sort_at: _at, ...row }: RegisterRow & { sort_at?: unknown }) => row);
}

const COUNT_COLUMNS = sql`
  c.count_id AS "countId", c.medicine_id AS "medicineId", m.name AS "medicineName", m.strength, m.form,
  ${iso('c.counted_at')} AS "countedAt", cu.display_name AS "countedBy", wu.display_name AS "witnessedBy",
  c.book_balance AS "bookBalance", c.counted_quantity AS counted, c.difference, c.note,
  CASE WHEN c.resolved_at IS NULL THEN NULL ELSE ${iso('c.resolved_at')} END AS "resolvedAt",
  ru.display_name AS "resolvedBy", c.resolution`;
const COUNT_FROM = sql`
  controlled_drug_counts c
  JOIN medicine m ON m.medicine_id = c.medicine_id
  LEFT JOIN users cu ON cu.user_id = c.counted_by
  LEFT JOIN users wu ON wu.user_id = c.witnessed_by
  LEFT JOIN users ru ON ru.user_id = c.resolved_by`;

export async function findCounts(
  db: Kysely<Database>,
  where: { countId?: number; medicineId?: number; discrepanciesOnly?: boolean; includeResolved?: boolean },
  limit = 200,
): Promise<ControlledCount[]> {
  const { rows } = await sql<ControlledCount>`
    SELECT ${COUNT_COLUMNS} FROM ${COUNT_FROM}
    WHERE (${where.countId ?? null}::int IS NULL OR c.count_id = ${where.countId ?? null}::int)
      AND (${where.medicineId ?? null}::int IS NULL OR c.medicine_id = ${where.medicineId ?? null}::int)
      AND (NOT ${where.discrepanciesOnly ?? false}::boolean OR c.difference <> 0)
      AND (${where.includeResolved ?? true}::boolean OR c.resolved_at IS NULL)
    ORDER BY ${where.discrepanciesOnly ?? false}::boolean AND c.resolved_at IS NOT NULL, c.counted_at DESC, c.count_id DESC
    LIMIT ${limit}`.execute(db);
  return rows;
}

/** A count; the database reads the book balance from the lots itself. */
export async function insertCount(
  db: Kysely<Database>,
  count: { medicineId: number; counted: number; note: string | null; countedBy: string; witnessedBy: string | null },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO controlled_drug_counts (medicine_id, counted_quantity, note, counted_by, witnessed_by)
    VALUES (${count.medicineId}, ${count.counted}, ${count.note}, ${count.countedBy}::uuid, ${count.witnessedBy}::uuid)
    RETURNING count_id AS id`.execute(db);
  return rows[0]!.id;
}

/** Rows changed: 0 when there is no open discrepancy with this id the caller may resolve. */
export async function resolveCount(db: Kysely<Database>, countId: number, resolution: string): Promise<number> {
  const result = await sql`
    UPDATE controlled_drug_counts SET resolution = ${resolution}
    WHERE count_id = ${countId} AND resolved_at IS NULL AND difference <> 0`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The book balance now: stock on hand over every lot of the medicine. */
export const bookBalance = (db: Kysely<Database>, medicineId: number) =>
  sql<{ n: number }>`SELECT COALESCE(sum(quantity_on_hand), 0)::int AS n FROM medicine_lots WHERE medicine_id = ${medicineId}`
    .execute(db)
    .then((r) => r.rows[0]?.n ?? 0);
