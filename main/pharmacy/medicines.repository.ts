import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { LedgerType, MedicineSummary } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';

/** Active medicines whose brand or generic name (with strength) contains every typed word. */
export async function searchMedicines(db: Kysely<Database>, query: string, limit: number, today: string): Promise<MedicineSummary[]> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const { rows } = await sql<MedicineSummary>`
    SELECT m.medicine_id AS "medicineId", m.name, m.generic_name AS "genericName", m.form, m.strength,
           m.drug_class AS "drugClass", m.max_daily_dose AS "maxDailyDose", m.dose_unit AS "doseUnit",
           m.unit_price AS "unitPrice", m.is_controlled AS "isControlled",
           COALESCE((SELECT sum(l.quantity_on_hand) FROM medicine_lots l
                     WHERE l.medicine_id = m.medicine_id AND l.expiry_date >= ${today}::date), 0)::int AS "usableStock"
    FROM medicine m
    WHERE m.is_active
      AND (SELECT bool_and(strpos(lower(m.name || ' ' || coalesce(m.generic_name, '') || ' ' || m.strength), w) > 0)
           FROM unnest(${words}::text[]) AS w)
    ORDER BY m.name, m.strength
    LIMIT ${limit}`.execute(db);
  return rows;
}

const MEDICINE_COLUMNS = [
  'medicine_id as medicineId',
  'name',
  'generic_name as genericName',
  'form',
  'strength',
  'drug_class as drugClass',
  'max_daily_dose as maxDailyDose',
  'dose_unit as doseUnit',
  'unit_price as unitPrice',
  'is_active as isActive',
  'is_controlled as isControlled',
] as const;

export const findMedicine = (db: Kysely<Database>, medicineId: number) =>
  db.selectFrom('medicine').select(MEDICINE_COLUMNS).where('medicine_id', '=', medicineId).executeTakeFirst();

/** The medicine and its lots with stock (first expiry first) in one statement: what a dispense reads before it writes. */
export const findMedicineWithLots = (db: Kysely<Database>, medicineId: number) =>
  db
    .selectFrom('medicine')
    .select(MEDICINE_COLUMNS)
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('medicine_lots')
          .select(LOT_COLUMNS)
          .whereRef('medicine_lots.medicine_id', '=', 'medicine.medicine_id')
          .where('quantity_on_hand', '>', 0)
          .orderBy('expiry_date')
          .orderBy('lot_id'),
      ).as('lots'),
    )
    .where('medicine_id', '=', medicineId)
    .executeTakeFirst();

export interface LotStock {
  lotId: number;
  medicineId: number;
  lotNumber: string;
  expiryDate: string;
  quantityOnHand: number;
}

const LOT_COLUMNS = [
  'lot_id as lotId',
  'medicine_id as medicineId',
  'lot_number as lotNumber',
  'expiry_date as expiryDate',
  'quantity_on_hand as quantityOnHand',
] as const;

/** Every lot of a medicine with stock, first expiry first (the same read a dispense starts with). */
export const findLotsWithStock = async (db: Kysely<Database>, medicineId: number): Promise<LotStock[]> =>
  (await findMedicineWithLots(db, medicineId))?.lots ?? [];

export const findLot = (db: Kysely<Database>, lotId: number): Promise<LotStock | undefined> =>
  db.selectFrom('medicine_lots').select(LOT_COLUMNS).where('lot_id', '=', lotId).executeTakeFirst();

/** A new, empty lot: its stock arrives with the Receive row that follows. */
export const insertLot = (
  db: Kysely<Database>,
  lot: { medicineId: number; lotNumber: string; expiryDate: string; supplier: string },
): Promise<number> =>
  db
    .insertInto('medicine_lots')
    .values({ medicine_id: lot.medicineId, lot_number: lot.lotNumber, expiry_date: lot.expiryDate, supplier: lot.supplier })
    .returning('lot_id')
    .executeTakeFirstOrThrow()
    .then((r) => r.lot_id);

export interface LedgerRow {
  medicineId: number;
  lotId: number;
  type: LedgerType;
  /** Signed: negative leaves the lot. */
  quantity: number;
  performedBy: string;
  /** A controlled drug's second person (the database insists on one for its dispense, disposal and adjustment). */
  witnessedBy?: string | null;
  prescriptionId?: number;
  patientId?: number;
  notes?: string | null;
}

/** One ledger row; the database checks it, moves the lot's stock (and counts a dispense against its order). */
export const insertLedgerRow = async (db: Kysely<Database>, row: LedgerRow): Promise<number> => {
  // Plain SQL: witnessed_by (migration 024) is not in the generated types yet.
  const { rows } = await sql<{ id: number }>`
    INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, witnessed_by, prescription_id, patient_id, notes)
    VALUES (${row.medicineId}, ${row.lotId}, ${row.type}, ${row.quantity}, ${row.performedBy}::uuid, ${row.witnessedBy ?? null}::uuid,
            ${row.prescriptionId ?? null}, ${row.patientId ?? null}, ${row.notes ?? null})
    RETURNING transaction_id AS id`.execute(db);
  return rows[0]!.id;
};

/**
 * A bill line, in one round trip: the id is drawn in the statement itself, because whoever bills (a
 * pharmacist) may not read bills back, so RETURNING is not theirs to use.
 */
export async function insertBillLine(
  db: Kysely<Database>,
  line: { patientId: number; description: string; amount: string; createdBy: string },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    WITH drawn AS (SELECT nextval('billing_bill_id_seq')::int AS id),
         added AS (INSERT INTO billing (bill_id, patient_id, description, amount, created_by)
                   SELECT id, ${line.patientId}, ${line.description}, ${line.amount}::numeric, ${line.createdBy}::uuid FROM drawn)
    SELECT id FROM drawn`.execute(db);
  return rows[0]!.id;
}
