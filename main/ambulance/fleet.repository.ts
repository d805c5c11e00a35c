import { sql, type Kysely } from 'kysely';
import type { RunStatus, VehicleStatus } from '../../contract/ambulance.js';
import type { Database } from '../db/database.js';

// The SQL of the fleet and its runs. The steps of a run, their times, and the vehicle's OnCall state
// are the database's (migration 027); one open run per vehicle is a unique index (029).

export interface RunRow {
  logId: number;
  ambulanceId: number;
  vehicleNumber: string;
  status: RunStatus;
  pickupLocation: string | null;
  destination: string | null;
  patientId: number | null;
  patientName: string | null;
  driverName: string | null;
  attendantName: string | null;
  dispatchedAt: Date;
  enRouteAt: Date | null;
  arrivedAt: Date | null;
  returnedAt: Date | null;
  notes: string | null;
}

// The patient's name is joined under the reader's row level security: null where they may not look.
const RUN_COLUMNS = sql`l.log_id AS "logId", l.ambulance_id AS "ambulanceId", a.vehicle_number AS "vehicleNumber", l.status,
    l.pickup_location AS "pickupLocation", l.destination, l.patient_id AS "patientId",
    CASE WHEN p.patient_id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS "patientName",
    CASE WHEN dr.staff_id IS NULL THEN NULL ELSE dr.first_name || ' ' || dr.last_name END AS "driverName",
    CASE WHEN at.staff_id IS NULL THEN NULL ELSE at.first_name || ' ' || at.last_name END AS "attendantName",
    l.dispatched_at AS "dispatchedAt", l.en_route_at AS "enRouteAt", l.arrived_at AS "arrivedAt", l.returned_at AS "returnedAt", l.notes`;
const RUN_FROM = sql`ambulance_log l JOIN ambulance a ON a.ambulance_id = l.ambulance_id
    LEFT JOIN patients p ON p.patient_id = l.patient_id
    LEFT JOIN staff dr ON dr.staff_id = l.driver_staff_id LEFT JOIN staff at ON at.staff_id = l.attendant_staff_id`;
const OPEN = sql`l.status IN ('Dispatched', 'EnRoute', 'Arrived')`;

export async function findVehicles(db: Kysely<Database>) {
  const { rows } = await sql<{
    ambulanceId: number;
    vehicleNumber: string;
    equipmentLevel: 'Basic' | 'Advanced' | 'Critical';
    status: VehicleStatus;
    driverName: string | null;
  }>`
    SELECT a.ambulance_id AS "ambulanceId", a.vehicle_number AS "vehicleNumber", a.equipment_level AS "equipmentLevel", a.status,
           CASE WHEN s.staff_id IS NULL THEN NULL ELSE s.first_name || ' ' || s.last_name END AS "driverName"
    FROM ambulance a LEFT JOIN staff s ON s.staff_id = a.driver_staff_id ORDER BY a.vehicle_number`.execute(db);
  return rows;
}

export async function findOpenRuns(db: Kysely<Database>): Promise<RunRow[]> {
  const { rows } = await sql<RunRow>`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE ${OPEN}`.execute(db);
  return rows;
}

export async function findRecentRuns(db: Kysely<Database>, days: number): Promise<RunRow[]> {
  const { rows } = await sql<RunRow>`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM}
    WHERE l.dispatched_at >= now() - make_interval(days => ${days}) OR ${OPEN}
    ORDER BY l.dispatched_at DESC LIMIT 500`.execute(db);
  return rows;
}

export async function findRun(db: Kysely<Database>, logId: number): Promise<RunRow | undefined> {
  const { rows } = await sql<RunRow>`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE l.log_id = ${logId}`.execute(db);
  return rows[0];
}

export async function findCrew(db: Kysely<Database>) {
  const { rows } = await sql<{ staffId: number; name: string; role: string }>`
    SELECT s.staff_id AS "staffId", s.first_name || ' ' || s.last_name AS name, s.role
    FROM staff s WHERE s.is_active AND s.role IN ('driver', 'technician', 'nurse', 'doctor')
      AND (s.role IN ('driver', 'technician') OR s.department_id = (SELECT department_id FROM departments WHERE code = 'ED'))
    ORDER BY s.role, s.last_name, s.first_name`.execute(db);
  return rows;
}

/** Minutes from dispatch to arrival, per day (the database's clock and calendar). */
export async function findResponseTimes(db: Kysely<Database>, days: number) {
  const { rows } = await sql<{
    day: string;
    runs: number;
    arrived: number;
    medianMinutes: string | null;
    p90Minutes: string | null;
    maxMinutes: string | null;
  }>`
    WITH t AS (
      SELECT l.dispatched_at::date AS day, EXTRACT(EPOCH FROM l.arrived_at - l.dispatched_at) / 60 AS minutes
      FROM ambulance_log l WHERE l.dispatched_at >= current_date - (${days} - 1) AND l.status <> 'Cancelled')
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, count(t.day)::int AS runs, count(t.minutes)::int AS arrived,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.minutes)::numeric, 1)::text AS "medianMinutes",
           round(percentile_cont(0.9) WITHIN GROUP (ORDER BY t.minutes)::numeric, 1)::text AS "p90Minutes",
           round(max(t.minutes)::numeric, 1)::text AS "maxMinutes"
    FROM generate_series(current_date - (${days} - 1), current_date, INTERVAL '1 day') AS d(day)
    LEFT JOIN t ON t.day = d.day::date
    GROUP BY d.day ORDER BY d.day DESC`.execute(db);
  return rows;
}

export async function insertRun(
  db: Kysely<Database>,
  run: {
    ambulanceId: number;
    pickupLocation: string;
    destination: string;
    patientId: number | null;
    driverStaffId: number | null;
    attendantStaffId: number | null;
    notes: string | null;
  },
) {
  const { rows } = await sql<{ logId: number }>`
    INSERT INTO ambulance_log (ambulance_id, pickup_location, destination, patient_id, driver_staff_id, attendant_staff_id, notes)
    VALUES (${run.ambulanceId}, ${run.pickupLocation}, ${run.destination}, ${run.patientId}, ${run.driverStaffId}, ${run.attendantStaffId}, ${run.notes})
    RETURNING log_id AS "logId"`.execute(db);
  return rows[0]!;
}

export async function setRunStatus(db: Kysely<Database>, logId: number, status: RunStatus, notes: string | null) {
  const { rows } = await sql<{ logId: number; status: RunStatus }>`
    UPDATE ambulance_log SET status = ${status},
           notes = CASE WHEN ${notes}::text IS NULL THEN notes ELSE concat_ws(E'\n', notes, ${notes}::text) END
    WHERE log_id = ${logId} AND status IS DISTINCT FROM ${status} RETURNING log_id AS "logId", status`.execute(db);
  return rows[0];
}

export async function setVehicleStatus(db: Kysely<Database>, ambulanceId: number, status: VehicleStatus) {
  const { rows } = await sql<{ ambulanceId: number; status: VehicleStatus }>`
    UPDATE ambulance SET status = ${status} WHERE ambulance_id = ${ambulanceId}
    RETURNING ambulance_id AS "ambulanceId", status`.execute(db);
  return rows[0];
}

export async function findVehicle(db: Kysely<Database>, ambulanceId: number) {
  const { rows } = await sql<{ vehicleNumber: string; status: VehicleStatus }>`
    SELECT vehicle_number AS "vehicleNumber", status FROM ambulance WHERE ambulance_id = ${ambulanceId}`.execute(db);
  return rows[0];
}
