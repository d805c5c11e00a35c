import { sql, type Kysely } from 'kysely';
import type { Route } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import type { RecordedDose } from './mar-schedule.js';

/** ±60 min around a dose, until an administrator sets the ward's window. */
const DEFAULT_WINDOW_MINUTES = 60;

// The MAR's reads (the writes: administrations.repository.ts). Every read runs under the reader's row level
// security: a nurse sees the orders, doses and dispenses of patients in her care only.

/** Orders a nurse gives from: verified, partly or wholly dispensed, with a structured frequency. */
const GIVABLE = sql`p.status IN ('Verified', 'PartiallyDispensed', 'Dispensed') AND p.frequency_code IS NOT NULL`;

export interface OrderRow {
  prescriptionId: number;
  patientId: number;
  medicineId: number;
  medicineName: string;
  genericName: string | null;
  drugClass: string | null;
  maxDailyDose: string | null;
  medicineDoseUnit: string | null;
  strength: string;
  form: string;
  isControlled: boolean;
  doseAmount: string | null;
  doseUnit: string | null;
  dosage: string;
  route: Route;
  frequencyCode: 'OD' | 'BD' | 'TDS' | 'QDS' | 'QxH' | 'PRN' | 'STAT';
  intervalHours: number | null;
  prnMinIntervalHours: number | null;
  prnMaxPer24h: number | null;
  instructions: string | null;
  prescribedAt: Date;
  durationDays: number | null;
}

// An order's columns but its time, which each read carries its own way (a Date from the driver, or epoch ms in JSON).
const ORDER_COLUMNS_BUT_TIME = sql`
  p.prescription_id AS "prescriptionId", p.patient_id AS "patientId", m.medicine_id AS "medicineId", m.name AS "medicineName",
  m.generic_name AS "genericName", m.drug_class AS "drugClass", m.max_daily_dose::text AS "maxDailyDose",
  m.dose_unit AS "medicineDoseUnit", m.strength, m.form, m.is_controlled AS "isControlled",
  p.dose_amount::text AS "doseAmount", p.dose_unit AS "doseUnit", p.dosage, p.route, p.frequency_code AS "frequencyCode",
  p.interval_hours AS "intervalHours", p.prn_min_interval_hours AS "prnMinIntervalHours", p.prn_max_per_24h AS "prnMaxPer24h",
  p.instructions, p.duration_days AS "durationDays"`;
const ORDER_COLUMNS = sql`${ORDER_COLUMNS_BUT_TIME}, p.prescribed_at AS "prescribedAt"`;
const ORDER_COLUMNS_MILLIS = sql`${ORDER_COLUMNS_BUT_TIME}, floor(extract(epoch FROM p.prescribed_at) * 1000)::bigint AS "prescribedAt"`;
const GIVABLE_FROM = sql`FROM prescriptions p JOIN medicine m ON m.medicine_id = p.medicine_id`;

export async function findGivableOrders(db: Kysely<Database>, patientIds: number[]): Promise<OrderRow[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await sql<OrderRow>`
    SELECT ${ORDER_COLUMNS} ${GIVABLE_FROM}
    WHERE p.patient_id = ANY(${patientIds}::int[]) AND ${GIVABLE}
    ORDER BY p.patient_id, m.name, p.prescription_id`.execute(db);
  return rows;
}

export interface StoppedOrderRow extends OrderRow {
  stoppedAt: Date;
}

/**
 * Orders stopped (cancelled, or replaced by a changed order) since a time after a pharmacist verified them:
 * doses may have been given from them, and the MAR keeps those in sight for its span.
 */
export async function findStoppedOrders(db: Kysely<Database>, patientIds: number[], since: Date): Promise<StoppedOrderRow[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await sql<StoppedOrderRow>`
    SELECT ${ORDER_COLUMNS}, p.cancelled_at AS "stoppedAt" ${GIVABLE_FROM}
    WHERE p.patient_id = ANY(${patientIds}::int[]) AND p.status = 'Cancelled' AND p.cancelled_at >= ${since}
      AND p.verified_at IS NOT NULL AND p.frequency_code IS NOT NULL
    ORDER BY p.patient_id, m.name, p.prescription_id`.execute(db);
  return rows;
}

export interface AdministrationRow extends RecordedDose {
  prescriptionId: number;
}

// Recorded doses with who recorded and who witnessed them, and the rule for the ones that count (neither
// a correction nor corrected): for the MAR's read and the bedside scan's.
const DOSES_WITH_NAMES = sql`medication_administrations a
  LEFT JOIN users u ON u.user_id = a.recorded_by
  LEFT JOIN users w ON w.user_id = a.witnessed_by`;
const RECORDED_BY = sql`COALESCE(u.display_name, a.recorded_by::text)`;
const COUNTING_DOSE = sql`a.outcome <> 'entered-in-error' AND NOT a.entered_in_error`;

/** Of these recorders, the ones whose doses the reader may mark entered in error (056: the recorder, or an administrator). */
export async function findCorrectableRecorders(db: Kysely<Database>, recorderIds: string[]): Promise<Set<string>> {
  if (recorderIds.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    SELECT r.id::text AS id FROM unnest(${recorderIds}::uuid[]) AS r(id)
    WHERE app_may_correct_dose(r.id, app_current_user_id())`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** The doses that count (neither a correction nor corrected) of these orders since a time. */
export async function findCountingAdministrations(
  db: Kysely<Database>,
  prescriptionIds: number[],
  since: Date,
): Promise<AdministrationRow[]> {
  if (prescriptionIds.length === 0) return [];
  const { rows } = await sql<AdministrationRow>`
    SELECT a.administration_id AS "administrationId", a.prescription_id AS "prescriptionId", a.scheduled_for AS "scheduledFor",
           a.outcome, a.recorded_at AS "recordedAt", a.reason,
           ${RECORDED_BY} AS "recordedBy", a.recorded_by::text AS "recordedById", w.display_name AS "witnessedBy"
    FROM ${DOSES_WITH_NAMES}
    WHERE a.prescription_id = ANY(${prescriptionIds}::int[]) AND a.scheduled_for >= ${since} AND ${COUNTING_DOSE}
    ORDER BY a.scheduled_for`.execute(db);
  return rows;
}

export interface WardPatientRow {
  roomId: number;
  roomNumber: string;
  bedNumber: number;
  patientId: number;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  admittedAt: Date;
  admissionNotes: string | null;
}

/** The patients in a ward's beds the reader may see, by room and bed. */
export async function findWardPatients(db: Kysely<Database>, departmentId: number): Promise<WardPatientRow[]> {
  const { rows } = await sql<WardPatientRow>`
    SELECT s.room_id AS "roomId", s.room_number AS "roomNumber", s.bed_number AS "bedNumber", p.patient_id AS "patientId",
           p.first_name AS "firstName", p.last_name AS "lastName", to_char(p.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
           COALESCE(ra.admission_started_at, ra.assigned_at) AS "admittedAt", ra.notes AS "admissionNotes"
    FROM ward_bed_states(${departmentId}::int) s
    JOIN room_assignments ra ON ra.assignment_id = s.assignment_id
    JOIN patients p ON p.patient_id = ra.patient_id
    ORDER BY s.room_number, s.bed_number`.execute(db);
  return rows;
}

interface PatientWithBed {
  patientId: number;
  firstName: string;
  lastName: string;
  roomNumber: string | null;
  bedNumber: number | null;
}
// A patient and their open bed, if any: the select list and the joins, for the reads that start from one patient.
const PATIENT_WITH_BED_COLUMNS = sql`p.patient_id AS "patientId", p.first_name AS "firstName", p.last_name AS "lastName",
  r.room_number AS "roomNumber", ra.bed_number::int AS "bedNumber"`;
const PATIENT_WITH_BED_FROM = sql`patients p
  LEFT JOIN room_assignments ra ON ra.patient_id = p.patient_id AND ra.discharged_at IS NULL
  LEFT JOIN rooms r ON r.room_id = ra.room_id`;

/** One patient the reader may see, with their open bed if they have one. */
export async function findPatientWithBed(db: Kysely<Database>, patientId: number) {
  const { rows } = await sql<PatientWithBed>`
    SELECT ${PATIENT_WITH_BED_COLUMNS} FROM ${PATIENT_WITH_BED_FROM} WHERE p.patient_id = ${patientId}`.execute(db);
  return rows[0];
}

export interface AllergyRow {
  patientId: number;
  substance: string;
  matchKind: 'generic' | 'class';
  severity: string;
  reaction: string | null;
}

export async function findAllergies(db: Kysely<Database>, patientIds: number[]): Promise<AllergyRow[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await sql<AllergyRow>`
    SELECT patient_id AS "patientId", substance, match_kind AS "matchKind", severity, reaction
    FROM patient_allergies WHERE patient_id = ANY(${patientIds}::int[]) AND NOT entered_in_error
    ORDER BY patient_id, substance`.execute(db);
  return rows;
}

/** What a bedside scan can match: the scanned medicine, a label's dispense, the chosen dose's order. */
export interface ScanMatch {
  medicineId: number | null;
  transactionId: number | null;
  prescriptionIds: number[];
}

/**
 * Everything a bedside scan reads, in one statement (each round trip costs more than any of these
 * reads): the patient with their open bed, their allergies, the administration window, the label's
 * dispense, the givable orders the scan can match (only those, not the whole chart) and the doses that
 * count recorded for those orders since `since` (not every dose of a long chart). With `drawAdministrationId` it also draws the id the dose
 * will be stored under, so the insert needs no RETURNING (which would evaluate the table's read policies
 * once more). Times travel as whole epoch milliseconds, the precision the driver's own date parser gives.
 */
export async function findScanContext(
  db: Kysely<Database>,
  patientId: number,
  since: Date,
  match: ScanMatch,
  options: { drawAdministrationId?: boolean } = {},
) {
  type Millis<T, K extends keyof T> = Omit<T, K> & { [P in K]: number };
  // Each part a scan does not need is left out of the statement, not just given a NULL: the executor
  // sets up every sub-plan it holds (row level security's included) even where none of its rows is read.
  // A label's dispense is read once (a CTE used twice is computed once): its order, and whose it is; so
  // are the matched orders, whose doses alone the checks look at.
  const label =
    match.transactionId === null
      ? { with: sql``, dispense: sql`NULL::json`, order: sql`` }
      : {
          with: sql`label AS (SELECT d.prescription_id, d.patient_id FROM pharmacy d
                              WHERE d.transaction_id = ${match.transactionId}::int AND d.transaction_type = 'Dispense'),`,
          dispense: sql`(SELECT json_build_object('prescriptionId', l.prescription_id, 'patientId', l.patient_id) FROM label l)`,
          order: sql`OR p.prescription_id = (SELECT l.prescription_id FROM label l)`,
        };
  const medicineName =
    match.medicineId === null
      ? sql`NULL::text`
      : sql`(SELECT m.name || ' ' || m.strength FROM medicine m WHERE m.medicine_id = ${match.medicineId}::int)`;
  const { rows } = await sql<
    PatientWithBed & {
      windowMinutes: number | null;
      allergies: Omit<AllergyRow, 'patientId'>[];
      administrations: Millis<AdministrationRow, 'scheduledFor' | 'recordedAt'>[];
      dispense: { prescriptionId: number | null; patientId: number | null } | null;
      orders: Millis<OrderRow, 'prescribedAt'>[];
      scannedMedicineName: string | null;
      administrationId: number | null;
    }
  >`
    WITH ${label.with}
    matched AS (SELECT ${ORDER_COLUMNS_MILLIS} ${GIVABLE_FROM}
                WHERE p.patient_id = ${patientId} AND ${GIVABLE}
                  AND (p.medicine_id = ${match.medicineId}::int OR p.prescription_id = ANY(${match.prescriptionIds}::int[])
                       ${label.order}))
    SELECT ${PATIENT_WITH_BED_COLUMNS},
           (SELECT w.administration_window_minutes FROM ward_settings w) AS "windowMinutes",
           COALESCE((SELECT json_agg(json_build_object('substance', al.substance, 'matchKind', al.match_kind, 'severity', al.severity,
                                                       'reaction', al.reaction) ORDER BY al.substance)
                     FROM patient_allergies al WHERE al.patient_id = p.patient_id AND NOT al.entered_in_error), '[]') AS allergies,
           COALESCE((SELECT json_agg(json_build_object(
                       'administrationId', a.administration_id, 'prescriptionId', a.prescription_id,
                       'scheduledFor', floor(extract(epoch FROM a.scheduled_for) * 1000)::bigint, 'outcome', a.outcome,
                       'recordedAt', floor(extract(epoch FROM a.recorded_at) * 1000)::bigint, 'reason', a.reason,
                       'recordedBy', ${RECORDED_BY}, 'recordedById', a.recorded_by, 'witnessedBy', w.display_name) ORDER BY a.scheduled_for)
                     FROM ${DOSES_WITH_NAMES}
                     WHERE a.patient_id = p.patient_id AND a.prescription_id IN (SELECT o."prescriptionId" FROM matched o)
                       AND a.scheduled_for >= ${since} AND ${COUNTING_DOSE}), '[]') AS administrations,
           ${label.dispense} AS dispense,
           COALESCE((SELECT json_agg(o ORDER BY o."medicineName", o."prescriptionId") FROM matched o), '[]') AS orders,
           ${medicineName} AS "scannedMedicineName",
           ${options.drawAdministrationId ? sql`nextval('medication_administrations_administration_id_seq')::int` : sql`NULL::int`} AS "administrationId"
    FROM ${PATIENT_WITH_BED_FROM}
    WHERE p.patient_id = ${patientId}`.execute(db);
  const row = rows[0];
  return (
    row && {
      ...row,
      windowMinutes: row.windowMinutes ?? DEFAULT_WINDOW_MINUTES,
      administrations: row.administrations.map((d): AdministrationRow => ({
        ...d,
        scheduledFor: new Date(d.scheduledFor),
        recordedAt: new Date(d.recordedAt),
      })),
      orders: row.orders.map((o): OrderRow => ({ ...o, prescribedAt: new Date(o.prescribedAt) })),
    }
  );
}

/** Whether a prescriber or pharmacist went on past a fired allergy check for this order, with a reason. */
export async function hasAllergyOverride(db: Kysely<Database>, prescriptionId: number): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (SELECT 1 FROM medication_check_overrides o WHERE o.prescription_id = ${prescriptionId} AND o.check_kind = 'allergy') AS found`.execute(
    db,
  );
  return rows[0]?.found ?? false;
}

export async function findWindowMinutes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ minutes: number }>`SELECT administration_window_minutes AS minutes FROM ward_settings`.execute(db);
  return rows[0]?.minutes ?? DEFAULT_WINDOW_MINUTES;
}

export async function updateWindowMinutes(db: Kysely<Database>, minutes: number, actor: string) {
  const { rows } = await sql<{ minutes: number }>`
    UPDATE ward_settings SET administration_window_minutes = ${minutes}, updated_at = now(), updated_by = ${actor}::uuid
    RETURNING administration_window_minutes AS minutes`.execute(db);
  return rows[0]?.minutes;
}
