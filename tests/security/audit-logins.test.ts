// Audit rows tell terminals apart (migration 018): each names the database login that made the change
// (session_user, which a SECURITY DEFINER trigger does not change), and the tables row level security
// trusts — staff, doctors, their hours, departments, rooms — are audited like the rest.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppLoginRole } from '../../main/db/app-login-role.js';
import { createPool } from '../../main/db/connection.js';
import { APP_LOGIN } from '../support/global-setup.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

const OTHER_LOGIN = `clinic_terminal_${randomBytes(4).toString('hex')}`;
let database: TestDatabase;
let otherTerminal: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  const password = randomBytes(18).toString('base64url');
  await ensureAppLoginRole(database.ownerPool, OTHER_LOGIN, password); // a second terminal's login, made by the owner
  const url = new URL(database.appUrl);
  url.username = OTHER_LOGIN;
  url.password = password;
  otherTerminal = createPool({ connectionString: url.toString(), max: 1 });
});
afterAll(async () => {
  await otherTerminal?.end().catch(() => undefined);
  await database.ownerPool.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(OTHER_LOGIN)}`).catch(() => undefined);
  await database.drop();
});

/** The last audit row of a table, read as the owner acting as the demo administrator (who may read the trail). */
const lastAudit = async (table: string) =>
  (
    await database.ownerPool.query(
      `SELECT operation, user_id, db_login, old_values, new_values FROM audit_log WHERE table_name = $1 ORDER BY log_id DESC LIMIT 1`,
      [table],
    )
  ).rows[0];

describe('the audit trail names the database login', () => {
  it('a change through each terminal names that terminal, even though the trigger runs as the owner', async () => {
    const patient = `(SELECT min(patient_id) FROM patients)`;
    await asUser(
      database.appPool,
      'frontdesk@demo.clinic',
      (c) => c.query(`UPDATE patients SET contact_number = '555-0101' WHERE patient_id = ${patient}`),
      true,
    );
    expect(await lastAudit('patients')).toMatchObject({
      operation: 'UPDATE',
      db_login: APP_LOGIN,
      new_values: { contact_number: '555-0101' },
    });
    await asUser(
      otherTerminal,
      'frontdesk@demo.clinic',
      (c) => c.query(`UPDATE patients SET contact_number = '555-0102' WHERE patient_id = ${patient}`),
      true,
    );
    expect(await lastAudit('patients')).toMatchObject({
      operation: 'UPDATE',
      db_login: OTHER_LOGIN,
      new_values: { contact_number: '555-0102' },
    });
  });

  it('a login cannot write a row, nor another login into one', async () => {
    await expect(
      otherTerminal.query(`INSERT INTO audit_log (table_name, operation, db_login) VALUES ('patients', 'UPDATE', $1)`, [APP_LOGIN]),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe('the tables row level security trusts are audited', () => {
  it('a change to staff, doctors, hours, departments and rooms leaves a row naming the user and the login', async () => {
    const admin = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'admin@demo.clinic'`)).rows[0].user_id as string;
    const changes: [string, string][] = [
      ['staff', `UPDATE staff SET is_active = is_active WHERE staff_id = (SELECT min(staff_id) FROM staff)`],
      ['doctors', `UPDATE doctors SET is_active = is_active WHERE doctor_id = (SELECT min(doctor_id) FROM doctors)`],
      [
        'doctor_working_hours',
        `UPDATE doctor_working_hours SET doctor_id = doctor_id WHERE working_hours_id = (SELECT min(working_hours_id) FROM doctor_working_hours)`,
      ],
      ['departments', `UPDATE departments SET name = name WHERE department_id = (SELECT min(department_id) FROM departments)`],
      ['rooms', `UPDATE rooms SET room_number = room_number WHERE room_id = (SELECT min(room_id) FROM rooms)`],
    ];
    for (const [table, statement] of changes) {
      const changed = await asUser(otherTerminal, 'admin@demo.clinic', (c) => c.query(statement), true);
      expect(changed.rowCount, table).toBe(1);
      expect(await lastAudit(table), table).toMatchObject({ operation: 'UPDATE', user_id: admin, db_login: OTHER_LOGIN });
    }
  });
});
