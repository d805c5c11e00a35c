// Stock that moves without a dispense: an adjustment after a count, a return from a ward into the lot
// it left, a disposal of expired or damaged units. Each is one ledger row with a reason; the database
// moves the lot, keeps it at or above zero, limits returns and insists on a controlled drug's witness.
import { sql, type Kysely } from 'kysely';
import type { WitnessInput } from '../../contract/common.js';
import type { LedgerType, StockMovementResult } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { witnessWhereNeeded, type Actor } from './controlled-witness.js';
import { insertLedgerRow } from './medicines.repository.js';
import { findOrder } from './prescriptions.repository.js';
import { findLotWithMedicine, findReturnable, lotStockNow, type LotWithMedicine } from './stock.repository.js';

async function requireLot(db: Kysely<Database>, lotId: number): Promise<LotWithMedicine> {
  const lot = await findLotWithMedicine(db, lotId);
  if (!lot) throw failure('NotFound', 'No such lot.');
  return lot;
}

/** Writes the row (refusals of the database put in words) and reads the lot's stock after it. */
async function writeMovement(
  db: Kysely<Database>,
  lot: LotWithMedicine,
  row: { type: LedgerType; quantity: number; notes: string; prescriptionId?: number },
  actor: Actor,
  witness: { userId: string; displayName: string } | null,
): Promise<StockMovementResult> {
  await sql`SAVEPOINT movement`.execute(db);
  let transactionId: number;
  try {
    transactionId = await insertLedgerRow(db, {
      medicineId: lot.medicineId,
      lotId: lot.lotId,
      type: row.type,
      quantity: row.quantity,
      performedBy: actor.userId,
      witnessedBy: witness?.userId ?? null,
      ...(row.prescriptionId === undefined ? {} : { prescriptionId: row.prescriptionId }),
      notes: row.notes,
    });
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23514' && constraint === 'medicine_lots_quantity_on_hand_check') {
      await sql`ROLLBACK TO SAVEPOINT movement`.execute(db);
      const left = await lotStockNow(db, lot.lotId);
      throw failure(
        'Conflict',
        `Not enough stock: lot ${lot.lotNumber} has ${left} left, so ${-row.quantity} cannot leave it. Nothing was changed.`,
      );
    }
    if (code === 'PH004') throw failure('Validation', 'A controlled drug needs a witness who is another pharmacist or nurse.');
    throw error;
  }
  return {
    transactionId,
    lotId: lot.lotId,
    lotNumber: lot.lotNumber,
    medicineId: lot.medicineId,
    type: row.type,
    quantity: row.quantity,
    quantityOnHand: await lotStockNow(db, lot.lotId),
    witnessedBy: witness?.displayName ?? null,
  };
}

export async function adjustStock(
  db: Kysely<Database>,
  request: { lotId: number; quantity: number; reason: string; witness?: WitnessInput | undefined },
  actor: Actor,
): Promise<StockMovementResult> {
  const lot = await requireLot(db, request.lotId);
  if (lot.quantityOnHand + request.quantity < 0)
    throw failure(
      'Validation',
      `Lot ${lot.lotNumber} holds ${lot.quantityOnHand}: an adjustment of ${request.quantity} would take it below zero.`,
      [{ path: 'quantity', message: `At least ${-lot.quantityOnHand}` }],
    );
  const witness = await witnessWhereNeeded(
    db,
    { name: lot.medicineName, isControlled: lot.isControlled },
    request.witness,
    actor,
    'pharmacy/adjust-stock',
  );
  return writeMovement(
    db,
    lot,
    { type: 'Adjust', quantity: request.quantity, notes: `Count adjustment: ${request.reason}` },
    actor,
    witness,
  );
}

export async function disposeStock(
  db: Kysely<Database>,
  request: { lotId: number; quantity: number; disposalKind: string; reason: string; witness?: WitnessInput | undefined },
  actor: Actor,
): Promise<StockMovementResult> {
  const lot = await requireLot(db, request.lotId);
  if (request.quantity > lot.quantityOnHand)
    throw failure('Validation', `Lot ${lot.lotNumber} holds only ${lot.quantityOnHand}: ${request.quantity} cannot be disposed of.`, [
      { path: 'quantity', message: `At most ${lot.quantityOnHand}` },
    ]);
  const witness = await witnessWhereNeeded(
    db,
    { name: lot.medicineName, isControlled: lot.isControlled },
    request.witness,
    actor,
    'pharmacy/dispose-stock',
  );
  const notes = `Disposed (${request.disposalKind}): ${request.reason}`;
  return writeMovement(db, lot, { type: 'Dispose', quantity: -request.quantity, notes }, actor, witness);
}

export async function listReturnable(db: Kysely<Database>, prescriptionId: number) {
  if (!(await findOrder(db, prescriptionId))) throw failure('NotFound', 'No such prescription.');
  return findReturnable(db, prescriptionId);
}

/** Units a ward sends back go into the lot they left, never more than this order took from it. */
export async function returnFromWard(
  db: Kysely<Database>,
  request: { prescriptionId: number; lotId: number; quantity: number; reason: string },
  actor: Actor,
): Promise<StockMovementResult> {
  const lot = await requireLot(db, request.lotId);
  const returnable = await listReturnable(db, request.prescriptionId);
  const fromLot = returnable.find((r) => r.lotId === request.lotId);
  if (!fromLot)
    throw failure(
      'Validation',
      `Nothing of this order was dispensed from lot ${lot.lotNumber}: a return goes back into the lot it came from.`,
      [
        {
          path: 'lotId',
          message: returnable.length ? `Dispensed from ${returnable.map((r) => r.lotNumber).join(', ')}` : 'Nothing dispensed',
        },
      ],
    );
  if (request.quantity > fromLot.returnable)
    throw failure('Validation', tooMany(fromLot), [{ path: 'quantity', message: `At most ${fromLot.returnable}` }]);
  try {
    return await writeMovement(
      db,
      lot,
      {
        type: 'Return',
        quantity: request.quantity,
        notes: `Returned from ward: ${request.reason}`,
        prescriptionId: request.prescriptionId,
      },
      actor,
      null,
    );
  } catch (error) {
    // Another return of the same order got in first (the database serialises them and counts again).
    if ((error as { code?: string }).code !== 'PH003') throw error;
    await sql`ROLLBACK TO SAVEPOINT movement`.execute(db);
    const now = (await findReturnable(db, request.prescriptionId)).find((r) => r.lotId === request.lotId) ?? fromLot;
    throw failure('Conflict', `${tooMany(now)} Another return was recorded at the same moment.`);
  }
}

const tooMany = (r: { lotNumber: string; dispensed: number; returned: number; returnable: number }) =>
  `Only ${r.returnable} unit(s) can come back into lot ${r.lotNumber}: ${r.dispensed} were dispensed from it for this order and ${r.returned} already returned. Nothing was changed.`;
