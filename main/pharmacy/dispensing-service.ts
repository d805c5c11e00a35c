import { sql, type Kysely } from 'kysely';
import type { DispenseResult } from '../../contract/pharmacy.js';
import type { WitnessInput } from '../../contract/common.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { witnessWhereNeeded, type Actor } from './controlled-witness.js';
import {
  findLot,
  findLotsWithStock,
  findMedicine,
  findMedicineWithLots,
  insertBillLine,
  insertLedgerRow,
  insertLot,
  type LotStock,
} from './medicines.repository.js';
import { findOrder } from './prescriptions.repository.js';
import { courseEndDate, describeShortage, expiresBeforeCourseEnds, isExpired, planFirstExpiryFirstOut } from './stock-rules.js';

interface DispenseRequest {
  prescriptionId: number;
  quantity?: number | undefined;
  lotChoice?: { lotId: number; reason: string } | undefined;
  witness?: WitnessInput | undefined;
}

/** The order, locked so that two pharmacists dispensing it at once go one after the other. */
async function lockDispensableOrder(db: Kysely<Database>, prescriptionId: number) {
  const locked = await findOrder(db, prescriptionId, true);
  const order = locked ?? (await findOrder(db, prescriptionId));
  if (!order) throw failure('NotFound', 'No such prescription.');
  if (order.status === 'Active' || order.status === 'Queried')
    throw failure('Conflict', 'This order has not been verified yet: verify it before dispensing.');
  if (order.status === 'Cancelled') throw failure('Conflict', 'This order was cancelled: nothing can be dispensed against it.');
  if (order.status !== 'Verified' && order.status !== 'PartiallyDispensed')
    throw failure('Conflict', `This order is already ${order.status}: nothing is left to dispense.`);
  if (!locked) throw failure('Conflict', 'Someone else changed this order at the same moment. Try again.');
  if (order.medicineId === null) throw failure('Validation', 'This prescription names no medicine.');
  return { ...order, medicineId: order.medicineId };
}

/** The lots to take from: the pharmacist's choice (with a reason), or first expiry first out. */
async function chooseLots(
  db: Kysely<Database>,
  medicineId: number,
  lotsWithStock: LotStock[],
  quantity: number,
  request: DispenseRequest,
  today: string,
) {
  if (request.lotChoice) {
    const lot = await findLot(db, request.lotChoice.lotId);
    if (!lot) throw failure('NotFound', 'No such lot.');
    if (lot.medicineId !== medicineId) throw failure('Validation', `Lot ${lot.lotNumber} is not a lot of the prescribed medicine.`);
    if (isExpired(lot, today)) throw failure('Validation', `Lot ${lot.lotNumber} expired on ${lot.expiryDate}: it cannot be dispensed.`);
    return { takes: [{ lot, quantity }], note: `Lot chosen by the pharmacist: ${request.lotChoice.reason}` };
  }
  const { takes, short } = planFirstExpiryFirstOut(lotsWithStock, quantity, today);
  if (short > 0) {
    const usable = quantity - short;
    const where = takes.map((t) => `${t.lot.lotNumber} (${t.lot.quantityOnHand}, expires ${t.lot.expiryDate})`).join(', ') || 'none';
    throw failure(
      'Conflict',
      `Only ${usable} usable unit(s) in stock for ${quantity} to dispense; lots with stock: ${where}. Expired lots are never used. Nothing was dispensed.`,
    );
  }
  return { takes, note: null };
}

/**
 * One transaction: a ledger row per lot (the database lowers each lot and counts the dispense against
 * the order), the order's new status, and a bill line. Stock is decided by the lot's CHECK under the
 * row lock of the database's own UPDATE, so concurrent dispensers can never take more than there is.
 */
export async function dispenseOrder(db: Kysely<Database>, request: DispenseRequest, actor: Actor, today: string): Promise<DispenseResult> {
  const userId = actor.userId;
  const order = await lockDispensableOrder(db, request.prescriptionId);
  const remaining = order.quantity - order.dispensedQuantity;
  const quantity = request.quantity ?? remaining;
  if (quantity > remaining)
    throw failure('Validation', `Only ${remaining} left to dispense on this order.`, [
      { path: 'quantity', message: `At most ${remaining}` },
    ]);
  const medicine = await findMedicineWithLots(db, order.medicineId);
  if (!medicine) throw failure('NotFound', 'No such medicine in the formulary.');
  const { takes, note } = await chooseLots(db, order.medicineId, medicine.lots, quantity, request, today);
  // Before any write: a refused witness commits only their failed sign-in's counter and audit row.
  const witness = await witnessWhereNeeded(db, medicine, request.witness, actor, 'pharmacy/dispense-order');
  const courseEnd = courseEndDate(today, order.durationDays, remaining, order.frequency);

  // The bill first and the ledger rows last: each ledger row locks its lot until COMMIT, so the
  // lots (shared by every pharmacist dispensing that medicine) are held for as short a time as possible.
  await sql`SAVEPOINT dispense`.execute(db);
  const amount = lineAmount(medicine.unitPrice, quantity);
  const billId = await insertBillLine(db, {
    patientId: order.patientId,
    // No medicine name: billing clerks and the front desk read every bill, not the clinical record (security review).
    description: `Pharmacy dispense x ${quantity} (prescription ${order.prescriptionId})`,
    amount,
    createdBy: userId,
  });
  const lines: DispenseResult['lines'] = [];
  for (const take of takes) {
    try {
      const transactionId = await insertLedgerRow(db, {
        medicineId: order.medicineId,
        lotId: take.lot.lotId,
        type: 'Dispense',
        quantity: -take.quantity,
        performedBy: userId,
        witnessedBy: witness?.userId ?? null,
        prescriptionId: order.prescriptionId,
        patientId: order.patientId,
        notes: note,
      });
      lines.push({
        transactionId,
        ...pick(take.lot),
        quantity: take.quantity,
        expiresBeforeCourseEnds: expiresBeforeCourseEnds(take.lot, courseEnd),
      });
    } catch (error) {
      throw await asStockFailure(db, error, take.lot, order.medicineId, today);
    }
  }
  // The database set the status from the ledger rows (pharmacy_count_dispensed): the same rule, no second read.
  return {
    prescriptionId: order.prescriptionId,
    status: quantity === remaining ? 'Dispensed' : 'PartiallyDispensed',
    dispensed: quantity,
    remaining: remaining - quantity,
    lines,
    billId,
    amount,
    witnessedBy: witness?.displayName ?? null,
  };
}

/** Unit price × quantity in whole cents, so no float rounding reaches a bill. */
export function lineAmount(unitPrice: string, quantity: number): string {
  const [whole = '0', fraction = ''] = unitPrice.split('.');
  const cents = (Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2))) * quantity;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const pick = (lot: LotStock) => ({ lotId: lot.lotId, lotNumber: lot.lotNumber, expiryDate: lot.expiryDate });

/** The lot's CHECK refused (someone took the stock first): say how many are left, and where else there is some. */
async function asStockFailure(db: Kysely<Database>, error: unknown, lot: LotStock, medicineId: number, today: string) {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === 'PH001') return failure('Validation', `Lot ${lot.lotNumber} is not a lot of the prescribed medicine.`);
  if (code === 'PH002') return failure('Conflict', 'This order is no longer open for dispensing.');
  if (code === 'PH004') return failure('Validation', 'A controlled drug needs a witness who is another pharmacist or nurse.');
  if (code !== '23514' || constraint !== 'medicine_lots_quantity_on_hand_check') return error;
  await sql`ROLLBACK TO SAVEPOINT dispense`.execute(db);
  const lots = await findLotsWithStock(db, medicineId);
  const left = (await findLot(db, lot.lotId))?.quantityOnHand ?? 0;
  return failure(
    'Conflict',
    describeShortage(
      lot.lotNumber,
      left,
      lots.filter((l) => l.lotId !== lot.lotId),
      today,
    ),
  );
}

export async function receiveDelivery(
  db: Kysely<Database>,
  delivery: { medicineId: number; lotNumber: string; expiryDate: string; quantity: number; supplier: string },
  userId: string,
  today: string,
) {
  const medicine = await findMedicine(db, delivery.medicineId);
  if (!medicine || !medicine.isActive) throw failure('NotFound', 'No such medicine in the formulary.');
  if (delivery.expiryDate < today)
    throw failure('Validation', 'This lot has already expired: it cannot be received.', [
      { path: 'expiryDate', message: 'Already expired' },
    ]);
  await sql`SAVEPOINT receive`.execute(db);
  let lotId: number;
  try {
    lotId = await insertLot(db, delivery);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    throw failure('Conflict', `Lot ${delivery.lotNumber} of ${medicine.name} has already been received.`);
  }
  const transactionId = await insertLedgerRow(db, {
    medicineId: delivery.medicineId,
    lotId,
    type: 'Receive',
    quantity: delivery.quantity,
    performedBy: userId,
    notes: `Delivery from ${delivery.supplier}`,
  });
  const lot = await findLot(db, lotId);
  return { lotId, transactionId, quantityOnHand: lot?.quantityOnHand ?? delivery.quantity };
}
