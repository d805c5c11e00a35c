// Doses recorded without a scan (held, refused, not given, each with its reason) and corrections of a
// recorded dose (a new row that marks the old entered-in-error; the dose may then be recorded again).
import type { Kysely } from 'kysely';
import type { RecordedOutcome } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { scheduledTimes, type Clock } from './mar-schedule.js';
import { requirePatient, scheduleOf } from './mar-service.js';
import { findAdministration, insertAdministration } from './administrations.repository.js';
import { findGivableOrders } from './mar.repository.js';

const HOUR_MS = 3_600_000;

export interface OutcomeRequest {
  patientId: number;
  prescriptionId: number;
  scheduledFor: string;
  outcome: RecordedOutcome;
  reason: string;
}

export async function recordDoseOutcome(db: Kysely<Database>, request: OutcomeRequest, clock: Clock, actor: string) {
  await requirePatient(db, request.patientId);
  const order = (await findGivableOrders(db, [request.patientId])).find((o) => o.prescriptionId === request.prescriptionId);
  if (!order) throw failure('NotFound', 'No such active order on this patient’s chart.');
  if (order.frequencyCode === 'PRN') throw failure('Validation', 'An as-needed dose is only recorded when it is given.');
  const at = new Date(request.scheduledFor);
  // Any dose of the last or next 24 hours (a dose may be held ahead, e.g. nil by mouth for theatre).
  const near = scheduledTimes(
    scheduleOf(order),
    new Date(clock.now.getTime() - 24 * HOUR_MS),
    new Date(clock.now.getTime() + 24 * HOUR_MS),
    clock.timeZone,
  );
  if (!near.some((t) => t.getTime() === at.getTime()))
    throw failure('Validation', 'No dose of this order is scheduled at that time in the last or next 24 hours.', [
      { path: 'scheduledFor', message: 'Choose a dose from the chart.' },
    ]);
  const administrationId = await insertAdministration(db, {
    prescriptionId: order.prescriptionId,
    patientId: request.patientId,
    scheduledFor: at,
    outcome: request.outcome,
    reason: request.reason,
    doseAmount: null,
    doseUnit: null,
    scannedCode: null,
    dispenseTransactionId: null,
    recordedBy: actor,
    witnessedBy: null,
    correctsAdministrationId: null,
  });
  if (administrationId === null)
    throw failure('Conflict', 'This dose is already recorded. To change it, mark that entry entered-in-error first.');
  return { administrationId };
}

export async function markAdministrationInError(db: Kysely<Database>, administrationId: number, reason: string, actor: string) {
  const old = await findAdministration(db, administrationId);
  if (!old) throw failure('NotFound', 'No such recorded dose for a patient in your care.');
  if (old.enteredInError || old.outcome === 'entered-in-error') throw failure('Conflict', 'That entry has already been corrected.');
  try {
    const id = await insertAdministration(db, {
      prescriptionId: old.prescriptionId,
      patientId: old.patientId,
      scheduledFor: old.scheduledFor,
      outcome: 'entered-in-error',
      reason,
      doseAmount: null,
      doseUnit: null,
      scannedCode: null,
      dispenseTransactionId: null,
      recordedBy: actor,
      witnessedBy: null,
      correctsAdministrationId: old.administrationId,
    });
    return { administrationId: id! };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MAR06') throw failure('Forbidden', 'Only the one who recorded this dose (or an administrator) corrects it.');
    if (code === 'MAR05' || code === '23505') throw failure('Conflict', 'That entry has just been corrected by someone else.');
    throw error;
  }
}
