import { sql, type Kysely } from 'kysely';
import type { LotRow, LowStockRow, StockOnHandRow } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';

/** A lot with what a stock movement needs of its medicine. */
export interface LotWithMedicine {
  lotId: number;
  medicineId: number;
  lotNumber: string;
  expiryDate: string;
  quantityOnHand: number;
  medicineName: string;
  isControlled: boolean;
}

export async function findLotWithMedicine(db: Kysely<Database>, lotId: number): Promise<LotWithMedicine | undefined> {
  const { rows } = await sql<LotWithMedicine>`
    SELECT l.lot_id AS "lotId", l.medicine_id AS "medicineId", l.lot_number AS "lotNumber", l.expiry_date AS "expiryDate",
           l.quantity_on_hand AS "quantityOnHand", m.name || ' ' || m.strength AS "medicineName", m.is_controlled AS "isControlled"
    FROM medicine_lots l JOIN medicine m ON m.medicine_id = l.medicine_id
    WHERE l.lot_id = ${lotId}`.execute(db);
  return rows[0];
}

export const lotStockNow = (db: Kysely<Database>, lotId: number) =>
  db
    .selectFrom('medicine_lots')
    .select('quantity_on_hand')
    .where('lot_id', '=', lotId)
    .executeTakeFirst()
    .then((r) => r?.quantity_on_hand ?? 0);

/** Per lot an order was dispensed from: what left, what came back, what still may. */
export async function findReturnable(db: Kysely<Database>, prescriptionId: number) {
  const { rows } = await sql<{ lotId: number; lotNumber: string; expiryDate: string; dispensed: number; returned: number }>`
    SELECT p.lot_id AS "lotId", l.lot_number AS "lotNumber", l.expiry_date AS "expiryDate",
           COALESCE(-sum(p.quantity) FILTER (WHERE p.transaction_type = 'Dispense'), 0)::int AS dispensed,
           COALESCE(sum(p.quantity) FILTER (WHERE p.transaction_type = 'Return'), 0)::int AS returned
    FROM pharmacy p JOIN medicine_lots l ON l.lot_id = p.lot_id
    WHERE p.prescription_id = ${prescriptionId} AND p.transaction_type IN ('Dispense', 'Return')
    GROUP BY p.lot_id, l.lot_number, l.expiry_date
    ORDER BY l.expiry_date, p.lot_id`.execute(db);
  return rows.map((r) => ({ ...r, returnable: Math.max(0, r.dispensed - r.returned) }));
}

/** Lot columns with value (unit price × stock) and days to expiry, judged on `today`. */
const lotColumns = (today: string) => sql`
  l.lot_id AS "lotId", l.medicine_id AS "medicineId", m.name AS "medicineName", m.strength, m.form,
  m.is_controlled AS "isControlled", l.lot_number AS "lotNumber", l.expiry_date AS "expiryDate", l.supplier,
  l.quantity_on_hand AS "quantityOnHand", l.expiry_date < ${today}::date AS expired,
  (l.expiry_date - ${today}::date) AS "daysLeft", m.unit_price::text AS "unitPrice",
  (m.unit_price * l.quantity_on_hand)::numeric(14, 2)::text AS value`;

/** The stock grid: lots, first expiry first. */
export async function listLots(
  db: Kysely<Database>,
  query: { medicineId?: number | undefined; includeEmpty: boolean; limit: number },
  today: string,
): Promise<LotRow[]> {
  const { rows } = await sql<LotRow>`
    SELECT ${lotColumns(today)}
    FROM medicine_lots l JOIN medicine m ON m.medicine_id = l.medicine_id
    WHERE (${query.medicineId ?? null}::int IS NULL OR l.medicine_id = ${query.medicineId ?? null})
      AND (${query.includeEmpty} OR l.quantity_on_hand > 0)
    ORDER BY l.expiry_date, m.name, l.lot_id
    LIMIT ${query.limit}`.execute(db);
  return rows;
}

/** Lots with stock that expire within `withinDays` of today (and, if asked, those already expired). */
export async function findExpiringLots(
  db: Kysely<Database>,
  withinDays: number,
  includeExpired: boolean,
  today: string,
): Promise<LotRow[]> {
  const { rows } = await sql<LotRow>`
    SELECT ${lotColumns(today)}
    FROM medicine_lots l JOIN medicine m ON m.medicine_id = l.medicine_id
    WHERE l.quantity_on_hand > 0 AND l.expiry_date <= ${today}::date + ${withinDays}::int
      AND (${includeExpired} OR l.expiry_date >= ${today}::date)
    ORDER BY l.expiry_date, m.name, l.lot_id`.execute(db);
  return rows;
}

/** Active medicines at or under their reorder level (usable stock: lots not expired), emptiest first. */
export async function findLowStock(db: Kysely<Database>, today: string): Promise<LowStockRow[]> {
  const { rows } = await sql<LowStockRow>`
    SELECT m.medicine_id AS "medicineId", m.name, m.generic_name AS "genericName", m.strength, m.form,
           m.is_controlled AS "isControlled", m.reorder_level AS "reorderLevel", s.usable AS "usableStock", s.total AS "totalStock"
    FROM medicine m
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(l.quantity_on_hand) FILTER (WHERE l.expiry_date >= ${today}::date), 0)::int AS usable,
             COALESCE(sum(l.quantity_on_hand), 0)::int AS total
      FROM medicine_lots l WHERE l.medicine_id = m.medicine_id) s
    WHERE m.is_active AND s.usable <= m.reorder_level
    ORDER BY s.usable - m.reorder_level, m.name, m.strength`.execute(db);
  return rows;
}

/** Stock on hand per medicine and its value at unit price; the total is summed in NUMERIC too. */
export async function findStockOnHand(db: Kysely<Database>, controlledOnly: boolean, includeEmpty: boolean, today: string) {
  const { rows } = await sql<StockOnHandRow & { totalValue: string }>`
    SELECT m.medicine_id AS "medicineId", m.name, m.generic_name AS "genericName", m.strength, m.form,
           m.is_controlled AS "isControlled", m.reorder_level AS "reorderLevel", m.unit_price::text AS "unitPrice",
           s.total AS "quantityOnHand", s.usable AS "usableQuantity", s.lots,
           (m.unit_price * s.total)::numeric(14, 2)::text AS value,
           (sum(m.unit_price * s.total) OVER ())::numeric(16, 2)::text AS "totalValue"
    FROM medicine m
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(l.quantity_on_hand), 0)::int AS total,
             COALESCE(sum(l.quantity_on_hand) FILTER (WHERE l.expiry_date >= ${today}::date), 0)::int AS usable,
             (count(*) FILTER (WHERE l.quantity_on_hand > 0))::int AS lots
      FROM medicine_lots l WHERE l.medicine_id = m.medicine_id) s
    WHERE m.is_active AND (NOT ${controlledOnly} OR m.is_controlled) AND (${includeEmpty} OR s.total > 0)
    ORDER BY m.name, m.strength, m.form`.execute(db);
  const totalValue = rows[0]?.totalValue ?? '0.00';
  return { rows: rows.map(({ totalValue: _total, ...row }) => row), totalValue };
}
