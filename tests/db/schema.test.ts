// The migrated schema: generated types match it, the guide's INSERTs work, and the database
// itself refuses what must never happen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodegenOnFreshSchema } from '../../scripts/db-types.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo');
});
afterAll(() => database.drop());

const GUIDE_TABLES = [
  'users',
  'roles',
  'permissions',
  'user_roles',
  'role_permissions',
  'password_reset_tokens',
  'patients',
  'doctors',
  'staff',
  'departments',
  'appointments',
  'medical_records',
  'prescriptions',
  'rooms',
  'room_types',
  'room_assignments',
  'ambulance',
  'ambulance_log',
  'cleaning_service',
  'medicine',
  'pharmacy',
  'billing',
  'audit_log',
];

describe('schema', () => {
  it('has every table of the seed guide', async () => {
    const { rows } = await database.ownerPool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    expect(rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(GUIDE_TABLES));
  });

  it('keeps the Database types in main/db/database.generated.ts identical to the migrated schema', async () => {
    const result = await runCodegenOnFreshSchema(true);
    expect(result.output).not.toMatch(/out of date|differ/i);
    expect(result.status).toBe(0);
  }, 60_000);

  it('has no two indexes on the same leading column list', async () => {
    const { rows } = await database.ownerPool.query<{ tbl: string; cols: string; n: string }>(`
      SELECT indrelid::regclass::text AS tbl, indkey::text AS cols, count(*) AS n
      FROM pg_index JOIN pg_class c ON c.oid = indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE indrelid::regclass::text NOT LIKE 'pg_%' AND am.amname = 'btree' AND indpred IS NULL
      GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(rows).toEqual([]);
  });

  it("accepts INSERTs that name only the guide's columns (as the app role, for a front-desk user)", async () => {
    await asUser(
      database.appPool,
      'frontdesk@demo.clinic',
      async (db) => {
        const patient = await db.query<{ patient_id: number }>(
          `INSERT INTO patients (first_name, last_name, date_of_birth, email) VALUES ('Test', 'Patient', '1990-01-01', 'test@example.com') RETURNING patient_id`,
        );
        const appt = await db.query(
          `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, purpose)
         VALUES ($1, 1, '2030-03-04', '09:00', 'Check-up') RETURNING status, duration_minutes`,
          [patient.rows[0]!.patient_id],
        );
        expect(appt.rows[0]).toEqual({ status: 'Scheduled', duration_minutes: 15 });
      },
      true,
    );
    // Users are written by user administrators, and roles by no one but the owner (migration 016).
    await asUser(
      database.appPool,
      'admin@demo.clinic',
      (db) => db.query(`INSERT INTO users (email, password_hash) VALUES ('guide@example.com', 'x')`),
      true,
    );
    await database.ownerPool.query(`INSERT INTO roles (role_name, description) VALUES ('guide_role', 'from the guide')`);
  });

  it('refuses double-booking a doctor or a patient, allows adjacent slots and rebooking a cancelled one', async () => {
    const owner = database.ownerPool;
    await owner.query(`INSERT INTO doctors (first_name, last_name) VALUES ('First', 'Doctor')`);
    const doctor = (await owner.query<{ doctor_id: number }>(`SELECT max(doctor_id) AS doctor_id FROM doctors`)).rows[0]!.doctor_id;
    await owner.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('P', 'One', '1980-01-01'), ('P', 'Two', '1981-01-01')`,
    );
    const {
      rows: [a, b],
    } = await owner.query<{ patient_id: number }>(`SELECT patient_id FROM patients WHERE last_name IN ('One', 'Two') ORDER BY last_name`);
    const book = (patient: number, time: string, status = 'Scheduled') =>
      owner.query(
        `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, status, cancel_reason) VALUES ($1, $5, '2030-05-06', $2, $3, $4)`,
        [patient, time, status, status === 'Cancelled' ? 'test' : null, doctor],
      );
    await book(a!.patient_id, '10:00');
    await expect(book(b!.patient_id, '10:05')).rejects.toMatchObject({ code: '23P01' });
    await book(b!.patient_id, '10:15'); // adjacent: [10:00,10:15) and [10:15,10:30) do not overlap
    await owner.query(
      `UPDATE appointments SET status = 'Cancelled', cancel_reason = 'patient called' WHERE appointment_time = '10:00' AND appointment_date = '2030-05-06'`,
    );
    await book(b!.patient_id, '10:00'); // the cancelled slot is free again
    await owner.query(`INSERT INTO doctors (first_name, last_name) VALUES ('Second', 'Doctor')`);
    await expect(
      owner.query(
        `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES ($1, $2 + 1, '2030-05-06', '10:20')`,
        [b!.patient_id, doctor],
      ),
    ).rejects.toMatchObject({ code: '23P01', constraint: 'appointments_no_patient_overlap' });
  });

  it('makes negative stock and unknown statuses impossible', async () => {
    const owner = database.ownerPool;
    const {
      rows: [{ medicine_id: medicine }],
    } = await owner.query(`INSERT INTO medicine (name) VALUES ('Testamol') RETURNING medicine_id`);
    // Stock arrives and leaves only as ledger rows (migration 020); the lot's CHECK refuses going below zero.
    const {
      rows: [{ lot_id: lot }],
    } = await owner.query(
      `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date) VALUES ($1, 'A', '2030-01-01') RETURNING lot_id`,
      [medicine],
    );
    await owner.query(`INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity) VALUES ($1, $2, 'Receive', 5)`, [
      medicine,
      lot,
    ]);
    await expect(
      // With its reason (024 requires one), so only the stock rule can refuse it.
      owner.query(
        `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, notes) VALUES ($1, $2, 'Dispose', -6, 'damaged')`,
        [medicine, lot],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'medicine_lots_quantity_on_hand_check' });
    await expect(owner.query(`UPDATE appointments SET status = 'Maybe'`)).rejects.toMatchObject({ code: '23514' });
  });

  it('connects the app as a role that is not superuser, has no BYPASSRLS and owns no table', async () => {
    const {
      rows: [role],
    } = await database.appPool.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await database.appPool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`);
    expect(owned.rows).toEqual([]);
    await expect(database.appPool.query(`UPDATE audit_log SET operation = 'X'`)).rejects.toMatchObject({ code: '42501' });
    await expect(database.appPool.query(`DELETE FROM audit_log`)).rejects.toMatchObject({ code: '42501' });
    await expect(database.appPool.query(`INSERT INTO kysely_migration (name, timestamp) VALUES ('x', 'y')`)).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('audits a change with the acting user, and a rolled-back change leaves no audit row', async () => {
    const client = await database.appPool.connect();
    const {
      rows: [user],
    } = await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`);
    try {
      await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${user.user_id}', true)`);
      await client.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Rolled', 'Back', '1990-01-01')`);
      await client.query('ROLLBACK');
      await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${user.user_id}', true)`);
      await client.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Kept', 'Audited', '1990-01-01')`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { rows } = await database.ownerPool.query(
      `SELECT operation, user_id, new_values->>'last_name' AS last_name FROM audit_log WHERE table_name = 'patients' AND new_values->>'first_name' IN ('Rolled', 'Kept')`,
    );
    expect(rows).toEqual([{ operation: 'INSERT', user_id: user.user_id, last_name: 'Audited' }]);
  });
});
