import { sql, type Kysely } from 'kysely';
import type { Run, RunStatus, Vehicle, VehicleStatus } from '../../contract/ambulance.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import {
  findCrew,
  findOpenRuns,
  findRecentRuns,
  findResponseTimes,
  findRun,
  findVehicle,
  findVehicles,
  insertRun,
  setRunStatus,
  setVehicleStatus,
  type RunRow,
} from './fleet.repository.js';

// Dispatch. That a vehicle is never on two runs at once, that a run moves one step at a time, and
// that a vehicle on a run stays OnCall are the database's rules; this service turns refusals into words.

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toRun = (r: RunRow): Run => ({
  ...r,
  dispatchedAt: r.dispatchedAt.toISOString(),
  enRouteAt: iso(r.enRouteAt),
  arrivedAt: iso(r.arrivedAt),
  returnedAt: iso(r.returnedAt),
});
const sqlStateOf = (error: unknown) => (error as { code?: string; constraint?: string }).code;
const STATUS_WORDS: Record<VehicleStatus, string> = {
  Available: 'available',
  OnCall: 'on a run',
  Maintenance: 'in maintenance',
  OutOfService: 'out of service',
};

export async function getFleet(db: Kysely<Database>) {
  const [vehicles, open, crew] = [await findVehicles(db), await findOpenRuns(db), await findCrew(db)];
  const runOf = new Map(open.map((r) => [r.ambulanceId, toRun(r)]));
  return { vehicles: vehicles.map((v): Vehicle => ({ ...v, openRun: runOf.get(v.ambulanceId) ?? null })), crew };
}

export const listRuns = async (db: Kysely<Database>, days: number) => (await findRecentRuns(db, days)).map(toRun);

export async function getResponseTimes(db: Kysely<Database>, days: number) {
  const num = (v: string | null) => (v === null ? null : Number(v));
  return (await findResponseTimes(db, days)).map((d) => ({
    ...d,
    medianMinutes: num(d.medianMinutes),
    p90Minutes: num(d.p90Minutes),
    maxMinutes: num(d.maxMinutes),
  }));
}

/** The vehicle is refused (on a run, off the road): which one and why. */
async function vehicleNotFree(db: Kysely<Database>, ambulanceId: number) {
  const vehicle = await findVehicle(db, ambulanceId);
  if (!vehicle) return failure('NotFound', 'No such vehicle.');
  const free = (await findVehicles(db)).filter((v) => v.status === 'Available').map((v) => v.vehicleNumber);
  const others = free.length > 0 ? `Available: ${free.join(', ')}.` : 'No vehicle is available.';
  const state = vehicle.status === 'Available' ? 'on a run' : STATUS_WORDS[vehicle.status];
  return failure('Conflict', `${vehicle.vehicleNumber} is ${state}. ${others}`);
}

export async function dispatch(
  db: Kysely<Database>,
  request: {
    ambulanceId: number;
    pickupLocation: string;
    destination: string;
    patientId?: number | undefined;
    driverStaffId?: number | undefined;
    attendantStaffId?: number | undefined;
    notes?: string | undefined;
  },
) {
  await sql`SAVEPOINT ambulance_dispatch`.execute(db);
  try {
    return await insertRun(db, {
      ambulanceId: request.ambulanceId,
      pickupLocation: request.pickupLocation,
      destination: request.destination,
      patientId: request.patientId ?? null,
      driverStaffId: request.driverStaffId ?? null,
      attendantStaffId: request.attendantStaffId ?? null,
      notes: request.notes || null,
    });
  } catch (error) {
    const code = sqlStateOf(error);
    // 23505: another dispatch of this vehicle won (ambulance_log_one_open_run); AMB02: off the road.
    if (code !== '23505' && code !== 'AMB02' && code !== '23503' && code !== '42501') throw error;
    await sql`ROLLBACK TO SAVEPOINT ambulance_dispatch`.execute(db);
    if (code === '23503') throw failure('NotFound', 'No such vehicle, patient or crew member.');
    if (code === '42501') throw failure('Forbidden', 'You may not dispatch for this patient.');
    throw await vehicleNotFree(db, request.ambulanceId);
  }
}

const STEP_WORDS: Record<RunStatus, string> = {
  Dispatched: 'dispatched',
  EnRoute: 'en route',
  Arrived: 'arrived',
  Returned: 'returned',
  Cancelled: 'cancelled',
};

export async function updateRun(db: Kysely<Database>, logId: number, status: Exclude<RunStatus, 'Dispatched'>, notes?: string) {
  await sql`SAVEPOINT ambulance_run`.execute(db);
  try {
    const moved = await setRunStatus(db, logId, status, notes || null);
    if (moved) return moved;
  } catch (error) {
    if (sqlStateOf(error) !== 'AMB03') throw error;
    await sql`ROLLBACK TO SAVEPOINT ambulance_run`.execute(db);
  }
  const run = await findRun(db, logId);
  if (!run) throw failure('NotFound', 'No such run.');
  if (run.status === 'Returned' || run.status === 'Cancelled') throw failure('Conflict', `This run has ended (${STEP_WORDS[run.status]}).`);
  throw failure('Conflict', `This run is ${STEP_WORDS[run.status]}: it cannot be marked ${STEP_WORDS[status]} now.`);
}

export async function setStatus(db: Kysely<Database>, ambulanceId: number, status: 'Available' | 'Maintenance' | 'OutOfService') {
  await sql`SAVEPOINT ambulance_status`.execute(db);
  try {
    const done = await setVehicleStatus(db, ambulanceId, status);
    if (done) return done;
    throw failure('NotFound', 'No such vehicle.');
  } catch (error) {
    if (sqlStateOf(error) !== 'AMB01') throw error;
    await sql`ROLLBACK TO SAVEPOINT ambulance_status`.execute(db);
    const vehicle = await findVehicle(db, ambulanceId);
    throw failure('Conflict', `${vehicle?.vehicleNumber ?? 'This vehicle'} is on a run: record its return first.`);
  }
}
