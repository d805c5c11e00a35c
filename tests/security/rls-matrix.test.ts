// The row level security matrix: every demo role, and a connection with no user context, × every table
// the app reads or writes × SELECT/INSERT/UPDATE/DELETE, run as the app's login role (not owner, no
// BYPASSRLS) on a pool of ONE connection, each cell in its own rolled-back transaction. After every
// cell, the same pooled connection without a context must see no patient data.
// Patient data: migrations 008 and 016. The tables RLS itself trusts (users, roles, staff, settings…):
// migration 016 — readable where sign-in and the RLS helpers need them, writable only with the
// permission their admin screen needs, never without a context.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../contract/permissions.js';
import { createPool } from '../../main/db/connection.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

type CoreRole = 'admin' | 'doctor' | 'nurse' | 'pharmacist' | 'front_desk' | 'none';
/** The operations roles (migration 027): a cell that does not name them expects what 'none' gets. */
type OperationsRole = 'billing_clerk' | 'dispatcher' | 'housekeeping';
type Role = CoreRole | OperationsRole;
const ROLES: Role[] = ['admin', 'doctor', 'nurse', 'pharmacist', 'front_desk', 'billing_clerk', 'dispatcher', 'housekeeping', 'none'];
const EMAIL: Record<Exclude<Role, 'none'>, string> = {
  admin: 'admin@demo.clinic',
  doctor: 'doctor@demo.clinic',
  nurse: 'nurse@demo.clinic',
  pharmacist: 'pharmacist@demo.clinic',
  front_desk: 'frontdesk@demo.clinic',
  billing_clerk: 'billing@demo.clinic',
  dispatcher: 'dispatch@demo.clinic',
  housekeeping: 'housekeeping@demo.clinic',
};
/** Tables whose rows are about patients: with no user context a connection sees none of them. */
const PATIENT_DATA = [
  'patients',
  'medical_records',
  'prescriptions',
  'appointments',
  'room_assignments',
  'billing',
  'pharmacy',
  'ambulance_log',
  'patient_allergies',
  'medication_check_overrides',
  'observations',
  'spo2_scale_decisions',
  'payments',
  'patient_weights',
];

let database: TestDatabase;
let pool: pg.Pool;
const f: Record<string, number> = {}; // fixture ids
const users: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 1);
  pool = createPool({ connectionString: database.appUrl, max: 1 });
  const o = database.ownerPool; // the schema owner, acting as the demo administrator: arranges any row
  const one = async (text: string, params: unknown[] = []) => Object.values((await o.query(text, params)).rows[0] as object)[0] as number;
  for (const role of ROLES.filter((r) => r !== 'none'))
    users[role] = (await o.query('SELECT user_id FROM users WHERE email = $1', [EMAIL[role as Exclude<Role, 'none'>]])).rows[0].user_id;
  f.dWA = await one(`SELECT department_id FROM departments WHERE code = 'WA'`);
  f.dGM = await one(`SELECT department_id FROM departments WHERE code = 'GM'`);
  f.dORT = await one(`SELECT department_id FROM departments WHERE code = 'ORT'`);
  f.myDoctor = await one(`SELECT doctor_id FROM doctors WHERE user_id = $1`, [users.doctor]);
  f.ortDoctor = await one(`SELECT doctor_id FROM doctors WHERE department_id = $1 LIMIT 1`, [f.dORT]);
  f.roomWA = await one(`SELECT room_id FROM rooms WHERE department_id = $1 ORDER BY room_id LIMIT 1`, [f.dWA]);
  const patient = (name: string, dept: number) =>
    one(
      `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Matrix', $1, '1970-01-01', $2) RETURNING patient_id`,
      [name, dept],
    );
  f.pWard = await patient('Ward', f.dWA);
  f.pWard2 = await patient('Ward Two', f.dWA);
  f.pGM = await patient('General', f.dGM);
  f.pOther = await patient('Other', f.dORT);
  f.pLoose = await patient('Loose', f.dORT);
  f.aGM = await one(
    `INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time) VALUES ($1, $2, $3, CURRENT_DATE + 20, '09:00') RETURNING appointment_id`,
    [f.pGM, f.myDoctor, f.dGM],
  );
  f.aOther = await one(
    `INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time) VALUES ($1, $2, $3, CURRENT_DATE + 20, '09:00') RETURNING appointment_id`,
    [f.pOther, f.ortDoctor, f.dORT],
  );
  f.raWard = await one(`INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 1) RETURNING assignment_id`, [
    f.roomWA,
    f.pWard,
  ]);
  for (const p of ['pWard', 'pGM', 'pOther'])
    f[`mr_${p}`] = await one(`INSERT INTO medical_records (patient_id, diagnosis) VALUES ($1, 'fixture') RETURNING record_id`, [f[p]]);
  f.rxGM = await one(
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 10) RETURNING prescription_id`,
    [f.pGM, f.myDoctor],
  );
  f.rxWard = await one(
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 10) RETURNING prescription_id`,
    [f.pWard, f.ortDoctor],
  );
  // Written by another department's doctor for a patient the doctor sees (pGM's appointment): she reads it (037).
  f.rxGMOther = await one(
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 10) RETURNING prescription_id`,
    [f.pGM, f.ortDoctor],
  );
  f.rxOld = await one(
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity, status, prescribed_at) VALUES ($1, $2, '1 tab', 10, 'Completed', now() - interval '200 days') RETURNING prescription_id`,
    [f.pOther, f.ortDoctor],
  );
  f.bill = await one(`INSERT INTO billing (patient_id, amount, description) VALUES ($1, 120, 'fixture') RETURNING bill_id`, [f.pOther]);
  f.medicine = await one(`SELECT medicine_id FROM medicine ORDER BY medicine_id LIMIT 1`);
  // Rows of the trusted tables that nothing refers to, so a DELETE of each can succeed.
  f.looseStaff = await one(`INSERT INTO staff (first_name, last_name, role) VALUES ('Matrix', 'Loose', 'cleaner') RETURNING staff_id`);
  f.looseDoctor = await one(
    `INSERT INTO doctors (first_name, last_name, department_id) VALUES ('Matrix', 'Loose', $1) RETURNING doctor_id`,
    [f.dORT],
  );
  f.looseDepartment = await one(`INSERT INTO departments (name) VALUES ('Matrix Loose') RETURNING department_id`);
  f.looseRoom = await one(`INSERT INTO rooms (room_number, department_id) VALUES ('MX-LOOSE', $1) RETURNING room_id`, [f.dWA]);
  f.looseRoomType = await one(`INSERT INTO room_types (type_name) VALUES ('Matrix Loose') RETURNING room_type_id`);
  f.looseMedicine = await one(`INSERT INTO medicine (name) VALUES ('Matrixamol') RETURNING medicine_id`);
  f.bareMedicine = await one(`INSERT INTO medicine (name) VALUES ('Matrixol') RETURNING medicine_id`);
  // A lot's stock arrives with a Receive row in the ledger (migration 020).
  f.looseLot = await one(
    `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date) VALUES ($1, 'MX', '2030-01-01') RETURNING lot_id`,
    [f.looseMedicine],
  );
  f.ledger = await one(
    `INSERT INTO pharmacy (medicine_id, lot_id, quantity, transaction_type) VALUES ($1, $2, 5, 'Receive') RETURNING transaction_id`,
    [f.looseMedicine, f.looseLot],
  );
  for (const p of ['pWard', 'pGM', 'pOther'])
    f[`al_${p}`] = await one(
      `INSERT INTO patient_allergies (patient_id, substance, recorded_by) VALUES ($1, 'penicillin', $2) RETURNING allergy_id`,
      [f[p], users.admin],
    );
  f.interaction = await one(
    `INSERT INTO drug_interactions (generic_a, generic_b, severity, advice) VALUES ('matrix-a', 'matrix-b', 'minor', 'fixture') RETURNING interaction_id`,
  );
  for (const rx of ['rxGM', 'rxWard'])
    f[`ov_${rx}`] = await one(
      `INSERT INTO medication_check_overrides (prescription_id, stage, check_kind, detail, reason, overridden_by) VALUES ($1, 'prescribing', 'allergy', 'fixture', 'fixture reason', $2) RETURNING override_id`,
      [f[rx], users.admin],
    );
  f.ambulance = await one(`INSERT INTO ambulance (vehicle_number) VALUES ('MX-1') RETURNING ambulance_id`);
  f.looseAmbulance = await one(`INSERT INTO ambulance (vehicle_number) VALUES ('MX-2') RETURNING ambulance_id`);
  f.run = await one(`INSERT INTO ambulance_log (ambulance_id, patient_id, pickup_location) VALUES ($1, $2, 'fixture') RETURNING log_id`, [
    f.ambulance,
    f.pOther,
  ]);
  f.cleaning = await one(`INSERT INTO cleaning_service (room_id) VALUES ($1) RETURNING cleaning_id`, [f.roomWA]);
  // Operations (migration 027): a bill with a payment (payments are append-only; the bill moves with them).
  f.paidBill = await one(`INSERT INTO billing (patient_id, amount, description) VALUES ($1, 80, 'fixture') RETURNING bill_id`, [f.pOther]);
  f.payment = await one(`INSERT INTO payments (bill_id, amount, method, received_by) VALUES ($1, 20, 'cash', $2) RETURNING payment_id`, [
    f.paidBill,
    users.admin,
  ]);
  // Ward (migration 022): a set of vitals and an SpO2 scale decision per patient.
  for (const p of ['pWard', 'pGM', 'pOther']) {
    f[`obs_${p}`] = await one(
      `INSERT INTO observations (patient_id, taken_at, recorded_by, respiration_rate, spo2, on_oxygen, systolic_bp, pulse, consciousness, temperature, news2_score, news2_response, news2_single_three)
       VALUES ($1, now(), $2, 16, 97, false, 120, 70, 'A', 37.0, 0, 'low', false) RETURNING observation_id`,
      [f[p], users.admin],
    );
    f[`sc_${p}`] = await one(
      `INSERT INTO spo2_scale_decisions (patient_id, spo2_scale, reason, decided_by) VALUES ($1, 2, 'fixture reason', $2) RETURNING decision_id`,
      [f[p], users.admin],
    );
  }
  // Ward (migration 025): a recorded dose per patient (held: no verified order needed) and a nurse's note.
  // Old and completed like rxOld, so no pharmacist sees pOther through it.
  f.rxOther = await one(
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity, status, prescribed_at) VALUES ($1, $2, '1 tab', 10, 'Completed', now() - interval '200 days') RETURNING prescription_id`,
    [f.pOther, f.ortDoctor],
  );
  for (const [p, rx] of [
    ['pWard', 'rxWard'],
    ['pGM', 'rxGM'],
    ['pOther', 'rxOther'],
  ] as const)
    f[`ma_${p}`] = await one(
      `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, reason, recorded_by)
       VALUES ($1, $2, now(), 'held', 'fixture reason', $3) RETURNING administration_id`,
      [f[rx], f[p], users.admin],
    );
  f.note_pWard = await one(
    `INSERT INTO medical_records (patient_id, note_kind, notes, created_by) VALUES ($1, 'nursing', 'fixture note', $2) RETURNING record_id`,
    [f.pWard, users.nurse],
  );
  // Pharmacy (migration 024): a weight per patient, and a count of a controlled drug that differed.
  for (const p of ['pWard', 'pGM', 'pOther'])
    f[`wt_${p}`] = await one(`INSERT INTO patient_weights (patient_id, weight_kg, recorded_by) VALUES ($1, 70, $2) RETURNING weight_id`, [
      f[p],
      users.admin,
    ]);
  f.cdMedicine = await one(`INSERT INTO medicine (name, is_controlled) VALUES ('Matrixdone', true) RETURNING medicine_id`);
  f.cdCount = await one(
    `INSERT INTO controlled_drug_counts (medicine_id, counted_quantity, counted_by) VALUES ($1, 3, $2) RETURNING count_id`,
    [f.cdMedicine, users.admin],
  );
  f.token = await one(
    `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by) VALUES ($1, repeat('e', 64), now() + interval '20 minutes', now(), $2) RETURNING token_id`,
    [users.pharmacist, users.admin],
  );
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** Runs one statement as the role (no context for 'none'), in a transaction that is always rolled back. Rows affected, or the SQLSTATE it failed with. */
async function run(role: Role, text: string, params: unknown[] = []): Promise<number | string> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${users[role] ?? ''}', true)`);
    const result = await client.query(text, params);
    return result.rowCount ?? 0;
  } catch (error) {
    return (error as { code: string }).code;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const ids = (...keys: string[]) => keys.map((k) => f[k]);
const E = '42501'; // insufficient_privilege: a WITH CHECK (or no policy) refused the row, or the role has no grant
const user = (role: Role) => users[role];

/** One row of the matrix: a statement on `table` and what each role gets (rows, or the SQLSTATE). */
type Expected = Record<CoreRole, number | string> & Partial<Record<OperationsRole, number | string>>;
type Cell = [table: string, text: string, params: () => unknown[], expected: Expected];
const expectedOf = (expected: Expected, role: Role) => expected[role] ?? expected.none;
/** The same answer for every role (and for no context). */
const all = (value: number | string): Record<Role, number | string> => ({
  admin: value,
  doctor: value,
  nurse: value,
  pharmacist: value,
  front_desk: value,
  billing_clerk: value,
  dispatcher: value,
  housekeeping: value,
  none: value,
});
/** `value` for the administrator (and any `others` listed), `rest` for everyone else. */
const only = (
  value: number,
  rest: number | string,
  others: Partial<Record<Role, number | string>> = {},
): Record<Role, number | string> => ({ ...all(rest), admin: value, ...others });

// SELECT: which fixture rows each role sees (count).
const SELECT: Record<string, Cell> = {
  patients: [
    'patients',
    'SELECT patient_id FROM patients WHERE patient_id = ANY($1)',
    () => [ids('pWard', 'pGM', 'pOther', 'pLoose')],
    { admin: 4, front_desk: 4, doctor: 1, nurse: 1, pharmacist: 2, billing_clerk: 4, dispatcher: 4, none: 0 },
  ],
  medical_records: [
    'medical_records',
    'SELECT record_id FROM medical_records WHERE record_id = ANY($1)',
    () => [ids('mr_pWard', 'mr_pGM', 'mr_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 0, none: 0 },
  ],
  prescriptions: [
    'prescriptions',
    'SELECT prescription_id FROM prescriptions WHERE prescription_id = ANY($1)',
    () => [ids('rxGM', 'rxGMOther', 'rxWard', 'rxOld')],
    { admin: 4, front_desk: 0, doctor: 2, nurse: 1, pharmacist: 3, none: 0 },
  ],
  appointments: [
    'appointments',
    'SELECT appointment_id FROM appointments WHERE appointment_id = ANY($1)',
    () => [ids('aGM', 'aOther')],
    { admin: 2, front_desk: 2, doctor: 1, nurse: 0, pharmacist: 0, billing_clerk: 2, none: 0 },
  ],
  room_assignments: [
    'room_assignments',
    'SELECT assignment_id FROM room_assignments WHERE assignment_id = ANY($1)',
    () => [ids('raWard')],
    { admin: 1, front_desk: 0, doctor: 0, nurse: 1, pharmacist: 0, billing_clerk: 1, none: 0 },
  ],
  billing: [
    'billing',
    'SELECT bill_id FROM billing WHERE bill_id = ANY($1)',
    () => [ids('bill')],
    { admin: 1, front_desk: 1, doctor: 0, nurse: 0, pharmacist: 0, billing_clerk: 1, none: 0 },
  ],
  payments: [
    'payments',
    'SELECT 1 FROM payments WHERE payment_id = $1',
    () => [f.payment],
    only(1, 0, { front_desk: 1, billing_clerk: 1 }),
  ],
  pharmacy: [
    'pharmacy',
    'SELECT transaction_id FROM pharmacy WHERE transaction_id = ANY($1)',
    () => [ids('ledger')],
    { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 1, none: 0 },
  ],
  ambulance_log: ['ambulance_log', 'SELECT log_id FROM ambulance_log WHERE log_id = $1', () => [f.run], only(1, 0, { dispatcher: 1 })],
  // Allergies: clinicians, for the patients they see (migration 020).
  patient_allergies: [
    'patient_allergies',
    'SELECT allergy_id FROM patient_allergies WHERE allergy_id = ANY($1)',
    () => [ids('al_pWard', 'al_pGM', 'al_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 2, none: 0 },
  ],
  // Overrides: with the prescription they belong to.
  medication_check_overrides: [
    'medication_check_overrides',
    'SELECT override_id FROM medication_check_overrides WHERE override_id = ANY($1)',
    () => [ids('ov_rxGM', 'ov_rxWard')],
    { admin: 2, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 2, none: 0 },
  ],
  drug_interactions: ['drug_interactions', 'SELECT 1 FROM drug_interactions WHERE interaction_id = $1', () => [f.interaction], all(1)],
  // Weights: clinicians, for the patients they see; controlled-drug counts: pharmacists (migration 024).
  patient_weights: [
    'patient_weights',
    'SELECT 1 FROM patient_weights WHERE weight_id = ANY($1)',
    () => [ids('wt_pWard', 'wt_pGM', 'wt_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 2, none: 0 },
  ],
  controlled_drug_counts: [
    'controlled_drug_counts',
    'SELECT 1 FROM controlled_drug_counts WHERE count_id = $1',
    () => [f.cdCount],
    only(1, 0, { pharmacist: 1 }),
  ],
  // Ward (migration 022): doctors and nurses, for the patients they see.
  observations: [
    'observations',
    'SELECT 1 FROM observations WHERE observation_id = ANY($1)',
    () => [ids('obs_pWard', 'obs_pGM', 'obs_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 0, none: 0 },
  ],
  spo2_scale_decisions: [
    'spo2_scale_decisions',
    'SELECT 1 FROM spo2_scale_decisions WHERE decision_id = ANY($1)',
    () => [ids('sc_pWard', 'sc_pGM', 'sc_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 0, none: 0 },
  ],
  // Ward (migration 025): recorded doses for doctors and nurses who see the patient; the window for anyone signed in.
  medication_administrations: [
    'medication_administrations',
    'SELECT 1 FROM medication_administrations WHERE administration_id = ANY($1)',
    () => [ids('ma_pWard', 'ma_pGM', 'ma_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 0, none: 0 },
  ],
  ward_settings: ['ward_settings', 'SELECT 1 FROM ward_settings', () => [], { ...all(1), none: 0 }],
  // Trusted tables: sign-in reads users by email before anyone is signed in, and every policy reads
  // the RBAC, staff, doctors and rooms rows, so those are readable by all (never writable by all).
  users: ['users', `SELECT user_id FROM users WHERE email LIKE '%@demo.clinic'`, () => [], all(8)],
  user_roles: ['user_roles', 'SELECT role_id FROM user_roles WHERE user_id = ANY($1)', () => [Object.values(users)], all(8)],
  roles: ['roles', 'SELECT role_id FROM roles', () => [], all(8)],
  permissions: ['permissions', 'SELECT permission_id FROM permissions', () => [], all(PERMISSIONS.length)],
  role_permissions: [
    'role_permissions',
    `SELECT 1 FROM role_permissions rp JOIN roles r USING (role_id) WHERE r.role_name = 'nurse'`,
    () => [],
    all(8),
  ],
  staff: ['staff', 'SELECT staff_id FROM staff WHERE user_id = ANY($1)', () => [Object.values(users)], all(8)],
  doctors: ['doctors', 'SELECT doctor_id FROM doctors WHERE doctor_id = ANY($1)', () => [ids('myDoctor', 'looseDoctor')], all(2)],
  doctor_working_hours: ['doctor_working_hours', 'SELECT 1 FROM doctor_working_hours WHERE doctor_id = $1', () => [f.myDoctor], all(10)],
  departments: [
    'departments',
    'SELECT 1 FROM departments WHERE department_id = ANY($1)',
    () => [ids('dWA', 'dGM', 'looseDepartment')],
    all(3),
  ],
  rooms: ['rooms', 'SELECT 1 FROM rooms WHERE room_id = ANY($1)', () => [ids('roomWA', 'looseRoom')], all(2)],
  room_types: ['room_types', 'SELECT 1 FROM room_types WHERE room_type_id = $1', () => [f.looseRoomType], all(1)],
  security_settings: ['security_settings', 'SELECT lockout_threshold FROM security_settings', () => [], all(1)],
  terminal_idle_settings: ['terminal_idle_settings', 'SELECT idle_minutes FROM terminal_idle_settings', () => [], all(4)],
  // Admin → Database's thresholds (026): settings.manage reads and changes them; nobody adds or removes the one row.
  monitoring_settings: ['monitoring_settings', 'SELECT long_query_minutes FROM monitoring_settings', () => [], only(1, 0)],
  medicine: ['medicine', 'SELECT 1 FROM medicine WHERE medicine_id = ANY($1)', () => [ids('medicine', 'looseMedicine')], all(2)],
  medicine_lots: ['medicine_lots', 'SELECT 1 FROM medicine_lots WHERE lot_id = $1', () => [f.looseLot], all(1)],
  ambulance: ['ambulance', 'SELECT 1 FROM ambulance WHERE ambulance_id = $1', () => [f.ambulance], all(1)],
  cleaning_service: ['cleaning_service', 'SELECT 1 FROM cleaning_service WHERE cleaning_id = $1', () => [f.cleaning], all(1)],
  // Reset codes are for user administrators only; failed sign-ins of unknown emails for no one.
  password_reset_tokens: [
    'password_reset_tokens',
    'SELECT token_id FROM password_reset_tokens WHERE token_id = $1',
    () => [f.token],
    only(1, 0),
  ],
  unknown_email_sign_in_failures: ['unknown_email_sign_in_failures', 'SELECT 1 FROM unknown_email_sign_in_failures', () => [], all(E)],
};

// INSERT: 1 when allowed, '42501' when WITH CHECK, the absence of a policy, or of a grant refuses it.
const INSERT: Record<string, Cell> = {
  // Only a doctor of that department (or an administrator) gives a new patient a caring department.
  patients: [
    'patients',
    `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('New', 'Patient', '2000-01-01', $1)`,
    () => [f.dGM],
    { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: E, none: E },
  ],
  'patients (no department)': [
    'patients',
    `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('New', 'Patient', '2000-01-01')`,
    () => [],
    { admin: 1, front_desk: 1, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  medical_records: [
    'medical_records',
    `INSERT INTO medical_records (patient_id, diagnosis, created_by) VALUES ($1, 'x', app_current_user_id())`,
    () => [f.pWard],
    { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E, none: E },
  ],
  prescriptions: [
    'prescriptions',
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 5)`,
    () => [f.pGM, f.myDoctor],
    { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: E, none: E },
  ],
  // …and not for a patient outside the doctor's care.
  'prescriptions (patient not in care)': [
    'prescriptions',
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 5)`,
    () => [f.pLoose, f.myDoctor],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  appointments: [
    'appointments',
    `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES ($1, $2, CURRENT_DATE + 30, '11:00')`,
    () => [f.pLoose, f.myDoctor],
    { admin: 1, front_desk: 1, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  // A booking names its doctor's department, never a ward's.
  "appointments (a ward, not the doctor's department)": [
    'appointments',
    `INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time) VALUES ($1, $2, $3, CURRENT_DATE + 30, '11:00')`,
    () => [f.pLoose, f.myDoctor, f.dWA],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  room_assignments: [
    'room_assignments',
    `INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 3)`,
    () => [f.roomWA, f.pWard2],
    { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E, none: E },
  ],
  // A bed only for a patient the nurse can already see.
  'room_assignments (unseen patient)': [
    'room_assignments',
    `INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 2)`,
    () => [f.roomWA, f.pLoose],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  // A bill names who wrote it: the user in context, never nobody or a colleague (migration 032).
  billing: [
    'billing',
    `INSERT INTO billing (patient_id, amount) VALUES ($1, 10)`,
    () => [f.pLoose],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, billing_clerk: E, none: E },
  ],
  "billing (in a colleague's name)": [
    'billing',
    `INSERT INTO billing (patient_id, amount, created_by) VALUES ($1, 10, (SELECT user_id FROM users WHERE email = 'nurse@demo.clinic'))`,
    () => [f.pLoose],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, billing_clerk: E, none: E },
  ],
  // A payment is taken with billing.write, as oneself, on a bill one can see (migration 027).
  payments: [
    'payments',
    `INSERT INTO payments (bill_id, amount, method, received_by) VALUES ($1, 10, 'card', app_current_user_id())`,
    () => [f.paidBill],
    only(1, E, { front_desk: 1, billing_clerk: 1 }),
  ],
  // A bill is new and unpaid: what is paid comes only with payments.
  'billing (already paid)': [
    'billing',
    `INSERT INTO billing (patient_id, amount, paid_amount) VALUES ($1, 10, 10)`,
    () => [f.pLoose],
    all(E),
  ],
  pharmacy: [
    'pharmacy',
    `INSERT INTO pharmacy (medicine_id, lot_id, quantity, transaction_type, performed_by) VALUES ($1, $2, 5, 'Receive', app_current_user_id())`,
    () => [f.looseMedicine, f.looseLot],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: 1, none: E },
  ],
  // A pharmacist bills what they dispense, as themselves (migration 020).
  'billing (a dispense line, as oneself)': [
    'billing',
    `INSERT INTO billing (patient_id, amount, created_by) VALUES ($1, 10, app_current_user_id())`,
    () => [f.pGM],
    { admin: 1, front_desk: 1, doctor: E, nurse: E, pharmacist: 1, billing_clerk: 1, none: E },
  ],
  patient_allergies: [
    'patient_allergies',
    `INSERT INTO patient_allergies (patient_id, substance, recorded_by) VALUES ($1, 'latex', app_current_user_id())`,
    () => [f.pGM],
    { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: 1, none: E },
  ],
  // Vitals are charted by doctors and nurses, as themselves, for patients they see (migration 022).
  observations: [
    'observations',
    `INSERT INTO observations (patient_id, taken_at, recorded_by, respiration_rate, spo2, on_oxygen, systolic_bp, pulse, consciousness, temperature, news2_score, news2_response, news2_single_three) VALUES ($1, now(), app_current_user_id(), 16, 97, false, 120, 70, 'A', 37.0, 0, 'low', false)`,
    () => [f.pWard],
    { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E, none: E },
  ],
  'observations (unseen patient)': [
    'observations',
    `INSERT INTO observations (patient_id, taken_at, recorded_by, respiration_rate, spo2, on_oxygen, systolic_bp, pulse, consciousness, temperature, news2_score, news2_response, news2_single_three) VALUES ($1, now(), app_current_user_id(), 16, 97, false, 120, 70, 'A', 37.0, 0, 'low', false)`,
    () => [f.pLoose],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  // A dose is recorded by a doctor or nurse, as themselves, for a patient they see (migration 025).
  medication_administrations: [
    'medication_administrations',
    `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, reason, recorded_by) VALUES ($1, $2, now() + interval '1 day', 'held', 'fixture reason', app_current_user_id())`,
    () => [f.rxWard, f.pWard],
    { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E, none: E },
  ],
  'medication_administrations (as another nurse)': [
    'medication_administrations',
    `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, reason, recorded_by) VALUES ($1, $2, now() + interval '2 days', 'held', 'fixture reason', $3)`,
    () => [f.rxWard, f.pWard, users.doctor],
    { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: E, none: E },
  ],
  ward_settings: ['ward_settings', 'INSERT INTO ward_settings (singleton) VALUES (false)', () => [], all(E)],
  // A note's kind follows its author's role (migration 025).
  'medical_records (a nursing note)': [
    'medical_records',
    `INSERT INTO medical_records (patient_id, note_kind, notes, created_by) VALUES ($1, 'nursing', 'note', app_current_user_id())`,
    () => [f.pWard],
    { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E, none: E },
  ],
  // Only a doctor chooses a patient's SpO2 scale.
  spo2_scale_decisions: [
    'spo2_scale_decisions',
    `INSERT INTO spo2_scale_decisions (patient_id, spo2_scale, reason, decided_by) VALUES ($1, 2, 'target 88-92', app_current_user_id())`,
    () => [f.pGM],
    { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: E, none: E },
  ],
  medication_check_overrides: [
    'medication_check_overrides',
    `INSERT INTO medication_check_overrides (prescription_id, stage, check_kind, detail, reason, overridden_by) VALUES ($1, 'verification', 'duplicate', 'x', 'a good reason', app_current_user_id())`,
    () => [f.rxGM],
    { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: 1, none: E },
  ],
  // Weights are recorded by doctors and nurses, as themselves, for patients they see (migration 024).
  patient_weights: [
    'patient_weights',
    `INSERT INTO patient_weights (patient_id, weight_kg, recorded_by) VALUES ($1, 71.5, app_current_user_id())`,
    () => [f.pGM],
    { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: E, none: E },
  ],
  'patient_weights (ward patient)': [
    'patient_weights',
    `INSERT INTO patient_weights (patient_id, weight_kg, recorded_by) VALUES ($1, 71.5, app_current_user_id())`,
    () => [f.pWard],
    { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E, none: E },
  ],
  // Pharmacists count controlled drugs as themselves.
  controlled_drug_counts: [
    'controlled_drug_counts',
    `INSERT INTO controlled_drug_counts (medicine_id, counted_quantity, counted_by) VALUES ($1, 2, app_current_user_id())`,
    () => [f.cdMedicine],
    only(1, E, { pharmacist: 1 }),
  ],
  drug_interactions: [
    'drug_interactions',
    `INSERT INTO drug_interactions (generic_a, generic_b, severity, advice) VALUES ('matrix-c', 'matrix-d', 'minor', 'x')`,
    () => [],
    only(1, E, { pharmacist: 1 }),
  ],
  ambulance_log: [
    'ambulance_log',
    `INSERT INTO ambulance_log (ambulance_id, pickup_location) VALUES ($1, 'x')`,
    () => [f.looseAmbulance],
    only(1, E, { dispatcher: 1 }),
  ],
  users: ['users', `INSERT INTO users (email, password_hash) VALUES ('matrix-new@demo.clinic', 'x')`, () => [], only(1, E)],
  user_roles: [
    'user_roles',
    `INSERT INTO user_roles (user_id, role_id, assigned_by) SELECT $1::uuid, role_id, app_current_user_id() FROM roles WHERE role_name = 'admin'`,
    () => [user('nurse')],
    only(1, E),
  ],
  roles: ['roles', `INSERT INTO roles (role_name) VALUES ('matrix')`, () => [], all(E)],
  permissions: ['permissions', `INSERT INTO permissions (permission_name) VALUES ('matrix.do')`, () => [], all(E)],
  role_permissions: [
    'role_permissions',
    `INSERT INTO role_permissions (role_id, permission_id) SELECT r.role_id, p.permission_id FROM roles r, permissions p WHERE r.role_name = 'front_desk' AND p.permission_name = 'users.manage'`,
    () => [],
    all(E),
  ],
  staff: [
    'staff',
    `INSERT INTO staff (first_name, last_name, role, department_id) VALUES ('Matrix', 'Staff', 'nurse', $1)`,
    () => [f.dGM],
    only(1, E),
  ],
  doctors: [
    'doctors',
    `INSERT INTO doctors (first_name, last_name, department_id) VALUES ('Matrix', 'Doctor', $1)`,
    () => [f.dGM],
    only(1, E),
  ],
  doctor_working_hours: [
    'doctor_working_hours',
    `INSERT INTO doctor_working_hours (doctor_id, iso_weekday, start_time, end_time) VALUES ($1, 6, '08:00', '12:00')`,
    () => [f.myDoctor],
    only(1, E),
  ],
  departments: ['departments', `INSERT INTO departments (name) VALUES ('Matrix Ward')`, () => [], only(1, E)],
  rooms: ['rooms', `INSERT INTO rooms (room_number, department_id) VALUES ('MX-NEW', $1)`, () => [f.dWA], only(1, E)],
  room_types: ['room_types', `INSERT INTO room_types (type_name) VALUES ('Matrix New')`, () => [], only(1, E)],
  password_reset_tokens: [
    'password_reset_tokens',
    `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by) VALUES ($1, repeat('0', 64), now() + interval '30 minutes', now(), app_current_user_id())`,
    () => [user('nurse')],
    only(1, E),
  ],
  security_settings: ['security_settings', 'INSERT INTO security_settings DEFAULT VALUES', () => [], all(E)],
  terminal_idle_settings: [
    'terminal_idle_settings',
    `INSERT INTO terminal_idle_settings (terminal_role, idle_minutes) VALUES ('ward', 60)`,
    () => [],
    all(E),
  ],
  monitoring_settings: ['monitoring_settings', 'INSERT INTO monitoring_settings DEFAULT VALUES', () => [], all(E)],
  medicine: ['medicine', `INSERT INTO medicine (name) VALUES ('Matrixine')`, () => [], only(1, E, { pharmacist: 1 })],
  medicine_lots: [
    'medicine_lots',
    `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date) VALUES ($1, 'MX-NEW', '2030-01-01')`,
    () => [f.looseMedicine],
    only(1, E, { pharmacist: 1 }),
  ],
  // A new lot's stock comes only with a Receive row: no one writes quantity_on_hand.
  'medicine_lots (with stock)': [
    'medicine_lots',
    `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, quantity_on_hand) VALUES ($1, 'MX-NEW', '2030-01-01', 5)`,
    () => [f.looseMedicine],
    all(E),
  ],
  ambulance: ['ambulance', `INSERT INTO ambulance (vehicle_number) VALUES ('MX-NEW')`, () => [], only(1, E)],
  cleaning_service: [
    'cleaning_service',
    `INSERT INTO cleaning_service (room_id) VALUES ($1)`,
    () => [f.roomWA],
    only(1, E, { nurse: 1, housekeeping: 1 }),
  ],
  unknown_email_sign_in_failures: [
    'unknown_email_sign_in_failures',
    `INSERT INTO unknown_email_sign_in_failures VALUES (repeat('a', 64), 9, NULL, now())`,
    () => [],
    all(E),
  ],
};

// UPDATE: rows changed (0 where the role cannot see them), or the code a WITH CHECK, trigger or grant refused with.
const UPDATE: Record<string, Cell> = {
  patients: [
    'patients',
    `UPDATE patients SET contact_number = '0123' WHERE patient_id = ANY($1)`,
    () => [ids('pWard', 'pGM', 'pOther', 'pLoose')],
    { admin: 4, front_desk: 4, doctor: 1, nurse: 0, pharmacist: 0, none: 0 },
  ],
  // Moving a patient into a ward's scope: the front desk edits demographics, not the caring department.
  'patients (department into a ward)': [
    'patients',
    `UPDATE patients SET department_id = $2 WHERE patient_id = $1`,
    () => [f.pLoose, f.dWA],
    { admin: 1, front_desk: E, doctor: 0, nurse: 0, pharmacist: 0, none: 0 },
  ],
  medical_records: [
    'medical_records',
    `UPDATE medical_records SET notes = 'changed' WHERE record_id = ANY($1)`,
    () => [ids('mr_pWard', 'mr_pGM', 'mr_pOther')],
    { admin: 3, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0, none: 0 },
  ],
  // Verifying is the pharmacist's act (migration 020).
  prescriptions: [
    'prescriptions',
    `UPDATE prescriptions SET status = 'Verified' WHERE prescription_id = ANY($1) AND status = 'Active'`,
    () => [ids('rxGM', 'rxWard', 'rxOld')],
    { admin: 2, front_desk: 0, doctor: E, nurse: 0, pharmacist: 2, none: 0 },
  ],
  // Dispensed only with dispense rows in the ledger, for everyone.
  'prescriptions (Dispensed without a dispense)': [
    'prescriptions',
    `UPDATE prescriptions SET status = 'Dispensed' WHERE prescription_id = ANY($1) AND status = 'Active'`,
    () => [ids('rxGM', 'rxWard', 'rxOld')],
    { admin: '23514', front_desk: 0, doctor: '23514', nurse: 0, pharmacist: '23514', none: 0 },
  ],
  // Dispensing changes the state, not the order, and an order is changed only by writing a new one that
  // replaces it (047), an administrator's too (050).
  'prescriptions (quantity)': [
    'prescriptions',
    `UPDATE prescriptions SET quantity = 999 WHERE prescription_id = ANY($1) AND status = 'Active'`,
    () => [ids('rxGM', 'rxWard', 'rxOld')],
    { admin: E, front_desk: 0, doctor: E, nurse: 0, pharmacist: E, none: 0 },
  ],
  appointments: [
    'appointments',
    `UPDATE appointments SET purpose = 'changed' WHERE appointment_id = ANY($1)`,
    () => [ids('aGM', 'aOther')],
    { admin: 2, front_desk: 2, doctor: 0, nurse: 0, pharmacist: 0, none: 0 },
  ],
  room_assignments: [
    'room_assignments',
    `UPDATE room_assignments SET notes = 'changed' WHERE assignment_id = ANY($1)`,
    () => [ids('raWard')],
    { admin: 1, front_desk: 0, doctor: 0, nurse: 1, pharmacist: 0, none: 0 },
  ],
  'room_assignments (to an unseen patient)': [
    'room_assignments',
    `UPDATE room_assignments SET patient_id = $2 WHERE assignment_id = $1`,
    () => [f.raWard, f.pLoose],
    { admin: 1, front_desk: 0, doctor: 0, nurse: E, pharmacist: 0, none: 0 },
  ],
  // Who reaches a bill to void it or take a payment (an UPDATE that changes nothing, so no guard refuses it)…
  billing: [
    'billing',
    `UPDATE billing SET status = status WHERE bill_id = ANY($1)`,
    () => [ids('bill')],
    { admin: 1, front_desk: 1, doctor: 0, nurse: 0, pharmacist: 0, billing_clerk: 1, none: 0 },
  ],
  // …but what a bill charges is never edited: it is voided and billed again (048). An amount of 0 read as Paid.
  'billing (what it charges)': [
    'billing',
    `UPDATE billing SET amount = 0, description = 'changed' WHERE bill_id = ANY($1)`,
    () => [ids('bill')],
    { admin: E, front_desk: E, doctor: 0, nurse: 0, pharmacist: 0, billing_clerk: E, none: 0 },
  ],
  // What is paid moves only with a payment row (migration 027), for everyone.
  'billing (paid_amount)': [
    'billing',
    `UPDATE billing SET paid_amount = amount WHERE bill_id = ANY($1)`,
    () => [ids('bill')],
    { admin: E, front_desk: E, doctor: 0, nurse: 0, pharmacist: 0, billing_clerk: E, none: 0 },
  ],
  payments: ['payments', `UPDATE payments SET amount = 1 WHERE payment_id = $1`, () => [f.payment], all(E)],
  // The ledger is append-only (migration 020): no one but the owner changes a row.
  pharmacy: ['pharmacy', `UPDATE pharmacy SET notes = 'changed' WHERE transaction_id = ANY($1)`, () => [ids('ledger')], all(E)],
  patient_allergies: [
    'patient_allergies',
    // With its reason (055); the rows each role may mark are what this row proves.
    `UPDATE patient_allergies SET entered_in_error = true, entered_in_error_by = app_current_user_id(), entered_in_error_at = now(),
       entered_in_error_reason = 'Recorded in error' WHERE allergy_id = ANY($1)`,
    () => [ids('al_pWard', 'al_pGM', 'al_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 2, none: 0 },
  ],
  // Weights are append-only; a count is never changed, only an administrator resolves a discrepancy (migration 024).
  patient_weights: [
    'patient_weights',
    `UPDATE patient_weights SET weight_kg = 72 WHERE weight_id = ANY($1)`,
    () => [ids('wt_pGM')],
    all(E),
  ],
  controlled_drug_counts: [
    'controlled_drug_counts',
    `UPDATE controlled_drug_counts SET resolution = 'Counted again, found' WHERE count_id = $1`,
    () => [f.cdCount],
    only(1, 0),
  ],
  'controlled_drug_counts (the count)': [
    'controlled_drug_counts',
    `UPDATE controlled_drug_counts SET counted_quantity = 9 WHERE count_id = $1`,
    () => [f.cdCount],
    all(E),
  ],
  // Entered-in-error instead of an edit.
  'patient_allergies (substance)': [
    'patient_allergies',
    `UPDATE patient_allergies SET substance = 'x' WHERE allergy_id = ANY($1)`,
    () => [ids('al_pWard', 'al_pGM', 'al_pOther')],
    all(E),
  ],
  medication_check_overrides: [
    'medication_check_overrides',
    `UPDATE medication_check_overrides SET reason = 'changed reason' WHERE override_id = ANY($1)`,
    () => [ids('ov_rxGM', 'ov_rxWard')],
    all(E),
  ],
  // Observations are append-only: marked entered-in-error (as oneself), never edited (migration 022).
  observations: [
    'observations',
    `UPDATE observations SET entered_in_error = true, entered_in_error_by = app_current_user_id(), entered_in_error_at = now() WHERE observation_id = ANY($1)`,
    () => [ids('obs_pWard', 'obs_pGM', 'obs_pOther')],
    { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 0, none: 0 },
  ],
  'observations (a reading)': [
    'observations',
    `UPDATE observations SET pulse = 60 WHERE observation_id = ANY($1)`,
    () => [ids('obs_pWard')],
    all(E),
  ],
  // Recorded doses are append-only: corrected by a new row (migration 025), never updated.
  medication_administrations: [
    'medication_administrations',
    `UPDATE medication_administrations SET entered_in_error = true WHERE administration_id = ANY($1)`,
    () => [ids('ma_pWard', 'ma_pGM', 'ma_pOther')],
    all(E),
  ],
  ward_settings: [
    'ward_settings',
    `UPDATE ward_settings SET administration_window_minutes = 30, updated_by = app_current_user_id()`,
    () => [],
    only(1, 0),
  ],
  // A note is never edited, by its author (or an administrator) either; it is only marked entered-in-error (migration 025).
  'medical_records (a note)': [
    'medical_records',
    `UPDATE medical_records SET notes = 'changed' WHERE record_id = $1`,
    () => [f.note_pWard],
    { admin: E, front_desk: 0, doctor: 0, nurse: E, pharmacist: 0, none: 0 },
  ],
  'medical_records (a note marked in error by its author)': [
    'medical_records',
    `UPDATE medical_records SET entered_in_error = true, entered_in_error_by = app_current_user_id() WHERE record_id = $1`,
    () => [f.note_pWard],
    { admin: 1, front_desk: 0, doctor: 0, nurse: 1, pharmacist: 0, none: 0 },
  ],
  spo2_scale_decisions: [
    'spo2_scale_decisions',
    `UPDATE spo2_scale_decisions SET spo2_scale = 1 WHERE decision_id = ANY($1)`,
    () => [ids('sc_pWard')],
    all(E),
  ],
  drug_interactions: [
    'drug_interactions',
    `UPDATE drug_interactions SET advice = 'changed' WHERE interaction_id = $1`,
    () => [f.interaction],
    only(1, 0, { pharmacist: 1 }),
  ],
  ambulance_log: [
    'ambulance_log',
    `UPDATE ambulance_log SET notes = 'changed' WHERE log_id = $1`,
    () => [f.run],
    only(1, 0, { dispatcher: 1 }),
  ],
  users: ['users', `UPDATE users SET is_active = false WHERE user_id = $1`, () => [user('admin')], only(1, 0)],
  // A password is set only through auth_set_own_password (016): no one may write the hash.
  'users (password_hash)': ['users', `UPDATE users SET password_hash = 'x' WHERE user_id = $1`, () => [user('admin')], all(E)],
  user_roles: ['user_roles', `UPDATE user_roles SET assigned_at = now()`, () => [], all(E)],
  roles: ['roles', `UPDATE roles SET is_active = false`, () => [], all(E)],
  permissions: ['permissions', `UPDATE permissions SET description = 'x'`, () => [], all(E)],
  role_permissions: ['role_permissions', `UPDATE role_permissions SET permission_id = permission_id`, () => [], all(E)],
  staff: ['staff', `UPDATE staff SET department_id = $2 WHERE user_id = $1`, () => [user('nurse'), f.dGM], only(1, 0)],
  doctors: ['doctors', `UPDATE doctors SET department_id = $2 WHERE doctor_id = $1`, () => [f.myDoctor, f.dWA], only(1, 0)],
  doctor_working_hours: [
    'doctor_working_hours',
    `UPDATE doctor_working_hours SET end_time = '12:30' WHERE doctor_id = $1 AND iso_weekday = 1 AND start_time = '08:00'`,
    () => [f.myDoctor],
    only(1, 0),
  ],
  departments: ['departments', `UPDATE departments SET phone = '0' WHERE department_id = $1`, () => [f.dWA], only(1, 0)],
  rooms: ['rooms', `UPDATE rooms SET department_id = $2 WHERE room_id = $1`, () => [f.roomWA, f.dGM], only(1, 0)],
  room_types: ['room_types', `UPDATE room_types SET daily_rate = 1 WHERE room_type_id = $1`, () => [f.looseRoomType], only(1, 0)],
  password_reset_tokens: [
    'password_reset_tokens',
    `UPDATE password_reset_tokens SET used_at = now() WHERE token_id = $1`,
    () => [f.token],
    only(1, 0),
  ],
  security_settings: [
    'security_settings',
    `UPDATE security_settings SET lockout_threshold = 20, updated_by = app_current_user_id()`,
    () => [],
    only(1, 0),
  ],
  terminal_idle_settings: [
    'terminal_idle_settings',
    `UPDATE terminal_idle_settings SET idle_minutes = 60, updated_by = app_current_user_id() WHERE terminal_role = 'ward'`,
    () => [],
    only(1, 0),
  ],
  monitoring_settings: [
    'monitoring_settings',
    'UPDATE monitoring_settings SET long_query_minutes = 10, updated_by = app_current_user_id()',
    () => [],
    only(1, 0),
  ],
  medicine: [
    'medicine',
    `UPDATE medicine SET unit_price = 1 WHERE medicine_id = $1`,
    () => [f.looseMedicine],
    only(1, 0, { pharmacist: 1 }),
  ],
  medicine_lots: ['medicine_lots', `UPDATE medicine_lots SET quantity_on_hand = 4 WHERE lot_id = $1`, () => [f.looseLot], all(E)],
  ambulance: [
    'ambulance',
    `UPDATE ambulance SET status = 'Maintenance' WHERE ambulance_id = $1`,
    () => [f.looseAmbulance],
    only(1, 0, { dispatcher: 1 }),
  ],
  // A dispatcher sets a vehicle's state; its details are the fleet administrator's (migration 027).
  'ambulance (vehicle number)': [
    'ambulance',
    `UPDATE ambulance SET vehicle_number = 'MX-9' WHERE ambulance_id = $1`,
    () => [f.looseAmbulance],
    only(1, 0, { dispatcher: E }),
  ],
  // On call only with a dispatch, and back only with the run's return.
  'ambulance (off a run)': [
    'ambulance',
    `UPDATE ambulance SET status = 'Available' WHERE ambulance_id = $1`,
    () => [f.ambulance],
    { ...all(0), admin: 'AMB01', dispatcher: 'AMB01' },
  ],
  cleaning_service: [
    'cleaning_service',
    `UPDATE cleaning_service SET status = 'Completed' WHERE cleaning_id = $1`,
    () => [f.cleaning],
    only(1, 0, { nurse: 1, housekeeping: 1 }),
  ],
  unknown_email_sign_in_failures: [
    'unknown_email_sign_in_failures',
    `UPDATE unknown_email_sign_in_failures SET locked_until = NULL`,
    () => [],
    all(E),
  ],
};

// DELETE: only administrators delete, and only what has no dependants; some tables are never deleted from.
const DELETE: Record<string, Cell> = {
  patients: ['patients', 'DELETE FROM patients WHERE patient_id = $1', () => [f.pLoose], only(1, 0)],
  medical_records: [
    'medical_records',
    'DELETE FROM medical_records WHERE record_id = ANY($1)',
    () => [ids('mr_pWard', 'mr_pGM', 'mr_pOther')],
    only(3, 0),
  ],
  // An order is cancelled, never deleted, an administrator's too (050: no DELETE privilege).
  prescriptions: ['prescriptions', 'DELETE FROM prescriptions WHERE prescription_id = ANY($1)', () => [ids('rxOld')], all(E)],
  appointments: ['appointments', 'DELETE FROM appointments WHERE appointment_id = ANY($1)', () => [ids('aGM', 'aOther')], only(2, 0)],
  room_assignments: ['room_assignments', 'DELETE FROM room_assignments WHERE assignment_id = ANY($1)', () => [ids('raWard')], only(1, 0)],
  billing: ['billing', 'DELETE FROM billing WHERE bill_id = ANY($1)', () => [ids('bill')], only(1, 0)],
  payments: ['payments', 'DELETE FROM payments WHERE payment_id = $1', () => [f.payment], all(E)],
  pharmacy: ['pharmacy', 'DELETE FROM pharmacy WHERE transaction_id = ANY($1)', () => [ids('ledger')], all(E)],
  patient_allergies: [
    'patient_allergies',
    'DELETE FROM patient_allergies WHERE allergy_id = ANY($1)',
    () => [ids('al_pWard', 'al_pGM')],
    all(E),
  ],
  medication_check_overrides: [
    'medication_check_overrides',
    'DELETE FROM medication_check_overrides WHERE override_id = ANY($1)',
    () => [ids('ov_rxGM', 'ov_rxWard')],
    all(E),
  ],
  observations: ['observations', 'DELETE FROM observations WHERE observation_id = ANY($1)', () => [ids('obs_pWard')], all(E)],
  patient_weights: ['patient_weights', 'DELETE FROM patient_weights WHERE weight_id = ANY($1)', () => [ids('wt_pGM')], all(E)],
  controlled_drug_counts: ['controlled_drug_counts', 'DELETE FROM controlled_drug_counts WHERE count_id = $1', () => [f.cdCount], all(E)],
  medication_administrations: [
    'medication_administrations',
    'DELETE FROM medication_administrations WHERE administration_id = ANY($1)',
    () => [ids('ma_pWard', 'ma_pGM', 'ma_pOther')],
    all(E),
  ],
  ward_settings: ['ward_settings', 'DELETE FROM ward_settings', () => [], all(E)],
  spo2_scale_decisions: [
    'spo2_scale_decisions',
    'DELETE FROM spo2_scale_decisions WHERE decision_id = ANY($1)',
    () => [ids('sc_pWard')],
    all(E),
  ],
  drug_interactions: [
    'drug_interactions',
    'DELETE FROM drug_interactions WHERE interaction_id = $1',
    () => [f.interaction],
    only(1, 0, { pharmacist: 1 }),
  ],
  ambulance_log: ['ambulance_log', 'DELETE FROM ambulance_log WHERE log_id = $1', () => [f.run], only(1, 0)],
  users: ['users', 'DELETE FROM users WHERE email = $1', () => ['matrix-none@demo.clinic'], all(E)],
  user_roles: ['user_roles', 'DELETE FROM user_roles WHERE user_id = $1', () => [user('nurse')], only(1, 0)],
  roles: ['roles', 'DELETE FROM roles', () => [], all(E)],
  permissions: ['permissions', 'DELETE FROM permissions', () => [], all(E)],
  role_permissions: ['role_permissions', 'DELETE FROM role_permissions', () => [], all(E)],
  staff: ['staff', 'DELETE FROM staff WHERE staff_id = $1', () => [f.looseStaff], only(1, 0)],
  doctors: ['doctors', 'DELETE FROM doctors WHERE doctor_id = $1', () => [f.looseDoctor], only(1, 0)],
  doctor_working_hours: [
    'doctor_working_hours',
    'DELETE FROM doctor_working_hours WHERE doctor_id = $1 AND iso_weekday = 1',
    () => [f.myDoctor],
    only(2, 0),
  ],
  departments: ['departments', 'DELETE FROM departments WHERE department_id = $1', () => [f.looseDepartment], only(1, 0)],
  rooms: ['rooms', 'DELETE FROM rooms WHERE room_id = $1', () => [f.looseRoom], only(1, 0)],
  room_types: ['room_types', 'DELETE FROM room_types WHERE room_type_id = $1', () => [f.looseRoomType], only(1, 0)],
  password_reset_tokens: ['password_reset_tokens', 'DELETE FROM password_reset_tokens WHERE token_id = $1', () => [f.token], all(E)],
  security_settings: ['security_settings', 'DELETE FROM security_settings', () => [], all(E)],
  terminal_idle_settings: ['terminal_idle_settings', 'DELETE FROM terminal_idle_settings', () => [], all(E)],
  monitoring_settings: ['monitoring_settings', 'DELETE FROM monitoring_settings', () => [], all(E)],
  medicine: ['medicine', 'DELETE FROM medicine WHERE medicine_id = $1', () => [f.bareMedicine], only(1, 0, { pharmacist: 1 })],
  medicine_lots: ['medicine_lots', 'DELETE FROM medicine_lots WHERE lot_id = $1', () => [f.looseLot], all(E)],
  ambulance: ['ambulance', 'DELETE FROM ambulance WHERE ambulance_id = $1', () => [f.looseAmbulance], only(1, 0)],
  cleaning_service: ['cleaning_service', 'DELETE FROM cleaning_service WHERE cleaning_id = $1', () => [f.cleaning], only(1, 0)],
  unknown_email_sign_in_failures: ['unknown_email_sign_in_failures', 'DELETE FROM unknown_email_sign_in_failures', () => [], all(E)],
};

const OPERATIONS = { SELECT, INSERT, UPDATE, DELETE } as const;
const CELL_COUNT = Object.values(OPERATIONS).reduce((n, rows) => n + Object.keys(rows).length, 0) * ROLES.length;
let cells = 0;

describe('row level security matrix', () => {
  for (const [operation, rows] of Object.entries(OPERATIONS)) {
    for (const [label, [table, text, params, expected]] of Object.entries(rows)) {
      it(`${operation} ${label}: ${ROLES.map((r) => `${r}=${expectedOf(expected, r)}`).join(' ')}`, async () => {
        const actual: Record<string, number | string> = {};
        for (const role of ROLES) {
          actual[role] = await run(role, text, params());
          cells += 1;
          // The same pooled connection, right after, without a context: no patient data at all.
          const after = await pool.query(
            `SELECT current_setting('app.current_user_id', true) AS who${PATIENT_DATA.includes(table) ? `, (SELECT count(*)::int FROM ${table}) AS visible` : ''}`,
          );
          expect(after.rows[0]).toEqual(PATIENT_DATA.includes(table) ? { who: '', visible: 0 } : { who: '' });
        }
        expect(actual).toEqual(Object.fromEntries(ROLES.map((r) => [r, expectedOf(expected, r)])));
      });
    }
  }

  it('with no user context sees no patient data anywhere, and cannot write', async () => {
    for (const table of PATIENT_DATA) expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBe(0);
    await expect(
      pool.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('No', 'Context', '2000-01-01')`),
    ).rejects.toMatchObject({ code: E });
    expect((await pool.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(0);
  });

  it('a doctor who is also a pharmacist sees what either role sees, and the two rules never call each other (037)', async () => {
    // Doctor's orders read patients; the pharmacist's patients read orders: a loop unless one side stops.
    const grant = `INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'pharmacist'`;
    await database.ownerPool.query(grant, [user('doctor')]);
    try {
      expect(
        await run('doctor', 'SELECT prescription_id FROM prescriptions WHERE prescription_id = ANY($1)', [
          ids('rxGM', 'rxGMOther', 'rxWard', 'rxOld'),
        ]),
      ).toBe(3);
      expect(
        await run('doctor', 'SELECT patient_id FROM patients WHERE patient_id = ANY($1)', [ids('pWard', 'pGM', 'pOther', 'pLoose')]),
      ).toBe(2);
    } finally {
      await database.ownerPool.query(
        `DELETE FROM user_roles WHERE user_id = $1 AND role_id = (SELECT role_id FROM roles WHERE role_name = 'pharmacist')`,
        [user('doctor')],
      );
    }
  });

  it("only the pharmacist's read reaches app_patient_has_prescription's role, so its answer is that rule and never reads patients (037)", async () => {
    const { rows } = await database.ownerPool.query<{ policy: string }>(`
      SELECT polname AS policy FROM pg_policy
      WHERE polrelid = 'prescriptions'::regclass AND polcmd IN ('r', '*')
        AND (0 = ANY (polroles) OR 'clinic_pharmacy_scope'::regrole = ANY (polroles))`);
    expect(rows.map((r) => r.policy)).toEqual(['prescriptions_pharmacist_read']);
  });

  it('covers every table the app role may write, and each is under FORCEd row level security', async () => {
    const { rows } = await database.ownerPool.query<{ table: string; rls: boolean; forced: boolean }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND (has_table_privilege('clinic_app', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
             OR has_any_column_privilege('clinic_app', c.oid, 'INSERT, UPDATE'))
      ORDER BY 1`);
    const covered = new Set(Object.values(OPERATIONS).flatMap((r) => Object.values(r).map(([table]) => table)));
    // offline_requests (012) is the app's own replay ledger: its policies are proven in replay.test.ts.
    expect(rows.map((r) => r.table).filter((t) => !covered.has(t) && t !== 'offline_requests')).toEqual([]);
    expect(rows.filter((r) => !r.rls || !r.forced)).toEqual([]);
  });

  it(`covered ${CELL_COUNT} role × table × operation cells`, () => {
    expect(cells).toBe(CELL_COUNT);
  });
});
