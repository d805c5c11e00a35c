import { sql, type Kysely } from 'kysely';
import type { BillSource, BillStatus, PaymentMethod } from '../../contract/billing.js';
import type { Database } from '../db/database.js';

// The SQL of billing. Amounts stay NUMERIC in the database and travel as text; every sum is the
// database's. What an appointment or a stay costs is priced once, in the billable_appointments and
// billable_stays views (migration 027), which bill_appointment / bill_stay bill from.

export interface BillRow {
  billId: number;
  patientId: number;
  billDate: Date;
  description: string | null;
  source: BillSource;
  appointmentId: number | null;
  assignmentId: number | null;
  quantity: string | null;
  unitPrice: string | null;
  amount: string;
  paid: string;
  owed: string;
  status: BillStatus;
  voidReason: string | null;
}

const BILL_COLUMNS = sql`b.bill_id AS "billId", b.patient_id AS "patientId", b.bill_date AS "billDate", b.description, b.source,
    b.appointment_id AS "appointmentId", b.assignment_id AS "assignmentId", b.quantity::text AS quantity, b.unit_price::text AS "unitPrice",
    b.amount::text AS amount, b.paid_amount::text AS paid,
    (CASE WHEN b.status IN ('Cancelled', 'Refunded') THEN 0 ELSE b.amount - b.paid_amount END)::text AS owed,
    b.status, b.void_reason AS "voidReason"`;

export async function findBillsOfPatient(db: Kysely<Database>, patientId: number): Promise<BillRow[]> {
  const { rows } = await sql<BillRow>`SELECT ${BILL_COLUMNS} FROM billing b WHERE b.patient_id = ${patientId}
    ORDER BY b.bill_date, b.bill_id`.execute(db);
  return rows;
}

/** Takes the bill's row lock: payments on one bill queue here, so each sees what the one before left owed. */
export async function lockBill(db: Kysely<Database>, billId: number): Promise<void> {
  await sql`SELECT 1 FROM billing WHERE bill_id = ${billId} FOR UPDATE`.execute(db);
}

export async function findBill(db: Kysely<Database>, billId: number): Promise<BillRow | undefined> {
  const { rows } = await sql<BillRow>`SELECT ${BILL_COLUMNS} FROM billing b WHERE b.bill_id = ${billId}`.execute(db);
  return rows[0];
}

export interface PaymentRow {
  paymentId: number;
  billId: number;
  amount: string;
  method: PaymentMethod;
  reference: string | null;
  receivedAt: Date;
  receivedBy: string | null;
}

export async function findPaymentsOfPatient(db: Kysely<Database>, patientId: number): Promise<PaymentRow[]> {
  const { rows } = await sql<PaymentRow>`
    SELECT pm.payment_id AS "paymentId", pm.bill_id AS "billId", pm.amount::text AS amount, pm.method, pm.reference,
           pm.received_at AS "receivedAt", u.display_name AS "receivedBy"
    FROM payments pm JOIN billing b ON b.bill_id = pm.bill_id LEFT JOIN users u ON u.user_id = pm.received_by
    WHERE b.patient_id = ${patientId} ORDER BY pm.received_at, pm.payment_id`.execute(db);
  return rows;
}

export async function findAccountTotals(db: Kysely<Database>, patientId: number) {
  const { rows } = await sql<{ charged: string; paid: string; owed: string }>`
    SELECT COALESCE(sum(b.amount), 0)::text AS charged, COALESCE(sum(b.paid_amount), 0)::text AS paid,
           COALESCE(sum(b.amount - b.paid_amount), 0)::text AS owed
    FROM billing b WHERE b.patient_id = ${patientId} AND b.status NOT IN ('Cancelled', 'Refunded')`.execute(db);
  return rows[0]!;
}

export async function findPatient(db: Kysely<Database>, patientId: number) {
  const { rows } = await sql<{ patientId: number; name: string; dateOfBirth: string; address: string | null }>`
    SELECT p.patient_id AS "patientId", p.first_name || ' ' || p.last_name AS name,
           to_char(p.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", p.address
    FROM patients p WHERE p.patient_id = ${patientId}`.execute(db);
  return rows[0];
}

export async function findBalances(db: Kysely<Database>, limit: number) {
  const { rows } = await sql<{ patientId: number; name: string; openBills: number; owed: string; oldestOpenBill: Date }>`
    SELECT b.patient_id AS "patientId", p.first_name || ' ' || p.last_name AS name, count(*)::int AS "openBills",
           sum(b.amount - b.paid_amount)::text AS owed, min(b.bill_date) AS "oldestOpenBill"
    FROM billing b JOIN patients p ON p.patient_id = b.patient_id
    WHERE b.status IN ('Pending', 'PartiallyPaid')
    GROUP BY b.patient_id, p.first_name, p.last_name
    ORDER BY sum(b.amount - b.paid_amount) DESC, b.patient_id LIMIT ${limit}`.execute(db);
  return rows;
}

export interface UnbilledRow {
  kind: 'appointment' | 'stay';
  id: number;
  patientId: number;
  patientName: string;
  date: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

export async function findUnbilled(db: Kysely<Database>, patientId: number | null, limit: number): Promise<UnbilledRow[]> {
  const { rows } = await sql<UnbilledRow>`
    SELECT * FROM (
      SELECT 'appointment' AS kind, v.appointment_id AS id, v.patient_id AS "patientId", p.first_name || ' ' || p.last_name AS "patientName",
             to_char(v.appointment_date, 'YYYY-MM-DD') AS date, v.description, '1' AS quantity, v.amount::text AS "unitPrice", v.amount::text AS amount
      FROM billable_appointments v JOIN patients p ON p.patient_id = v.patient_id
      WHERE v.unbilled AND v.amount > 0 AND (${patientId}::int IS NULL OR v.patient_id = ${patientId}::int)
      UNION ALL
      SELECT 'stay', v.assignment_id, v.patient_id, p.first_name || ' ' || p.last_name, to_char(v.discharged_at, 'YYYY-MM-DD'),
             v.description, v.days::text, v.daily_rate::text, v.amount::text
      FROM billable_stays v JOIN patients p ON p.patient_id = v.patient_id
      WHERE v.unbilled AND v.days > 0 AND (${patientId}::int IS NULL OR v.patient_id = ${patientId}::int)
    ) u ORDER BY date, kind, id LIMIT ${limit}`.execute(db);
  return rows;
}

/** Bills a seen appointment at its department's fee; undefined when it is not billable (or already billed). */
export async function insertAppointmentBill(db: Kysely<Database>, appointmentId: number) {
  const { rows } = await sql<{ billId: number | null }>`SELECT bill_appointment(${appointmentId}) AS "billId"`.execute(db);
  return rows[0]?.billId ? { billId: rows[0].billId } : undefined;
}

export async function findAppointmentState(db: Kysely<Database>, appointmentId: number) {
  const { rows } = await sql<{ status: string; billed: boolean }>`
    SELECT a.status, COALESCE((SELECT NOT v.unbilled FROM billable_appointments v WHERE v.appointment_id = a.appointment_id), false) AS billed
    FROM appointments a WHERE a.appointment_id = ${appointmentId}`.execute(db);
  return rows[0];
}

/** Bills a finished stay: days admitted × the room type's daily rate. */
export async function insertStayBill(db: Kysely<Database>, assignmentId: number) {
  const { rows } = await sql<{ billId: number | null }>`SELECT bill_stay(${assignmentId}) AS "billId"`.execute(db);
  return rows[0]?.billId ? { billId: rows[0].billId } : undefined;
}

export async function findStayState(db: Kysely<Database>, assignmentId: number) {
  const { rows } = await sql<{ open: boolean; billed: boolean; days: number | null; priced: boolean }>`
    SELECT ra.discharged_at IS NULL AS open, COALESCE(NOT v.unbilled, false) AS billed, v.days, v.assignment_id IS NOT NULL OR ra.discharged_at IS NULL AS priced
    FROM room_assignments ra LEFT JOIN billable_stays v ON v.assignment_id = ra.assignment_id
    WHERE ra.assignment_id = ${assignmentId}`.execute(db);
  return rows[0];
}

export async function insertCharge(
  db: Kysely<Database>,
  charge: { patientId: number; description: string; amount: string; createdBy: string },
) {
  const { rows } = await sql<{ billId: number }>`
    INSERT INTO billing (patient_id, description, amount, quantity, unit_price, source, created_by)
    VALUES (${charge.patientId}, ${charge.description}, ${charge.amount}::numeric, 1, ${charge.amount}::numeric, 'manual', ${charge.createdBy}::uuid)
    RETURNING bill_id AS "billId"`.execute(db);
  return rows[0]!;
}

/** Whether the amount is more than the bill still owes (compared as NUMERIC). */
export async function exceedsOwed(db: Kysely<Database>, billId: number, amount: string): Promise<boolean> {
  const { rows } = await sql<{ exceeds: boolean }>`
    SELECT ${amount}::numeric > b.amount - b.paid_amount AS exceeds FROM billing b WHERE b.bill_id = ${billId}`.execute(db);
  return rows[0]?.exceeds ?? false;
}

export async function insertPayment(
  db: Kysely<Database>,
  payment: { billId: number; amount: string; method: PaymentMethod; reference: string | null; receivedBy: string },
) {
  const { rows } = await sql<{ paymentId: number }>`
    INSERT INTO payments (bill_id, amount, method, reference, received_by)
    VALUES (${payment.billId}, ${payment.amount}::numeric, ${payment.method}, ${payment.reference}, ${payment.receivedBy}::uuid)
    RETURNING payment_id AS "paymentId"`.execute(db);
  return rows[0]!;
}

export async function voidBill(db: Kysely<Database>, billId: number, reason: string) {
  const { rows } = await sql<{ billId: number }>`
    UPDATE billing SET status = 'Cancelled', void_reason = ${reason} WHERE bill_id = ${billId} AND status = 'Pending'
    RETURNING bill_id AS "billId"`.execute(db);
  return rows[0];
}
