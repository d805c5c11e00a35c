import type { Kysely } from 'kysely';
import type { Frequency } from '../../contract/pharmacy.js';
import type { DueDose, DueMedicinesForBed, Mar, MarDose, MarOrder, MarPatient, PrnStatus } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { findDepartment, findMyDepartmentIds } from './beds.repository.js';
import { hospitalTimeZone } from './hospital-time.js';
import { describeFrequency, layOutDoses, prnState, type Clock, type LaidOutDose, type ScheduledOrder } from './mar-schedule.js';
import {
  findAllergies,
  findCorrectableRecorders,
  findCountingAdministrations,
  findStoppedOrders,
  findGivableOrders,
  findPatientWithBed,
  findWardPatients,
  findWindowMinutes,
  updateWindowMinutes,
  type AdministrationRow,
  type AllergyRow,
  type OrderRow,
} from './mar.repository.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function frequencyOf(order: OrderRow): Frequency {
  switch (order.frequencyCode) {
    case 'QxH':
      return { code: 'QxH', intervalHours: order.intervalHours ?? 24 };
    case 'PRN':
      return { code: 'PRN', minIntervalHours: order.prnMinIntervalHours ?? 24, maxPer24h: order.prnMaxPer24h ?? 1 };
    default:
      return { code: order.frequencyCode };
  }
}

export const scheduleOf = (order: OrderRow): ScheduledOrder => ({
  frequency: frequencyOf(order),
  startsAt: order.prescribedAt,
  endsAt: order.durationDays === null ? null : new Date(order.prescribedAt.getTime() + order.durationDays * DAY_MS),
});

export const doseText = (order: OrderRow) =>
  order.doseAmount !== null ? `${Number(order.doseAmount)} ${order.doseUnit ?? ''}`.trim() : order.dosage || order.strength;

/** An active medicine in a line: name, dose and how often. */
export const describeOrder = (order: OrderRow) => ({
  medicineName: `${order.medicineName} ${order.strength}`,
  dose: doseText(order),
  frequencyText: describeFrequency(frequencyOf(order)),
});

export const allergyText = (a: AllergyRow) => `${a.substance} (${[a.reaction, a.severity].filter(Boolean).join(', ')})`;

/** The ward's clock at `now`: the hospital's zone and the administration window. */
export const clockAt = (now: Date, windowMinutes: number): Clock => ({ now, timeZone: hospitalTimeZone(), windowMinutes });

export async function clockFor(db: Kysely<Database>, now: Date): Promise<Clock> {
  return clockAt(now, await findWindowMinutes(db));
}

export const patientNotInCare = () => failure('NotFound', 'No such patient in your care.');

export async function resolveDepartment(db: Kysely<Database>, requested: number | undefined) {
  const departmentId = requested ?? (await findMyDepartmentIds(db))[0];
  if (departmentId === undefined) throw failure('Validation', 'You work in no department: choose which ward to show.');
  const department = await findDepartment(db, departmentId);
  if (!department) throw failure('NotFound', 'No such department.');
  return department;
}

/** A patient the reader may see (row level security decides), with their open bed if any. */
export async function requirePatient(db: Kysely<Database>, patientId: number) {
  const patient = await findPatientWithBed(db, patientId);
  if (!patient) throw patientNotInCare();
  return patient;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toMarDose(dose: LaidOutDose, correctable: ReadonlySet<string>): MarDose {
  const r = dose.recorded;
  return {
    scheduledFor: dose.scheduledFor.toISOString(),
    state: dose.state,
    windowOpensAt: dose.windowOpensAt.toISOString(),
    windowClosesAt: dose.windowClosesAt.toISOString(),
    administrationId: r?.administrationId ?? null,
    recordedAt: iso(r?.recordedAt ?? null),
    recordedBy: r?.recordedBy ?? null,
    reason: r?.reason ?? null,
    witnessedBy: r?.witnessedBy ?? null,
    mayMarkInError: r !== null && correctable.has(r.recordedById),
  };
}

/**
 * One order's line on the MAR: its doses in [from, to) and, for PRN, what is allowed now. `correctable`:
 * the recorders whose doses the reader may mark entered in error (none: a printed sheet offers nothing).
 */
export function marOrder(
  order: OrderRow & { stoppedAt?: Date },
  recorded: AdministrationRow[],
  from: Date,
  to: Date,
  clock: Clock,
  correctable: ReadonlySet<string> = new Set(),
): MarOrder {
  const schedule = scheduleOf(order);
  const frequency = schedule.frequency;
  let prn: PrnStatus | null = null;
  if (frequency.code === 'PRN' && !order.stoppedAt) {
    const limits = { minIntervalHours: frequency.minIntervalHours, maxPer24h: frequency.maxPer24h };
    const state = prnState(
      limits,
      recorded.filter((r) => r.outcome === 'given').map((r) => r.scheduledFor),
      clock.now,
    );
    prn = { ...limits, givenLast24h: state.givenLast24h, dosesLeft24h: state.dosesLeft24h, nextAllowedAt: iso(state.nextAllowedAt) };
  }
  return {
    prescriptionId: order.prescriptionId,
    medicineId: order.medicineId,
    medicineName: order.medicineName,
    strength: order.strength,
    form: order.form,
    dose: doseText(order),
    route: order.route,
    frequency,
    frequencyText: describeFrequency(frequency),
    instructions: order.instructions,
    isControlled: order.isControlled,
    startsAt: order.prescribedAt.toISOString(),
    stoppedAt: iso(order.stoppedAt ?? null),
    // A stopped order keeps what was recorded of it; nothing of it is due, late or missed any more.
    doses: layOutDoses(schedule, recorded, from, to, clock)
      .filter((dose) => !order.stoppedAt || dose.recorded !== null)
      .map((dose) => toMarDose(dose, correctable)),
    prn,
  };
}

interface ChartPatient {
  patientId: number;
  name: string;
  roomNumber: string | null;
  bedNumber: number | null;
}

/**
 * Orders, doses and allergies of these patients over [from, to). `dueOnly`: for counting what is due (the
 * bed board, every minute), without stopped orders or who may correct a dose, which cannot change a count.
 */
async function chartsOf(
  db: Kysely<Database>,
  patients: ChartPatient[],
  from: Date,
  to: Date,
  clock: Clock,
  options: { dueOnly?: boolean } = {},
): Promise<MarPatient[]> {
  const ids = patients.map((p) => p.patientId);
  const [givable, stopped, allergies] = await Promise.all([
    findGivableOrders(db, ids),
    options.dueOnly ? [] : findStoppedOrders(db, ids, from),
    findAllergies(db, ids),
  ]);
  // An order stopped between the two reads is in both: it is stopped.
  const stoppedIds = new Set(stopped.map((o) => o.prescriptionId));
  const orders: (OrderRow & { stoppedAt?: Date })[] = [...givable.filter((o) => !stoppedIds.has(o.prescriptionId)), ...stopped];
  // PRN needs the 24 h before "now", which may reach before `from`.
  const since = new Date(Math.min(from.getTime(), clock.now.getTime() - DAY_MS));
  const recorded = await findCountingAdministrations(
    db,
    orders.map((o) => o.prescriptionId),
    since,
  );
  const correctable = options.dueOnly
    ? new Set<string>()
    : await findCorrectableRecorders(db, [...new Set(recorded.map((r) => r.recordedById))]);
  return patients.map((p) => ({
    ...p,
    allergies: allergies.filter((a) => a.patientId === p.patientId).map(allergyText),
    orders: orders
      .filter((o) => o.patientId === p.patientId)
      .map((o) =>
        marOrder(
          o,
          recorded.filter((r) => r.prescriptionId === o.prescriptionId),
          from,
          to,
          clock,
          correctable,
        ),
      ),
  }));
}

export interface MarRequest {
  departmentId?: number;
  patientId?: number;
  pastHours: number;
  nextHours: number;
}

export async function getMar(db: Kysely<Database>, request: MarRequest, now: Date): Promise<Mar> {
  const clock = await clockFor(db, now);
  const from = new Date(now.getTime() - request.pastHours * HOUR_MS);
  const to = new Date(now.getTime() + request.nextHours * HOUR_MS);
  let departmentId: number | null = null;
  let patients: ChartPatient[];
  if (request.patientId !== undefined) {
    const p = await requirePatient(db, request.patientId);
    patients = [{ patientId: p.patientId, name: `${p.firstName} ${p.lastName}`, roomNumber: p.roomNumber, bedNumber: p.bedNumber }];
  } else {
    departmentId = (await resolveDepartment(db, request.departmentId)).departmentId;
    patients = (await findWardPatients(db, departmentId)).map((p) => ({
      patientId: p.patientId,
      name: `${p.firstName} ${p.lastName}`,
      roomNumber: p.roomNumber,
      bedNumber: p.bedNumber,
    }));
  }
  return {
    departmentId,
    timeZone: clock.timeZone,
    windowMinutes: clock.windowMinutes,
    from: from.toISOString(),
    to: to.toISOString(),
    takenAt: now.toISOString(),
    patients: await chartsOf(db, patients, from, to, clock),
  };
}

/** Doses of an order worth acting on by `until`: due, late, or scheduled before it (not missed, not recorded). */
export function dueDoses(order: MarOrder, until: Date): DueDose[] {
  return order.doses
    .filter((d) => d.state === 'due' || d.state === 'late' || (d.state === 'scheduled' && new Date(d.scheduledFor) <= until))
    .map((d) => ({
      prescriptionId: order.prescriptionId,
      medicineName: order.medicineName,
      dose: order.dose,
      scheduledFor: d.scheduledFor,
      state: d.state,
    }));
}

export async function getDueMedicines(db: Kysely<Database>, departmentId: number | undefined, minutesAhead: number, now: Date) {
  const department = await resolveDepartment(db, departmentId);
  const clock = await clockFor(db, now);
  const beds = await findWardPatients(db, department.departmentId);
  const until = new Date(now.getTime() + minutesAhead * 60_000);
  const charts = await chartsOf(
    db,
    beds.map((b) => ({ patientId: b.patientId, name: `${b.firstName} ${b.lastName}`, roomNumber: b.roomNumber, bedNumber: b.bedNumber })),
    new Date(now.getTime() - DAY_MS),
    new Date(until.getTime() + 1),
    clock,
    { dueOnly: true },
  );
  return beds.map((b, i): DueMedicinesForBed => ({
    roomId: b.roomId,
    roomNumber: b.roomNumber,
    bedNumber: b.bedNumber,
    patientId: b.patientId,
    name: `${b.firstName} ${b.lastName}`,
    doses: charts[i]!.orders.flatMap((o) => dueDoses(o, until)),
  }));
}

/** Per patient, how many doses are due, late or scheduled within the next minutes (the bed board's count). */
export async function countDueDoses(
  db: Kysely<Database>,
  patientIds: number[],
  minutesAhead: number,
  now: Date,
): Promise<Map<number, number>> {
  const clock = await clockFor(db, now);
  const until = new Date(now.getTime() + minutesAhead * 60_000);
  const charts = await chartsOf(
    db,
    patientIds.map((patientId) => ({ patientId, name: '', roomNumber: null, bedNumber: null })),
    new Date(now.getTime() - DAY_MS),
    new Date(until.getTime() + 1),
    clock,
    { dueOnly: true },
  );
  return new Map(charts.map((c) => [c.patientId, c.orders.reduce((n, o) => n + dueDoses(o, until).length, 0)]));
}

export async function setAdministrationWindow(db: Kysely<Database>, minutes: number, actor: string): Promise<{ minutes: number }> {
  const updated = await updateWindowMinutes(db, minutes, actor);
  if (updated === undefined) throw failure('Forbidden', 'Only an administrator changes the administration window.');
  return { minutes: updated };
}
