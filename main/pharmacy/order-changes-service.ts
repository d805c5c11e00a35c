// The prescriber's side after an order is written: the orders a pharmacist queried back, cancelling
// with a reason (a change is a new order replacing it: pharmacy/prescribe-medicine), and the weight
// that dosing and verification look at.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { findOpenOrders, findQueriedOrders, insertWeight } from './orders.repository.js';
import { cancelOrder, findMyDoctorId, findOrder, findVisiblePatient } from './prescriptions.repository.js';

export async function listQueriedOrders(db: Kysely<Database>, userId: string, limit: number) {
  // A doctor sees their own; whoever prescribes without a doctor record (an administrator) sees all.
  return findQueriedOrders(db, await findMyDoctorId(db, userId), limit);
}

/** A patient's open orders for the prescribing panel: the prescriber changes or stops their own from there. */
export async function listOpenOrders(db: Kysely<Database>, userId: string, patientId: number) {
  if (!(await findVisiblePatient(db, patientId))) throw failure('NotFound', 'No such patient, or not one in your care.');
  return findOpenOrders(db, patientId, await findMyDoctorId(db, userId));
}

/** What a prescriber may stop: an open order, or a dispensed one whose course is running (054). */
const STOPPABLE = ['Active', 'Queried', 'Verified', 'PartiallyDispensed', 'Dispensed'];

export async function cancelPrescription(db: Kysely<Database>, prescriptionId: number, reason: string, userId: string) {
  const order = await findOrder(db, prescriptionId);
  if (!order) throw failure('NotFound', 'No such prescription.');
  if (!STOPPABLE.includes(order.status))
    throw failure('Conflict', `This order is already ${order.status}: only a current order can be stopped.`);
  const doctorId = await findMyDoctorId(db, userId);
  if (doctorId !== null && order.doctorId !== doctorId) throw failure('Forbidden', 'Only the prescriber can cancel this order.');
  if ((await cancelOrder(db, prescriptionId, reason)) === 0)
    throw failure('Conflict', 'This order changed at the same moment, its course has ended, or it is not yours to stop. Look at it again.');
  return { prescriptionId, status: 'Cancelled' as const };
}

export async function recordWeight(db: Kysely<Database>, patientId: number, weightKg: string, userId: string) {
  if (!(await findVisiblePatient(db, patientId))) throw failure('NotFound', 'No such patient, or not one in your care.');
  return insertWeight(db, patientId, weightKg, userId);
}
