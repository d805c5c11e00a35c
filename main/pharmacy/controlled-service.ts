// Controlled drugs: the register (every movement with its running balance and witness) and physical
// counts against the book balance; a difference stays open for an administrator to resolve.
import type { Kysely } from 'kysely';
import type { WitnessInput } from '../../contract/common.js';
import type { ControlledCount } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { witnessWhereNeeded, type Actor } from './controlled-witness.js';
import { bookBalance, findCounts, findRegister, insertCount, resolveCount } from './controlled.repository.js';
import { findPatientNames } from './ledger.repository.js';
import { findMedicine } from './medicines.repository.js';
import { dayRange } from './pharmacy-dates.js';

async function requireMedicine(db: Kysely<Database>, medicineId: number) {
  const medicine = await findMedicine(db, medicineId);
  if (!medicine) throw failure('NotFound', 'No such medicine in the formulary.');
  return medicine;
}

export async function getControlledRegister(
  db: Kysely<Database>,
  request: { medicineId: number; from?: string | undefined; to?: string | undefined; limit: number },
) {
  const medicine = await requireMedicine(db, request.medicineId);
  const rows = await findRegister(db, request.medicineId, dayRange(request.from, request.to), request.limit);
  const truncated = rows.length > request.limit;
  const entries = truncated ? rows.slice(1) : rows;
  const names = await findPatientNames(db, [...new Set(entries.flatMap((e) => (e.patientId === null ? [] : [e.patientId])))]);
  const first = entries[0];
  return {
    medicineId: medicine.medicineId,
    medicineName: medicine.name,
    strength: medicine.strength,
    form: medicine.form,
    isControlled: medicine.isControlled,
    openingBalance: first ? first.balance - first.quantity : await bookBalance(db, request.medicineId),
    bookBalance: await bookBalance(db, request.medicineId),
    entries: entries.map((e) => ({ ...e, patientName: e.patientId === null ? null : (names.get(e.patientId) ?? null) })),
    truncated,
    counts: await findCounts(db, { medicineId: request.medicineId }, 100),
  };
}

export async function recordControlledCount(
  db: Kysely<Database>,
  request: { medicineId: number; countedQuantity: number; note: string | null; witness?: WitnessInput | undefined },
  actor: Actor,
): Promise<ControlledCount> {
  const medicine = await requireMedicine(db, request.medicineId);
  if (!medicine.isControlled)
    throw failure('Validation', `${medicine.name} is not a controlled drug: counts are kept for the controlled-drug register only.`);
  // A count needs no witness, but one given is checked like any other (and named on the count).
  const witness = await witnessWhereNeeded(
    db,
    { name: medicine.name, isControlled: false },
    request.witness,
    actor,
    'pharmacy/record-controlled-count',
  );
  const countId = await insertCount(db, {
    medicineId: request.medicineId,
    counted: request.countedQuantity,
    note: request.note || null,
    countedBy: actor.userId,
    witnessedBy: witness?.userId ?? null,
  });
  return (await findCounts(db, { countId }))[0]!;
}

export const listDiscrepancies = (db: Kysely<Database>, includeResolved: boolean) =>
  findCounts(db, { discrepanciesOnly: true, includeResolved }, 1000);

export async function resolveDiscrepancy(db: Kysely<Database>, countId: number, resolution: string): Promise<ControlledCount> {
  if ((await resolveCount(db, countId, resolution)) === 0) {
    const [count] = await findCounts(db, { countId });
    if (!count) throw failure('NotFound', 'No such count.');
    throw failure(
      'Conflict',
      count.difference === 0
        ? 'This count matched the book balance: there is nothing to resolve.'
        : 'This discrepancy has already been resolved.',
    );
  }
  return (await findCounts(db, { countId }))[0]!;
}
