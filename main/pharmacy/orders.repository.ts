import { sql, type Kysely } from 'kysely';
import type { OpenOrder, QueriedOrder } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import { CURRENT_ORDER } from './prescriptions.repository.js';

const iso = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An order as the prescriber's lists show it (QueueItem), from prescriptions p, patients pt and medicine m. */
const ORDER_ITEM = sql`
  p.prescription_id AS "prescriptionId", p.patient_id AS "patientId", pt.last_name || ', ' || pt.first_name AS "patientName",
  m.name AS "medicineName", m.strength, m.form, p.dosage AS dose, p.urgency, p.status, p.quantity,
  p.dispensed_quantity AS "dispensedQuantity", ${iso('p.prescribed_at')} AS "prescribedAt",
  (SELECT 'Dr ' || d.first_name || ' ' || d.last_name FROM doctors d WHERE d.doctor_id = p.doctor_id) AS prescriber`;
const ORDER_ITEM_FROM = sql`
  prescriptions p
  JOIN patients pt ON pt.patient_id = p.patient_id
  JOIN medicine m ON m.medicine_id = p.medicine_id`;

/** Queried orders, oldest first: of one prescriber (a doctor id), or everyone's (null: an administrator). */
export async function findQueriedOrders(db: Kysely<Database>, doctorId: number | null, limit: number): Promise<QueriedOrder[]> {
  const { rows } = await sql<QueriedOrder>`
    SELECT ${ORDER_ITEM},
           COALESCE(p.queried_reason, '') AS "queriedReason",
           (SELECT u.display_name FROM users u WHERE u.user_id = p.queried_by) AS "queriedBy"
    FROM ${ORDER_ITEM_FROM}
    WHERE p.status = 'Queried' AND (${doctorId}::int IS NULL OR p.doctor_id = ${doctorId}::int)
    ORDER BY p.prescribed_at, p.prescription_id
    LIMIT ${limit}`.execute(db);
  return rows;
}

/** A patient's current orders (open, or dispensed with the course running) the caller can see, newest first; `changeable`: the signed-in doctor's own (a change is a new order of theirs). */
export async function findOpenOrders(db: Kysely<Database>, patientId: number, doctorId: number | null): Promise<OpenOrder[]> {
  const { rows } = await sql<OpenOrder>`
    SELECT ${ORDER_ITEM}, COALESCE(p.doctor_id = ${doctorId}::int, false) AS changeable
    FROM ${ORDER_ITEM_FROM}
    WHERE p.patient_id = ${patientId} AND ${CURRENT_ORDER}
    ORDER BY p.prescribed_at DESC, p.prescription_id DESC
    LIMIT 200`.execute(db);
  return rows;
}

/** The patient's latest weight (kg without trailing zeros), or undefined when none is recorded or visible. */
export async function findLatestWeight(db: Kysely<Database>, patientId: number) {
  const { rows } = await sql<{ weightKg: string; recordedAt: string }>`
    SELECT trim_scale(w.weight_kg)::text AS "weightKg", ${iso('w.recorded_at')} AS "recordedAt"
    FROM patient_weights w WHERE w.patient_id = ${patientId}
    ORDER BY w.recorded_at DESC, w.weight_id DESC LIMIT 1`.execute(db);
  return rows[0];
}

export async function insertWeight(db: Kysely<Database>, patientId: number, weightKg: string, recordedBy: string) {
  const { rows } = await sql<{ weightId: number; patientId: number; weightKg: string; recordedAt: string }>`
    INSERT INTO patient_weights (patient_id, weight_kg, recorded_by) VALUES (${patientId}, ${weightKg}::numeric, ${recordedBy}::uuid)
    RETURNING weight_id AS "weightId", patient_id AS "patientId", trim_scale(weight_kg)::text AS "weightKg", ${iso('recorded_at')} AS "recordedAt"`.execute(
    db,
  );
  return rows[0]!;
}
