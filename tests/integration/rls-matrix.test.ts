// The row level security matrix: every demo role × every protected table × SELECT/INSERT/UPDATE/DELETE,
// run as the app's login role (not owner, no BYPASSRLS) with that user's context on a pool of ONE
// connection, each cell in its own rolled-back transaction. After every cell, the same pooled
// connection without a context must see nothing.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../main/db/connection.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

type Role = 'admin' | 'doctor' | 'nurse' | 'pharmacist' | 'front_desk';
const ROLES: Role[] = ['admin', 'doctor', 'nurse', 'pharmacist', 'front_desk'];
const EMAIL: Record<Role, string> = {
  admin: 'admin@demo.clinic', doctor: 'doctor@demo.clinic', nurse: 'nurse@demo.clinic', pharmacist: 'pharmacist@demo.clinic', front_desk: 'frontdesk@demo.clinic',
};

let database: TestDatabase;
let pool: pg.Pool;
const f: Record<string, number> = {}; // fixture ids
const users: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 1);
  pool = createPool({ connectionString: database.appUrl, max: 1 });
  const o = database.ownerPool; // superuser: arranges fixtures regardless of RLS
  const one = async (text: string, params: unknown[] = []) => Object.values((await o.query(text, params)).rows[0] as object)[0] as number;
  for (const role of ROLES) users[role] = (await o.query('SELECT user_id FROM users WHERE email = $1', [EMAIL[role]])).rows[0].user_id;
  f.dWA = await one(`SELECT department_id FROM departments WHERE code = 'WA'`);
  f.dGM = await one(`SELECT department_id FROM departments WHERE code = 'GM'`);
  f.dORT = await one(`SELECT department_id FROM departments WHERE code = 'ORT'`);
  f.myDoctor = await one(`SELECT doctor_id FROM doctors WHERE user_id = $1`, [users.doctor]);
  f.ortDoctor = await one(`SELECT doctor_id FROM doctors WHERE department_id = $1 LIMIT 1`, [f.dORT]);
  f.roomWA = await one(`SELECT room_id FROM rooms WHERE department_id = $1 ORDER BY room_id LIMIT 1`, [f.dWA]);
  const patient = (name: string, dept: number) => one(`INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Matrix', $1, '1970-01-01', $2) RETURNING patient_id`, [name, dept]);
  f.pWard = await patient('Ward', f.dWA);
  f.pGM = await patient('General', f.dGM);
  f.pOther = await patient('Other', f.dORT);
  f.pLoose = await patient('Loose', f.dORT);
  f.aGM = await one(`INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time) VALUES ($1, $2, $3, CURRENT_DATE + 20, '09:00') RETURNING appointment_id`, [f.pGM, f.myDoctor, f.dGM]);
  f.aOther = await one(`INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time) VALUES ($1, $2, $3, CURRENT_DATE + 20, '09:00') RETURNING appointment_id`, [f.pOther, f.ortDoctor, f.dORT]);
  f.raWard = await one(`INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 1) RETURNING assignment_id`, [f.roomWA, f.pWard]);
  for (const p of ['pWard', 'pGM', 'pOther']) f[`mr_${p}`] = await one(`INSERT INTO medical_records (patient_id, diagnosis) VALUES ($1, 'fixture') RETURNING record_id`, [f[p]]);
  f.rxGM = await one(`INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 10) RETURNING prescription_id`, [f.pGM, f.myDoctor]);
  f.rxWard = await one(`INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 10) RETURNING prescription_id`, [f.pWard, f.ortDoctor]);
  f.rxOld = await one(`INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity, status, prescribed_at) VALUES ($1, $2, '1 tab', 10, 'Completed', now() - interval '200 days') RETURNING prescription_id`, [f.pOther, f.ortDoctor]);
  f.bill = await one(`INSERT INTO billing (patient_id, amount, description) VALUES ($1, 120, 'fixture') RETURNING bill_id`, [f.pOther]);
  f.medicine = await one(`SELECT medicine_id FROM medicine LIMIT 1`);
  f.ledger = await one(`INSERT INTO pharmacy (medicine_id, patient_id, prescription_id, quantity, transaction_type) VALUES ($1, $2, $3, 10, 'Dispense') RETURNING transaction_id`, [f.medicine, f.pGM, f.rxGM]);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** Runs one statement as the role, in a transaction that is always rolled back. Rows affected, or the SQLSTATE it failed with. */
async function run(role: Role, text: string, params: unknown[] = []): Promise<number | string> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${users[role]}', true)`);
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
const E = '42501'; // insufficient_privilege: "new row violates row-level security policy"

// SELECT: which fixture rows each role sees (count).
const SELECT: Record<string, [string, () => unknown[], Record<Role, number>]> = {
  patients: ['SELECT patient_id FROM patients WHERE patient_id = ANY($1)', () => [ids('pWard', 'pGM', 'pOther', 'pLoose')], { admin: 4, front_desk: 4, doctor: 1, nurse: 1, pharmacist: 2 }],
  medical_records: ['SELECT record_id FROM medical_records WHERE record_id = ANY($1)', () => [ids('mr_pWard', 'mr_pGM', 'mr_pOther')], { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 0 }],
  prescriptions: ['SELECT prescription_id FROM prescriptions WHERE prescription_id = ANY($1)', () => [ids('rxGM', 'rxWard', 'rxOld')], { admin: 3, front_desk: 0, doctor: 1, nurse: 1, pharmacist: 2 }],
  appointments: ['SELECT appointment_id FROM appointments WHERE appointment_id = ANY($1)', () => [ids('aGM', 'aOther')], { admin: 2, front_desk: 2, doctor: 1, nurse: 0, pharmacist: 0 }],
  room_assignments: ['SELECT assignment_id FROM room_assignments WHERE assignment_id = ANY($1)', () => [ids('raWard')], { admin: 1, front_desk: 0, doctor: 0, nurse: 1, pharmacist: 0 }],
  billing: ['SELECT bill_id FROM billing WHERE bill_id = ANY($1)', () => [ids('bill')], { admin: 1, front_desk: 1, doctor: 0, nurse: 0, pharmacist: 0 }],
  pharmacy: ['SELECT transaction_id FROM pharmacy WHERE transaction_id = ANY($1)', () => [ids('ledger')], { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 1 }],
};

// INSERT: 1 when allowed, '42501' when WITH CHECK (or the absence of a policy) refuses it.
const INSERT: Record<string, [string, () => unknown[], Record<Role, number | string>]> = {
  patients: [`INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('New', 'Patient', '2000-01-01', $1)`, () => [f.dGM], { admin: 1, front_desk: 1, doctor: 1, nurse: E, pharmacist: E }],
  medical_records: [`INSERT INTO medical_records (patient_id, diagnosis, created_by) VALUES ($1, 'x', app_current_user_id())`, () => [f.pWard], { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E }],
  prescriptions: [`INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 5)`, () => [f.pGM, f.myDoctor], { admin: 1, front_desk: E, doctor: 1, nurse: E, pharmacist: E }],
  appointments: [`INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES ($1, $2, CURRENT_DATE + 30, '11:00')`, () => [f.pLoose, f.myDoctor], { admin: 1, front_desk: 1, doctor: E, nurse: E, pharmacist: E }],
  room_assignments: [`INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 2)`, () => [f.roomWA, f.pLoose], { admin: 1, front_desk: E, doctor: E, nurse: 1, pharmacist: E }],
  billing: [`INSERT INTO billing (patient_id, amount) VALUES ($1, 10)`, () => [f.pLoose], { admin: 1, front_desk: 1, doctor: E, nurse: E, pharmacist: E }],
  pharmacy: [`INSERT INTO pharmacy (medicine_id, quantity, transaction_type, performed_by) VALUES ($1, 5, 'Receive', app_current_user_id())`, () => [f.medicine], { admin: 1, front_desk: E, doctor: E, nurse: E, pharmacist: 1 }],
};

// UPDATE: rows changed (0 where the role cannot see them), or the code WITH CHECK refused with.
const UPDATE: Record<string, [string, () => unknown[], Record<Role, number | string>]> = {
  patients: [`UPDATE patients SET contact_number = '0123' WHERE patient_id = ANY($1)`, () => [ids('pWard', 'pGM', 'pOther', 'pLoose')], { admin: 4, front_desk: 4, doctor: 1, nurse: 0, pharmacist: 0 }],
  medical_records: [`UPDATE medical_records SET notes = 'changed' WHERE record_id = ANY($1)`, () => [ids('mr_pWard', 'mr_pGM', 'mr_pOther')], { admin: 3, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  prescriptions: [`UPDATE prescriptions SET status = 'Dispensed' WHERE prescription_id = ANY($1) AND status = 'Active'`, () => [ids('rxGM', 'rxWard', 'rxOld')], { admin: 2, front_desk: 0, doctor: 1, nurse: 0, pharmacist: 2 }],
  appointments: [`UPDATE appointments SET purpose = 'changed' WHERE appointment_id = ANY($1)`, () => [ids('aGM', 'aOther')], { admin: 2, front_desk: 2, doctor: 0, nurse: 0, pharmacist: 0 }],
  room_assignments: [`UPDATE room_assignments SET notes = 'changed' WHERE assignment_id = ANY($1)`, () => [ids('raWard')], { admin: 1, front_desk: 0, doctor: 0, nurse: 1, pharmacist: 0 }],
  billing: [`UPDATE billing SET description = 'changed' WHERE bill_id = ANY($1)`, () => [ids('bill')], { admin: 1, front_desk: 1, doctor: 0, nurse: 0, pharmacist: 0 }],
  pharmacy: [`UPDATE pharmacy SET notes = 'changed' WHERE transaction_id = ANY($1)`, () => [ids('ledger')], { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
};

// DELETE: only administrators delete, and only what has no dependants.
const DELETE: Record<string, [string, () => unknown[], Record<Role, number | string>]> = {
  patients: ['DELETE FROM patients WHERE patient_id = $1', () => [f.pLoose], { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  medical_records: ['DELETE FROM medical_records WHERE record_id = ANY($1)', () => [ids('mr_pWard', 'mr_pGM', 'mr_pOther')], { admin: 3, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  prescriptions: ['DELETE FROM prescriptions WHERE prescription_id = ANY($1)', () => [ids('rxWard', 'rxOld')], { admin: 2, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  appointments: ['DELETE FROM appointments WHERE appointment_id = ANY($1)', () => [ids('aGM', 'aOther')], { admin: 2, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  room_assignments: ['DELETE FROM room_assignments WHERE assignment_id = ANY($1)', () => [ids('raWard')], { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  billing: ['DELETE FROM billing WHERE bill_id = ANY($1)', () => [ids('bill')], { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
  pharmacy: ['DELETE FROM pharmacy WHERE transaction_id = ANY($1)', () => [ids('ledger')], { admin: 1, front_desk: 0, doctor: 0, nurse: 0, pharmacist: 0 }],
};

const OPERATIONS = { SELECT, INSERT, UPDATE, DELETE } as const;
let cells = 0;

describe('row level security matrix', () => {
  for (const [operation, table] of Object.entries(OPERATIONS)) {
    for (const [tableName, [text, params, expected]] of Object.entries(table)) {
      it(`${operation} ${tableName}: ${ROLES.map((r) => `${r}=${expected[r]}`).join(' ')}`, async () => {
        const actual: Record<string, number | string> = {};
        for (const role of ROLES) {
          actual[role] = await run(role, text, params());
          cells += 1;
          // The same pooled connection, right after, without a context: nothing at all.
          const after = await pool.query(`SELECT current_setting('app.current_user_id', true) AS who, (SELECT count(*)::int FROM ${tableName}) AS visible`);
          expect(after.rows[0]).toEqual({ who: '', visible: 0 });
        }
        expect(actual).toEqual(expected);
      });
    }
  }

  it('with no user context sees no patient data anywhere, and cannot write', async () => {
    for (const table of Object.keys(SELECT)) expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBe(0);
    await expect(pool.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('No', 'Context', '2000-01-01')`)).rejects.toMatchObject({ code: E });
    expect((await pool.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(0);
  });

  it(`covered ${Object.values(OPERATIONS).reduce((n, t) => n + Object.keys(t).length, 0) * ROLES.length} role × table × operation cells`, () => {
    expect(cells).toBe(Object.values(OPERATIONS).reduce((n, t) => n + Object.keys(t).length, 0) * ROLES.length);
  });
});
