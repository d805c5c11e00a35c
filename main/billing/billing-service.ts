import { sql, type Kysely } from 'kysely';
import type { PatientAccount, PaymentMethod } from '../../contract/billing.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import {
  exceedsOwed,
  findAccountTotals,
  findAppointmentState,
  findBalances,
  findBill,
  lockBill,
  findBillsOfPatient,
  findPatient,
  findPaymentsOfPatient,
  findStayState,
  findUnbilled,
  insertAppointmentBill,
  insertCharge,
  insertPayment,
  insertStayBill,
  voidBill,
} from './billing.repository.js';

// Billing's rules live in the database (027: payments move a bill, statuses follow, never overpaid,
// billed once); this service reads them back into sentences a clerk understands.

const sqlStateOf = (error: unknown) => (error as { code?: string }).code;

export async function getAccount(db: Kysely<Database>, patientId: number): Promise<PatientAccount> {
  const patient = await findPatient(db, patientId);
  if (!patient) throw failure('NotFound', 'No such patient.');
  const [bills, payments, totals] = await Promise.all([
    findBillsOfPatient(db, patientId),
    findPaymentsOfPatient(db, patientId),
    findAccountTotals(db, patientId),
  ]);
  return {
    patient,
    bills: bills.map((b) => ({ ...b, description: b.description ?? '', billDate: b.billDate.toISOString() })),
    payments: payments.map((p) => ({ ...p, receivedBy: p.receivedBy ?? 'unknown', receivedAt: p.receivedAt.toISOString() })),
    totals,
  };
}

export async function listBalances(db: Kysely<Database>, limit: number) {
  const rows = await findBalances(db, limit);
  return rows.map((r) => ({ ...r, oldestOpenBill: r.oldestOpenBill.toISOString() }));
}

export const listUnbilled = (db: Kysely<Database>, patientId: number | undefined, limit: number) =>
  findUnbilled(db, patientId ?? null, limit);

/** Runs an insert under a savepoint, so a lost race (the unique index) reads as "already billed". */
async function once<T>(db: Kysely<Database>, insert: () => Promise<T>): Promise<T | 'billed'> {
  await sql`SAVEPOINT billing_once`.execute(db);
  try {
    return await insert();
  } catch (error) {
    if (sqlStateOf(error) !== '23505') throw error;
    await sql`ROLLBACK TO SAVEPOINT billing_once`.execute(db);
    return 'billed';
  }
}

/** Billed as the user in context (bill_appointment names them). */
export async function billAppointment(db: Kysely<Database>, appointmentId: number) {
  const bill = await once(db, () => insertAppointmentBill(db, appointmentId));
  if (bill && bill !== 'billed') return bill;
  const state = await findAppointmentState(db, appointmentId);
  if (!state) throw failure('NotFound', 'No such appointment.');
  if (bill === 'billed' || state.billed) throw failure('Conflict', 'This appointment is already billed.');
  throw failure('Conflict', `This appointment is ${state.status}: only a checked-in or completed appointment is billed.`);
}

export async function billStay(db: Kysely<Database>, assignmentId: number) {
  const bill = await once(db, () => insertStayBill(db, assignmentId));
  if (bill && bill !== 'billed') return bill;
  const state = await findStayState(db, assignmentId);
  if (!state) throw failure('NotFound', 'No such stay.');
  if (bill === 'billed' || state.billed) throw failure('Conflict', 'This stay is already billed.');
  if (state.open) throw failure('Conflict', 'The patient is still in this bed: a stay is billed once it ends.');
  if (!state.priced) throw failure('Conflict', 'This room has no room type, so it has no daily rate. Set one in Admin → Reference data.');
  throw failure('Conflict', 'This stay has no days to bill.');
}

export const addCharge = (db: Kysely<Database>, charge: { patientId: number; description: string; amount: string }, actor: string) =>
  insertCharge(db, { ...charge, createdBy: actor }).catch((error: unknown) => {
    if (sqlStateOf(error) === '23503') throw failure('NotFound', 'No such patient.');
    throw error;
  });

const OPEN = new Set(['Pending', 'PartiallyPaid']);

export async function takePayment(
  db: Kysely<Database>,
  payment: { billId: number; amount: string; method: PaymentMethod; reference?: string | undefined },
  actor: string,
) {
  await lockBill(db, payment.billId);
  const bill = await findBill(db, payment.billId);
  if (!bill) throw failure('NotFound', 'No such bill.');
  if (!OPEN.has(bill.status))
    throw failure('Conflict', `Bill ${bill.billId} is ${bill.status === 'Cancelled' ? 'void' : bill.status}: it takes no payment.`);
  if (await exceedsOwed(db, bill.billId, payment.amount))
    throw failure('Validation', `That is more than the ${bill.owed} still owed on bill ${bill.billId}.`, [
      { path: 'amount', message: `At most ${bill.owed}` },
    ]);
  await sql`SAVEPOINT billing_payment`.execute(db);
  try {
    const { paymentId } = await insertPayment(db, { ...payment, reference: payment.reference ?? null, receivedBy: actor });
    const after = (await findBill(db, bill.billId))!;
    return { paymentId, status: after.status, owed: after.owed };
  } catch (error) {
    // Another payment on the same bill committed first: the database refused to overpay or pay a closed bill.
    if (sqlStateOf(error) === '23514' || sqlStateOf(error) === 'BIL01')
      throw failure('Conflict', 'Someone has just taken a payment on this bill. Open it again to see what is still owed.');
    throw error;
  }
}

export async function voidOne(db: Kysely<Database>, billId: number, reason: string) {
  const done = await voidBill(db, billId, reason);
  if (done) return done;
  const bill = await findBill(db, billId);
  if (!bill) throw failure('NotFound', 'No such bill.');
  if (bill.status === 'Cancelled') throw failure('Conflict', 'This bill is already void.');
  throw failure('Conflict', 'This bill has payments: it cannot be voided.');
}
