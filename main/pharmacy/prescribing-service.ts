import type { Kysely } from 'kysely';
import type { MedicationCheck, OrderDetail, OrderInput, PrescriptionStatus } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { runMedicationChecks, checksWithoutReason, doseInUnit } from './medication-checks.js';
import { findMedicine } from './medicines.repository.js';
import { findLatestWeight } from './orders.repository.js';
import { courseEndDate } from './stock-rules.js';
import {
  cancelOrder,
  findAllergies,
  findMedicationContext,
  findMyDoctorId,
  findOrder,
  findOverrides,
  findVisiblePatient,
  insertOverrides,
  insertPrescription,
  setReviewStatus,
  type OrderRow,
} from './prescriptions.repository.js';

type Overrides = { kind: MedicationCheck['kind']; reason: string }[];
type Outcome =
  | { outcome: 'checks-need-override'; checks: MedicationCheck[] }
  | { outcome: 'done'; prescriptionId: number; status: PrescriptionStatus; checks: MedicationCheck[] };

async function requireMedicine(db: Kysely<Database>, medicineId: number) {
  const medicine = await findMedicine(db, medicineId);
  if (!medicine || !medicine.isActive) throw failure('NotFound', 'No such medicine in the formulary.');
  return medicine;
}

async function requirePatient(db: Kysely<Database>, patientId: number) {
  const patient = await findVisiblePatient(db, patientId);
  if (!patient) throw failure('NotFound', 'No such patient, or not one in your care.');
  return patient;
}

/** A change is written for the patient of the order it replaces (the database refuses it too: 052). */
async function requireReplaceable(db: Kysely<Database>, order: OrderInput) {
  if (order.replacesPrescriptionId === null) return;
  const replaced = await findOrder(db, order.replacesPrescriptionId);
  if (!replaced) throw failure('NotFound', `Order ${order.replacesPrescriptionId}, which this one would replace, was not found.`);
  if (replaced.patientId !== order.patientId)
    throw failure(
      'Validation',
      `Order ${replaced.prescriptionId} is another patient's: a change is written from that patient's chart. Nothing was written.`,
      [{ path: 'order.replacesPrescriptionId', message: 'Not an order of this patient' }],
    );
}

/** The checks for an order that is not yet written (the order it replaces does not count as a duplicate). */
export async function checkOrder(db: Kysely<Database>, order: OrderInput): Promise<MedicationCheck[]> {
  await requirePatient(db, order.patientId);
  await requireReplaceable(db, order);
  const medicine = await requireMedicine(db, order.medicineId);
  if (medicine.doseUnit && doseInUnit(order.doseAmount, order.doseUnit, medicine.doseUnit) === null)
    throw failure('Validation', `Give the dose of ${medicine.name} in ${medicine.doseUnit}.`, [
      { path: 'order.doseUnit', message: `Use ${medicine.doseUnit}` },
    ]);
  const context = await findMedicationContext(
    db,
    order.patientId,
    medicine.genericName,
    order.replacesPrescriptionId ? [order.replacesPrescriptionId] : [],
  );
  return runMedicationChecks({ medicine, doseAmount: order.doseAmount, doseUnit: order.doseUnit, frequency: order.frequency }, context);
}

/** Fired checks each need a reason; with all of them, they are stored beside the order. */
function overridesFor(checks: MedicationCheck[], overrides: Overrides) {
  const reasons = new Map(overrides.map((o) => [o.kind, o.reason]));
  return checks.map((c) => ({ kind: c.kind, detail: c.message, reason: reasons.get(c.kind)! }));
}

export async function prescribe(db: Kysely<Database>, order: OrderInput, overrides: Overrides, userId: string): Promise<Outcome> {
  const doctorId = await findMyDoctorId(db, userId);
  if (doctorId === null) throw failure('Forbidden', 'Only a doctor can prescribe.');
  const checks = await checkOrder(db, order);
  if (checksWithoutReason(checks, overrides).length > 0) return { outcome: 'checks-need-override', checks };
  const dosage = `${order.doseAmount} ${order.doseUnit} ${order.route} ${order.frequency.code}`;
  const prescriptionId = await insertPrescription(db, order, doctorId, dosage);
  if (
    order.replacesPrescriptionId !== null &&
    (await cancelOrder(db, order.replacesPrescriptionId, `Replaced by order ${prescriptionId}`)) === 0
  )
    throw failure('Conflict', 'The order to replace is not one of yours that is still open.');
  await insertOverrides(db, prescriptionId, 'prescribing', overridesFor(checks, overrides), userId);
  return { outcome: 'done', prescriptionId, status: 'Active', checks };
}

async function requireOrder(db: Kysely<Database>, prescriptionId: number, lock = false): Promise<OrderRow> {
  const order = await findOrder(db, prescriptionId, lock);
  if (!order) throw failure('NotFound', 'No such prescription.');
  return order;
}

/** The checks for a written order, as they stand now. */
async function checksOfOrder(db: Kysely<Database>, order: OrderRow): Promise<MedicationCheck[]> {
  if (order.medicineId === null || order.doseAmount === null || order.doseUnit === null || order.frequency === null) return [];
  const medicine = await requireMedicine(db, order.medicineId);
  const context = await findMedicationContext(db, order.patientId, medicine.genericName, [order.prescriptionId]);
  return runMedicationChecks({ medicine, doseAmount: order.doseAmount, doseUnit: order.doseUnit, frequency: order.frequency }, context);
}

export async function verifyOrder(db: Kysely<Database>, prescriptionId: number, overrides: Overrides, userId: string): Promise<Outcome> {
  const order = await requireOrder(db, prescriptionId);
  if (order.status !== 'Active')
    throw failure('Conflict', `This order is ${order.status}: only an order waiting for verification can be verified.`);
  const checks = await checksOfOrder(db, order);
  if (checksWithoutReason(checks, overrides).length > 0) return { outcome: 'checks-need-override', checks };
  if ((await setReviewStatus(db, prescriptionId, 'Verified', null)) === 0)
    throw failure('Conflict', 'Someone else has just reviewed this order.');
  await insertOverrides(db, prescriptionId, 'verification', overridesFor(checks, overrides), userId);
  return { outcome: 'done', prescriptionId, status: 'Verified', checks };
}

export async function queryOrder(db: Kysely<Database>, prescriptionId: number, reason: string) {
  const order = await requireOrder(db, prescriptionId);
  if (order.status !== 'Active')
    throw failure('Conflict', `This order is ${order.status}: only an order waiting for verification can be queried.`);
  if ((await setReviewStatus(db, prescriptionId, 'Queried', reason)) === 0)
    throw failure('Conflict', 'Someone else has just reviewed this order.');
  return { prescriptionId, status: 'Queried' as const };
}

/** Whole years between two ISO dates (the birthday counts from its day). */
const ageYears = (dateOfBirth: string, today: string) =>
  Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4)) - (today.slice(5) < dateOfBirth.slice(5) ? 1 : 0);

export async function getOrder(db: Kysely<Database>, prescriptionId: number, today: string): Promise<OrderDetail> {
  const order = await requireOrder(db, prescriptionId);
  if (order.medicineId === null) throw failure('NotFound', 'This prescription names no medicine.');
  const [patient, medicine, allergies, overrides, checks, weight] = await Promise.all([
    requirePatient(db, order.patientId),
    requireMedicine(db, order.medicineId),
    findAllergies(db, order.patientId),
    findOverrides(db, prescriptionId),
    checksOfOrder(db, order),
    findLatestWeight(db, order.patientId),
  ]);
  const context = await findMedicationContext(db, order.patientId, medicine.genericName, [prescriptionId]);
  return {
    prescriptionId,
    patientId: order.patientId,
    patientName: patient.name,
    patientDateOfBirth: patient.dateOfBirth,
    patientAgeYears: ageYears(patient.dateOfBirth, today),
    medicineId: order.medicineId,
    medicineName: medicine.name,
    strength: medicine.strength,
    form: medicine.form,
    dose: order.dosage,
    route: order.route as OrderDetail['route'],
    frequency: order.frequency,
    durationDays: order.durationDays,
    instructions: order.instructions,
    urgency: order.urgency as OrderDetail['urgency'],
    status: order.status,
    quantity: order.quantity,
    dispensedQuantity: order.dispensedQuantity,
    prescribedAt: order.prescribedAt,
    prescriber: order.prescriber,
    queriedReason: order.queriedReason,
    weightKg: weight?.weightKg ?? null,
    weightRecordedAt: weight?.recordedAt ?? null,
    cancelledReason: order.cancelledReason,
    allergies,
    otherActiveMedicines: context.otherOrders.map((o) => ({
      prescriptionId: o.prescriptionId,
      medicineName: o.medicineName,
      dose: o.dose ?? '',
    })),
    checks,
    overrides,
    // The dispense's own rule (stock-rules), so the flag before dispensing is the one the label will carry.
    courseEndsOn: courseEndDate(today, order.durationDays, order.quantity - order.dispensedQuantity, order.frequency),
  };
}
