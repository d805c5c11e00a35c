import { sql, type Kysely } from 'kysely';
import type { Allergy, CheckKind, Frequency, OrderInput, PrescriptionStatus, QueueItem } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import type { PatientMedicationContext } from './medication-checks.js';

/** Orders a patient is still on: not yet dispensed, or dispensed within their course (30 days when none is given). */
/** An order the patient is on: open, or dispensed with its course still running (30 days when none is given). */
export const CURRENT_ORDER = sql<boolean>`(p.status IN ('Active', 'Queried', 'Verified', 'PartiallyDispensed')
  OR (p.status = 'Dispensed' AND p.prescribed_at + make_interval(days => coalesce(p.duration_days, 30)) > now()))`;

export const findMyDoctorId = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('doctors')
    .select('doctor_id')
    .where('user_id', '=', userId)
    .where('is_active', '=', true)
    .executeTakeFirst()
    .then((r) => r?.doctor_id ?? null);

/** The patient as the caller may see them (row level security decides), or undefined. */
export const findVisiblePatient = (db: Kysely<Database>, patientId: number) =>
  db
    .selectFrom('patients')
    .select(['patient_id as patientId', sql<string>`last_name || ', ' || first_name`.as('name'), 'date_of_birth as dateOfBirth'])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();

/** What the checks need to know about a patient, leaving out the orders named in `excluding`. */
export async function findMedicationContext(
  db: Kysely<Database>,
  patientId: number,
  genericName: string | null,
  excluding: number[],
): Promise<PatientMedicationContext> {
  const [allergies, otherOrders, interactions] = await Promise.all([
    findAllergies(db, patientId),
    sql<PatientMedicationContext['otherOrders'][number]>`
      SELECT p.prescription_id AS "prescriptionId", m.name AS "medicineName", m.generic_name AS "genericName", p.dosage AS dose
      FROM prescriptions p JOIN medicine m ON m.medicine_id = p.medicine_id
      WHERE p.patient_id = ${patientId} AND ${CURRENT_ORDER} AND NOT (p.prescription_id = ANY (${excluding}::int[]))`
      .execute(db)
      .then((r) => r.rows),
    db
      .selectFrom('drug_interactions')
      .select(['generic_a as genericA', 'generic_b as genericB', 'severity', 'advice'])
      .where((eb) =>
        eb.or([eb('generic_a', '=', (genericName ?? '').toLowerCase()), eb('generic_b', '=', (genericName ?? '').toLowerCase())]),
      )
      .execute(),
  ]);
  return { allergies, otherOrders, interactions };
}

export const findAllergies = (db: Kysely<Database>, patientId: number): Promise<Allergy[]> =>
  db
    .selectFrom('patient_allergies')
    .select(['allergy_id as allergyId', 'substance', 'match_kind as matchKind', 'reaction', 'severity', 'recorded_at as recordedAt'])
    .where('patient_id', '=', patientId)
    .where('entered_in_error', '=', false)
    .orderBy('allergy_id')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt).toISOString() }) as Allergy));

/** How many active medicines have this substance as their generic name, and as their class (compared as the checks compare). */
export async function countFormularyMatches(db: Kysely<Database>, substance: string) {
  const { rows } = await sql<{ generic: number; drugClass: number }>`
    SELECT count(*) FILTER (WHERE lower(btrim(m.generic_name)) = lower(btrim(${substance})))::int AS generic,
           count(*) FILTER (WHERE lower(btrim(m.drug_class)) = lower(btrim(${substance})))::int AS "drugClass"
    FROM medicine m WHERE m.is_active`.execute(db);
  return rows[0] ?? { generic: 0, drugClass: 0 };
}

export const insertAllergy = (
  db: Kysely<Database>,
  allergy: { patientId: number; substance: string; matchKind: string; reaction: string | null; severity: string; recordedBy: string },
) =>
  db
    .insertInto('patient_allergies')
    .values({
      patient_id: allergy.patientId,
      substance: allergy.substance,
      match_kind: allergy.matchKind,
      reaction: allergy.reaction,
      severity: allergy.severity,
      recorded_by: allergy.recordedBy,
    })
    .returning('allergy_id')
    .executeTakeFirstOrThrow()
    .then((r) => r.allergy_id);

/** Rows changed: 0 when the caller cannot see the allergy or it is already marked. */
export const markAllergyInError = (db: Kysely<Database>, allergyId: number, reason: string, userId: string) =>
  db
    .updateTable('patient_allergies')
    .set({ entered_in_error: true, entered_in_error_by: userId, entered_in_error_at: sql`now()`, entered_in_error_reason: reason })
    .where('allergy_id', '=', allergyId)
    .where('entered_in_error', '=', false)
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows));

export const findAllergyState = (db: Kysely<Database>, allergyId: number) =>
  db.selectFrom('patient_allergies').select('entered_in_error as enteredInError').where('allergy_id', '=', allergyId).executeTakeFirst();

export const insertPrescription = (db: Kysely<Database>, order: OrderInput, doctorId: number, dosage: string) =>
  db
    .insertInto('prescriptions')
    .values({
      patient_id: order.patientId,
      doctor_id: doctorId,
      medicine_id: order.medicineId,
      dosage,
      dose_amount: order.doseAmount,
      dose_unit: order.doseUnit,
      route: order.route,
      frequency: order.frequency.code,
      frequency_code: order.frequency.code,
      interval_hours: order.frequency.code === 'QxH' ? order.frequency.intervalHours : null,
      prn_min_interval_hours: order.frequency.code === 'PRN' ? order.frequency.minIntervalHours : null,
      prn_max_per_24h: order.frequency.code === 'PRN' ? order.frequency.maxPer24h : null,
      duration_days: order.durationDays,
      quantity: order.quantity,
      instructions: order.instructions,
      urgency: order.urgency,
      replaces_prescription_id: order.replacesPrescriptionId,
    })
    .returning('prescription_id')
    .executeTakeFirstOrThrow()
    .then((r) => r.prescription_id);

/**
 * Stops a current order with a reason (the database stamps who and when): rows changed, 0 when it is
 * not the caller's to stop (RLS: a doctor changes only their own orders) or no longer current.
 */
export const cancelOrder = (db: Kysely<Database>, prescriptionId: number, reason: string) =>
  sql`UPDATE prescriptions p SET status = 'Cancelled', cancelled_reason = ${reason}
      WHERE p.prescription_id = ${prescriptionId} AND ${CURRENT_ORDER}`
    .execute(db)
    .then((r) => Number(r.numAffectedRows ?? 0));

export const insertOverrides = (
  db: Kysely<Database>,
  prescriptionId: number,
  stage: 'prescribing' | 'verification',
  rows: { kind: CheckKind; detail: string; reason: string }[],
  userId: string,
) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .insertInto('medication_check_overrides')
        .values(
          rows.map((r) => ({
            prescription_id: prescriptionId,
            stage,
            check_kind: r.kind,
            detail: r.detail.slice(0, 500),
            reason: r.reason,
            overridden_by: userId,
          })),
        )
        .execute()
        .then(() => undefined);

export const findOverrides = (db: Kysely<Database>, prescriptionId: number) =>
  db
    .selectFrom('medication_check_overrides')
    .select(['check_kind as kind', 'stage', 'reason', 'overridden_at as overriddenAt'])
    .where('prescription_id', '=', prescriptionId)
    .orderBy('override_id')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, kind: r.kind as CheckKind, overriddenAt: new Date(r.overriddenAt).toISOString() })));

export interface OrderRow {
  prescriptionId: number;
  patientId: number;
  medicineId: number | null;
  status: PrescriptionStatus;
  quantity: number;
  dispensedQuantity: number;
  doseAmount: string | null;
  doseUnit: string | null;
  dosage: string;
  route: string;
  frequency: Frequency | null;
  durationDays: number | null;
  instructions: string | null;
  urgency: string;
  queriedReason: string | null;
  cancelledReason: string | null;
  doctorId: number | null;
  prescribedAt: string;
  prescriber: string | null;
}

/** One order as the caller may see it; `lock` takes the row for the rest of the transaction (waits for a concurrent dispense). */
export async function findOrder(db: Kysely<Database>, prescriptionId: number, lock = false): Promise<OrderRow | undefined> {
  const { rows } = await sql<
    Omit<OrderRow, 'frequency'> & { code: string | null; ih: number | null; pi: number | null; pm: number | null }
  >`
    SELECT p.prescription_id AS "prescriptionId", p.patient_id AS "patientId", p.medicine_id AS "medicineId", p.status,
           p.quantity, p.dispensed_quantity AS "dispensedQuantity", p.dose_amount AS "doseAmount", p.dose_unit AS "doseUnit",
           p.dosage, p.route, p.frequency_code AS code, p.interval_hours AS ih, p.prn_min_interval_hours AS pi, p.prn_max_per_24h AS pm,
           p.duration_days AS "durationDays", p.instructions, p.urgency, p.queried_reason AS "queriedReason",
           p.cancelled_reason AS "cancelledReason", p.doctor_id AS "doctorId",
           to_char(p.prescribed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "prescribedAt",
           (SELECT 'Dr ' || d.first_name || ' ' || d.last_name FROM doctors d WHERE d.doctor_id = p.doctor_id) AS prescriber
    FROM prescriptions p WHERE p.prescription_id = ${prescriptionId}
    ${lock ? sql`FOR NO KEY UPDATE` : sql``}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { code, ih, pi, pm, ...rest } = row;
  return { ...rest, frequency: toFrequency(code, ih, pi, pm) };
}

function toFrequency(
  code: string | null,
  intervalHours: number | null,
  minIntervalHours: number | null,
  maxPer24h: number | null,
): Frequency | null {
  if (code === 'QxH' && intervalHours !== null) return { code, intervalHours };
  if (code === 'PRN' && minIntervalHours !== null && maxPer24h !== null) return { code, minIntervalHours, maxPer24h };
  if (code === 'OD' || code === 'BD' || code === 'TDS' || code === 'QDS' || code === 'STAT') return { code };
  return null;
}

/** Verify or query back: the guard trigger checks the transition and stamps who and when. */
export const setReviewStatus = (db: Kysely<Database>, prescriptionId: number, status: 'Verified' | 'Queried', reason: string | null) =>
  db
    .updateTable('prescriptions')
    .set(status === 'Queried' ? { status, queried_reason: reason } : { status })
    .where('prescription_id', '=', prescriptionId)
    .where('status', '=', 'Active')
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows));

/** Orders to verify or dispense: STAT first, then urgent, then oldest. */
export async function findQueue(db: Kysely<Database>, limit: number): Promise<QueueItem[]> {
  // The first `limit` orders are picked before patients is joined: its RLS policy runs a function per joined row,
  // which over every open order (10,000 in bench:pharmacy) cost ~0.5 s. Same rows for those who work the queue:
  // a pharmacist sees every patient with an open order, an administrator every patient.
  const { rows } = await sql<QueueItem>`
    WITH queue AS MATERIALIZED (
      SELECT p.*, CASE p.urgency WHEN 'STAT' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END AS rank
      FROM prescriptions p
      WHERE p.status IN ('Active', 'Verified', 'PartiallyDispensed')
      ORDER BY rank, p.prescribed_at, p.prescription_id
      LIMIT ${limit}
    )
    SELECT p.prescription_id AS "prescriptionId", p.patient_id AS "patientId", pt.last_name || ', ' || pt.first_name AS "patientName",
           m.name AS "medicineName", m.strength, m.form, p.dosage AS dose, p.urgency, p.status, p.quantity,
           p.dispensed_quantity AS "dispensedQuantity",
           to_char(p.prescribed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "prescribedAt",
           (SELECT 'Dr ' || d.first_name || ' ' || d.last_name FROM doctors d WHERE d.doctor_id = p.doctor_id) AS prescriber
    FROM queue p
    JOIN patients pt ON pt.patient_id = p.patient_id
    JOIN medicine m ON m.medicine_id = p.medicine_id
    ORDER BY p.rank, p.prescribed_at, p.prescription_id`.execute(db);
  return rows;
}
