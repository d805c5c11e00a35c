// The bedside checks on two raw scans, before anything is written: readable codes, right patient,
// right medicine (a dose of this patient's), right time, not already given, PRN limits, allergies (the
// prescribing rule set). Each failure is its own stop with a message a nurse reads at a glance.
import type { Kysely } from 'kysely';
import { parseScannedCode } from '../../contract/barcodes.js';
import type { AdministrationScan, DoseToGive, ScanCheck, ScanStop } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { runMedicationChecks } from '../pharmacy/index.js';
import { clockTime } from './hospital-time.js';
import { layOutDoses, prnState, type Clock, type LaidOutDose, type RecordedDose } from './mar-schedule.js';
import { clockAt, doseText, frequencyOf, patientNotInCare, scheduleOf } from './mar-service.js';
import { findScanContext, findStoppedOrders, hasAllergyOverride, type OrderRow } from './mar.repository.js';

const HOUR_MS = 3_600_000;
export type Stopped = Extract<ScanCheck, { outcome: 'stopped' }>;
export const stop = (why: ScanStop, message: string): Stopped => ({ outcome: 'stopped', stop: why, message });

export interface Resolved {
  outcome: 'resolved';
  clock: Clock;
  order: OrderRow;
  dose: DoseToGive;
  scheduledFor: Date;
  scannedCode: string;
  dispenseTransactionId: number | null;
  warnings: string[];
  /** The id the dose is stored under, when the scan is to record one (drawn by the same read). */
  administrationId: number | null;
}

const RECORDED_WORDS = { given: 'given', held: 'held', refused: 'refused', 'not-given': 'not given' } as const;

export function alreadyRecorded(order: OrderRow, r: RecordedDose, clock: Clock): Stopped {
  return stop(
    'already-given',
    `ALREADY ${RECORDED_WORDS[r.outcome].toUpperCase()}: ${order.medicineName} due ${clockTime(r.scheduledFor, clock.timeZone)} was recorded ${RECORDED_WORDS[r.outcome]} at ${clockTime(r.recordedAt, clock.timeZone)} by ${r.recordedBy}. Do not give it again.`,
  );
}

/**
 * The dose to give when the nurse chose none: an unrecorded due dose (nearest now); else the latest
 * dose whose window has opened (given already, late, or missed: each says so); else the next one.
 */
function pickDose(laidOut: { order: OrderRow; dose: LaidOutDose }[], clock: Clock) {
  const now = clock.now.getTime();
  const distance = (d: LaidOutDose) => Math.abs(d.scheduledFor.getTime() - now);
  const due = laidOut.filter((c) => c.dose.state === 'due').sort((a, b) => distance(a.dose) - distance(b.dose))[0];
  if (due) return due;
  const opened = laidOut
    .filter((c) => c.dose.windowOpensAt.getTime() <= now)
    .sort((a, b) => b.dose.scheduledFor.getTime() - a.dose.scheduledFor.getTime())[0];
  if (opened) return opened;
  return laidOut
    .filter((c) => c.dose.state === 'scheduled')
    .sort((a, b) => a.dose.scheduledFor.getTime() - b.dose.scheduledFor.getTime())[0];
}

/**
 * Runs every check that needs no witness; a stop, or the dose the scans resolve to (with the ward's clock
 * at `now`). `toRecord` also draws the id the dose will be stored under.
 */
export async function resolveScan(
  db: Kysely<Database>,
  request: AdministrationScan,
  now: Date,
  options: { toRecord?: boolean } = {},
): Promise<Stopped | Resolved> {
  const band = parseScannedCode(request.wristbandScan);
  if (band.kind === 'unknown')
    return stop('unreadable-scan', `"${band.text}" is not a wristband this hospital prints. Scan the wristband again.`);
  if (band.kind !== 'wristband') return stop('unreadable-scan', 'That is a medicine, not a wristband. Scan the wristband first.');
  const item = parseScannedCode(request.medicineScan);
  // One read, and only the orders the scan can match: the scanned medicine's, and the ones named by a label or a chosen dose.
  const chosenIds = request.dose ? [request.dose.prescriptionId] : [];
  const chart = await findScanContext(
    db,
    request.patientId,
    new Date(now.getTime() - 48 * HOUR_MS),
    {
      medicineId: item.kind === 'medicine' ? item.medicineId : null,
      transactionId: item.kind === 'dispense-label' ? item.transactionId : null,
      prescriptionIds: chosenIds,
    },
    { drawAdministrationId: options.toRecord },
  );
  if (!chart) throw patientNotInCare();
  const clock = clockAt(now, chart.windowMinutes);
  const name = `${chart.firstName} ${chart.lastName}`;
  if (band.patientId !== request.patientId)
    return stop('wrong-patient', `WRONG PATIENT: this wristband is not ${name}'s. Stop and check who this patient is.`);

  if (item.kind === 'unknown')
    return stop('unreadable-scan', `"${item.text}" is not a medicine code. Scan the pharmacy label or the medicine.`);
  if (item.kind === 'wristband') return stop('unreadable-scan', 'That is a wristband. Now scan the medicine.');
  const { orders } = chart;
  let candidates: OrderRow[];
  let dispenseTransactionId: number | null = null;
  let scannedCode: string;
  if (item.kind === 'dispense-label') {
    const { dispense } = chart;
    scannedCode = `RX${String(item.transactionId).padStart(8, '0')}`;
    if (!dispense || dispense.patientId !== request.patientId)
      return stop('wrong-medicine', `WRONG MEDICINE: this label was not dispensed for ${name}. Do not give it.`);
    dispenseTransactionId = item.transactionId;
    candidates = orders.filter((o) => o.prescriptionId === dispense.prescriptionId);
    if (candidates.length === 0)
      return stop('wrong-medicine', `WRONG MEDICINE: the order on this label is no longer active for ${name} (stopped or completed).`);
  } else {
    scannedCode = `MD${String(item.medicineId).padStart(8, '0')}`;
    candidates = orders.filter((o) => o.medicineId === item.medicineId);
    if (candidates.length === 0) {
      const medicine = chart.scannedMedicineName ?? 'This medicine';
      // Read only on this path: a correct scan never pays for it.
      const stopped = (await findStoppedOrders(db, [request.patientId], new Date(now.getTime() - 24 * HOUR_MS))).find(
        (o) => o.medicineId === item.medicineId,
      );
      if (stopped)
        return stop(
          'wrong-medicine',
          `STOPPED: ${stopped.medicineName} for ${name} was stopped at ${clockTime(stopped.stoppedAt, clock.timeZone)}. Do not give it.`,
        );
      return stop('wrong-medicine', `WRONG MEDICINE: ${medicine} is not on ${name}'s chart. Do not give it.`);
    }
  }
  if (request.dose) {
    const chosenId = request.dose.prescriptionId;
    const chosen = candidates.filter((o) => o.prescriptionId === chosenId);
    if (chosen.length === 0) {
      const expected = orders.find((o) => o.prescriptionId === chosenId);
      return stop(
        'wrong-medicine',
        `WRONG MEDICINE: you scanned ${candidates[0]!.medicineName}, the dose chosen is ${expected?.medicineName ?? 'another order'}.`,
      );
    }
    candidates = chosen;
  }

  const candidateIds = new Set(candidates.map((o) => o.prescriptionId));
  const recorded = chart.administrations.filter((r) => candidateIds.has(r.prescriptionId));
  const from = new Date(clock.now.getTime() - 24 * HOUR_MS);
  const to = new Date(clock.now.getTime() + 24 * HOUR_MS);
  const scheduled = candidates.filter((o) => o.frequencyCode !== 'PRN');
  const laidOut = scheduled.flatMap((order) =>
    layOutDoses(
      scheduleOf(order),
      recorded.filter((r) => r.prescriptionId === order.prescriptionId),
      from,
      to,
      clock,
    ).map((dose) => ({ order, dose })),
  );
  const prnOrder = candidates.find((o) => o.frequencyCode === 'PRN');
  let pick: { order: OrderRow; dose: LaidOutDose } | undefined;
  if (request.dose && !prnOrder) {
    const at = new Date(request.dose.scheduledFor).getTime();
    pick = laidOut.find((c) => c.dose.scheduledFor.getTime() === at);
    if (!pick) return stop('wrong-time', `WRONG TIME: no dose of ${candidates[0]!.medicineName} is scheduled at that time.`);
  } else if (!request.dose) pick = pickDose(laidOut, clock);

  if (!pick && !prnOrder) {
    const last = recorded.filter((r) => r.scheduledFor <= to).at(-1);
    if (last)
      return alreadyRecorded(
        candidates.find((o) => o.prescriptionId === last.prescriptionId)!,
        last,
        clock,
      );
    return stop('wrong-time', `WRONG TIME: no dose of ${candidates[0]!.medicineName} is due for ${name} now. Check the chart.`);
  }
  let order: OrderRow;
  let scheduledFor: Date;
  let outsideWindow = false;
  if (pick) {
    order = pick.order;
    scheduledFor = pick.dose.scheduledFor;
    if (pick.dose.recorded) return alreadyRecorded(order, pick.dose.recorded, clock);
    if (pick.dose.state === 'missed')
      return stop(
        'wrong-time',
        `WRONG TIME: the ${clockTime(scheduledFor, clock.timeZone)} dose of ${order.medicineName} was missed. Record it as not given, and give the next one when due.`,
      );
    outsideWindow = pick.dose.state !== 'due';
  } else {
    order = prnOrder!;
    scheduledFor = clock.now;
    const frequency = frequencyOf(order);
    if (frequency.code !== 'PRN') throw new Error('unreachable');
    const given = recorded.filter((r) => r.prescriptionId === order.prescriptionId && r.outcome === 'given').map((r) => r.scheduledFor);
    const state = prnState({ minIntervalHours: frequency.minIntervalHours, maxPer24h: frequency.maxPer24h }, given, clock.now);
    if (state.nextAllowedAt) {
      const when = clockTime(state.nextAllowedAt, clock.timeZone);
      return state.dosesLeft24h === 0
        ? stop(
            'prn-limit-reached',
            `TOO MANY: ${frequency.maxPer24h} doses of ${order.medicineName} in 24 h is the maximum. Next allowed at ${when}.`,
          )
        : stop(
            'prn-too-soon',
            `TOO SOON: ${order.medicineName} must be at least ${frequency.minIntervalHours} h apart. Next allowed at ${when}.`,
          );
    }
  }

  const warnings: string[] = [];
  const allergies = chart.allergies.map((a) => ({ ...a, patientId: request.patientId }));
  const fired = runMedicationChecks(
    {
      medicine: {
        name: order.medicineName,
        genericName: order.genericName,
        drugClass: order.drugClass,
        maxDailyDose: null,
        doseUnit: order.medicineDoseUnit,
      },
      doseAmount: order.doseAmount ?? '0',
      doseUnit: order.doseUnit ?? '',
      frequency: frequencyOf(order),
    },
    { allergies, otherOrders: [], interactions: [] },
  ).filter((c) => c.kind === 'allergy');
  if (fired.length > 0) {
    // A prescriber or pharmacist who went on past this allergy with a reason: the nurse is warned, not stopped.
    if (!(await hasAllergyOverride(db, order.prescriptionId)))
      return stop('allergy', `ALLERGY: ${fired[0]!.message} Do not give it; call the prescriber.`);
    warnings.push(...fired.map((c) => `Allergy overridden by the prescriber: ${c.message}`));
  }
  return {
    outcome: 'resolved',
    clock,
    order,
    scheduledFor,
    scannedCode,
    dispenseTransactionId,
    warnings,
    administrationId: chart.administrationId,
    dose: {
      prescriptionId: order.prescriptionId,
      medicineName: order.medicineName,
      strength: order.strength,
      form: order.form,
      dose: doseText(order),
      route: order.route,
      scheduledFor: scheduledFor.toISOString(),
      isPrn: order.frequencyCode === 'PRN',
      isControlled: order.isControlled,
      outsideWindow,
    },
  };
}
