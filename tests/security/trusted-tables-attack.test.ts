// Issue 8 §2 and §6: the attacks an adversary with the app's database login (the password every
// workstation holds) made on the tables row level security trusts and on the policies' WITH CHECKs,
// each performed again as the app's login role and committed as the attacker would. Each is now
// refused and changes nothing (migration 016). The legitimate paths (user administration, sign-in,
// lockout, reset) still work through the one door, and an unknown email gets exactly the answers a
// real account gets, so a "locked" message no longer tells that an account exists.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../main/auth/password.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, temporaryObjectsForTheAppLogin, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
const id: Record<'admin' | 'doctor' | 'nurse' | 'pharmacist' | 'frontdesk', string> = {
  admin: '',
  doctor: '',
  nurse: '',
  pharmacist: '',
  frontdesk: '',
};
const f = { dWA: 0, dGM: 0, dORT: 0, myDoctor: 0, nurseRoom: 0, unseen: 0, gmPatient: 0, rx: 0 };
let strongHash: string;
let sample: number[] = [];

/** A read of the database's true state (the schema owner acting as the demo administrator sees every row). */
const state = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await database.ownerPool.query(text, params)).rows as T[];
const value = async (text: string, params: unknown[] = []) => Object.values((await state(text, params))[0] ?? {})[0];

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  for (const who of Object.keys(id) as (keyof typeof id)[])
    id[who] = (await value('SELECT user_id FROM users WHERE email = $1', [`${who}@demo.clinic`])) as string;
  f.dWA = (await value(`SELECT department_id FROM departments WHERE code = 'WA'`)) as number;
  f.dGM = (await value(`SELECT department_id FROM departments WHERE code = 'GM'`)) as number;
  f.dORT = (await value(`SELECT department_id FROM departments WHERE code = 'ORT'`)) as number;
  f.myDoctor = (await value('SELECT doctor_id FROM doctors WHERE user_id = $1', [id.doctor])) as number;
  f.nurseRoom = (await value('SELECT room_id FROM rooms WHERE department_id = $1 ORDER BY room_id LIMIT 1', [f.dWA])) as number;
  // A patient of another department, with no appointment and no bed: in no ward nurse's or GM doctor's care.
  f.unseen = (await value(
    `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Una', 'Unseen', '1961-02-03', $1) RETURNING patient_id`,
    [f.dORT],
  )) as number;
  f.gmPatient = (await value(
    `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Gia', 'General', '1972-03-04', $1) RETURNING patient_id`,
    [f.dGM],
  )) as number;
  f.rx = (await value(
    `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab twice daily', 10) RETURNING prescription_id`,
    [f.gmPatient, f.myDoctor],
  )) as number;
  // Her ward's patients and General Medicine's, which the nurse's widening attack would bring into view.
  sample = (
    await state<{ patient_id: number }>(
      '(SELECT patient_id FROM patients WHERE department_id = $1 LIMIT 50) UNION ALL (SELECT patient_id FROM patients WHERE department_id = $2 LIMIT 50)',
      [f.dWA, f.dGM],
    )
  ).map((r) => r.patient_id);
  strongHash = await hashPassword('the attacker knows this one');
});
afterAll(() => database?.drop());

/** One statement as the app's login role, in a committed transaction whose user context is `userId` (none when null): rows affected, or the SQLSTATE it failed with. */
async function attempt(userId: string | null, text: string, params: unknown[] = []): Promise<number | string> {
  const client = await database.appPool.connect();
  try {
    await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${userId ?? ''}', true)`);
    const result = await client.query(text, params);
    await client.query('COMMIT');
    return result.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK');
    return (error as { code: string }).code;
  } finally {
    client.release();
  }
}

/**
 * How many of these patients the user sees, as the app's login role in their context. (A sample, not
 * the whole table: a ward nurse's policy check runs per row and a full count takes seconds.)
 */
async function visiblePatients(userId: string, patientIds: number[]): Promise<number> {
  const client = await database.appPool.connect();
  try {
    await client.query(`BEGIN READ ONLY; SELECT set_config('app.current_user_id', '${userId}', true)`);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM patients WHERE patient_id = ANY($1)', [patientIds]);
    return rows[0]!.n;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const REFUSED = '42501';
const rolesOf = (userId: string) =>
  state('SELECT r.role_name FROM user_roles ur JOIN roles r USING (role_id) WHERE ur.user_id = $1 ORDER BY 1', [userId]);
const adminAccount = () =>
  state(`SELECT password_hash, is_active, failed_login_count, locked_until FROM users WHERE user_id = $1`, [id.admin]);
const lockoutSettings = () => state('SELECT lockout_threshold, lockout_minutes FROM security_settings');
const tokensFor = (userId: string) => value('SELECT count(*)::int FROM password_reset_tokens WHERE user_id = $1', [userId]);
const frontDeskPermissions = () =>
  state(
    `SELECT p.permission_name FROM role_permissions rp JOIN roles r USING (role_id) JOIN permissions p USING (permission_id) WHERE r.role_name = 'front_desk' ORDER BY 1`,
  );

describe('with the app login and no user context', () => {
  it('cannot make the nurse an administrator with one INSERT INTO user_roles', async () => {
    const before = await rolesOf(id.nurse);
    expect(
      await attempt(null, `INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'admin'`, [id.nurse]),
    ).toBe(REFUSED);
    expect(await rolesOf(id.nurse)).toEqual(before);
    expect(before).toEqual([{ role_name: 'nurse' }]);
  });

  it("cannot replace the admin's password hash, deactivate the admin, raise the lockout threshold or mint a reset code", async () => {
    const [account, settings, tokens] = [await adminAccount(), await lockoutSettings(), await tokensFor(id.admin)];
    expect(await attempt(null, 'UPDATE users SET password_hash = $2 WHERE user_id = $1', [id.admin, strongHash])).toBe(REFUSED);
    expect(await attempt(null, 'UPDATE users SET is_active = false WHERE user_id = $1', [id.admin])).toBe(0);
    expect(await attempt(null, 'UPDATE security_settings SET lockout_threshold = 20, updated_by = NULL')).toBe(0);
    expect(
      await attempt(
        null,
        `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at) VALUES ($1, repeat('f', 64), now() + interval '30 minutes', now())`,
        [id.admin],
      ),
    ).toBe(REFUSED);
    // …nor through the sign-in path's own functions, which act only for the user in context.
    expect(await attempt(null, 'SELECT auth_set_own_password($1, $2, now())', [id.admin, strongHash])).toBe(REFUSED);
    expect(await attempt(null, 'SELECT auth_record_sign_in($1, now())', [id.admin])).toBe(REFUSED);
    expect([await adminAccount(), await lockoutSettings(), await tokensFor(id.admin)]).toEqual([account, settings, tokens]);
  });

  it('cannot slip temporary tables under the RLS helpers to act as an administrator no one is', async () => {
    const client = new pg.Client({ connectionString: database.appUrl });
    await client.connect();
    // Since 045 the login may create no temporary table; the helpers must hold even where a DBA grants that again.
    await expect(client.query('CREATE TEMP TABLE users (user_id uuid)')).rejects.toMatchObject({ code: '42501' });
    await temporaryObjectsForTheAppLogin(database, 'GRANT');
    try {
      const ghost = '00000000-0000-4000-8000-000000000001';
      await client.query(`
        CREATE TEMP TABLE users (user_id uuid, is_active boolean);
        CREATE TEMP TABLE user_roles (user_id uuid, role_id int);
        CREATE TEMP TABLE roles (role_id int, role_name text, is_active boolean);
        CREATE TEMP TABLE role_permissions (role_id int, permission_id int);
        CREATE TEMP TABLE permissions (permission_id int, permission_name text);
        INSERT INTO pg_temp.users VALUES ('${ghost}', true);
        INSERT INTO pg_temp.user_roles VALUES ('${ghost}', 1);
        INSERT INTO pg_temp.roles VALUES (1, 'admin', true);
        INSERT INTO pg_temp.role_permissions VALUES (1, 1);
        INSERT INTO pg_temp.permissions VALUES (1, 'users.manage')`);
      await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${ghost}', true)`);
      const {
        rows: [seen],
      } = await client.query(
        `SELECT app_roles() AS roles, app_has_permission('users.manage') AS manages, (SELECT count(*)::int FROM public.patients) AS patients`,
      );
      expect(seen).toEqual({ roles: [], manages: false, patients: 0 });
      await expect(
        client.query(
          `INSERT INTO public.user_roles (user_id, role_id, assigned_by) SELECT $1, role_id, $2 FROM public.roles WHERE role_name = 'admin'`,
          [id.nurse, ghost],
        ),
      ).rejects.toMatchObject({ code: REFUSED });
      await client.query('ROLLBACK');
    } finally {
      await client.end();
      await temporaryObjectsForTheAppLogin(database, 'REVOKE');
    }
    expect(await rolesOf(id.nurse)).toEqual([{ role_name: 'nurse' }]);
  });
});

describe("in a nurse's context", () => {
  it('cannot widen her patients by adding herself to doctors or moving her staff row to another department', async () => {
    const before = await visiblePatients(id.nurse, sample);
    expect(before).toBe(50); // her ward's, not General Medicine's
    expect(
      await attempt(id.nurse, `INSERT INTO doctors (user_id, first_name, last_name, department_id) VALUES ($1, 'Nia', 'Nurse', $2)`, [
        id.nurse,
        f.dGM,
      ]),
    ).toBe(REFUSED);
    expect(
      await attempt(id.nurse, `INSERT INTO staff (first_name, last_name, role, department_id) VALUES ('Nia', 'Again', 'nurse', $1)`, [
        f.dGM,
      ]),
    ).toBe(REFUSED);
    expect(await attempt(id.nurse, 'UPDATE staff SET department_id = $2 WHERE user_id = $1', [id.nurse, f.dGM])).toBe(0);
    expect(await attempt(id.nurse, 'UPDATE rooms SET department_id = $1', [f.dWA])).toBe(0);
    expect(await visiblePatients(id.nurse, sample)).toBe(before);
    expect(await value('SELECT count(*)::int FROM doctors WHERE user_id = $1', [id.nurse])).toBe(0);
  });

  it("cannot replace the admin's password hash, deactivate the admin, give the front desk users.manage, raise the lockout threshold or mint a reset code", async () => {
    const [account, settings, tokens, frontDesk] = [
      await adminAccount(),
      await lockoutSettings(),
      await tokensFor(id.admin),
      await frontDeskPermissions(),
    ];
    expect(await attempt(id.nurse, 'UPDATE users SET password_hash = $2 WHERE user_id = $1', [id.admin, strongHash])).toBe(REFUSED);
    expect(await attempt(id.nurse, 'SELECT auth_set_own_password($1, $2, now())', [id.admin, strongHash])).toBe(REFUSED);
    expect(await attempt(id.nurse, 'UPDATE users SET is_active = false WHERE user_id = $1', [id.admin])).toBe(0);
    expect(
      await attempt(
        id.nurse,
        `INSERT INTO role_permissions (role_id, permission_id) SELECT r.role_id, p.permission_id FROM roles r, permissions p WHERE r.role_name = 'front_desk' AND p.permission_name = 'users.manage'`,
      ),
    ).toBe(REFUSED);
    expect(await attempt(id.nurse, 'UPDATE security_settings SET lockout_threshold = 20, updated_by = $1', [id.nurse])).toBe(0);
    expect(
      await attempt(
        id.nurse,
        `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by) VALUES ($1, repeat('f', 64), now() + interval '30 minutes', now(), $2)`,
        [id.admin, id.nurse],
      ),
    ).toBe(REFUSED);
    expect([await adminAccount(), await lockoutSettings(), await tokensFor(id.admin), await frontDeskPermissions()]).toEqual([
      account,
      settings,
      tokens,
      frontDesk,
    ]);
  });

  it('cannot give a bed to a patient she cannot see, and so still cannot read that patient', async () => {
    expect(await visiblePatients(id.nurse, [f.unseen])).toBe(0);
    expect(
      await attempt(id.nurse, 'INSERT INTO room_assignments (room_id, patient_id, bed_number, assigned_by) VALUES ($1, $2, 1, $3)', [
        f.nurseRoom,
        f.unseen,
        id.nurse,
      ]),
    ).toBe(REFUSED);
    expect(await visiblePatients(id.nurse, [f.unseen])).toBe(0);
    expect(await value('SELECT count(*)::int FROM room_assignments WHERE patient_id = $1', [f.unseen])).toBe(0);
  });

  it('cannot move a note she wrote onto a patient she cannot see', async () => {
    const wardPatient = sample[0]!;
    expect(
      await attempt(id.nurse, `INSERT INTO medical_records (patient_id, notes, created_by) VALUES ($1, 'obs stable', $2)`, [
        wardPatient,
        id.nurse,
      ]),
    ).toBe(1);
    const note = (await value(`SELECT max(record_id) FROM medical_records WHERE created_by = $1`, [id.nurse])) as number;
    expect(await attempt(id.nurse, 'UPDATE medical_records SET patient_id = $2 WHERE record_id = $1', [note, f.unseen])).toBe(REFUSED);
    expect(await value('SELECT patient_id FROM medical_records WHERE record_id = $1', [note])).toBe(wardPatient);
  });
});

describe("in a pharmacist's context", () => {
  it('dispensing changes only the state of a prescription: quantity 999 and a new dosage are refused', async () => {
    const before = await state('SELECT patient_id, doctor_id, dosage, quantity, status FROM prescriptions WHERE prescription_id = $1', [
      f.rx,
    ]);
    expect(await attempt(id.pharmacist, 'UPDATE prescriptions SET quantity = 999 WHERE prescription_id = $1', [f.rx])).toBe(REFUSED);
    expect(
      await attempt(id.pharmacist, `UPDATE prescriptions SET dosage = '10 tabs four times daily' WHERE prescription_id = $1`, [f.rx]),
    ).toBe(REFUSED);
    expect(
      await attempt(id.pharmacist, `UPDATE prescriptions SET status = 'Verified', quantity = 999 WHERE prescription_id = $1`, [f.rx]),
    ).toBe(REFUSED);
    // Since 020 an order is dispensed only by dispense rows in the ledger, never by setting its status.
    expect(await attempt(id.pharmacist, `UPDATE prescriptions SET status = 'Dispensed' WHERE prescription_id = $1`, [f.rx])).toBe('23514');
    expect(
      await state('SELECT patient_id, doctor_id, dosage, quantity, status FROM prescriptions WHERE prescription_id = $1', [f.rx]),
    ).toEqual(before);
    // What she is there to do still works.
    expect(await attempt(id.pharmacist, `UPDATE prescriptions SET status = 'Verified' WHERE prescription_id = $1`, [f.rx])).toBe(1);
    expect(await state('SELECT dosage, quantity, status FROM prescriptions WHERE prescription_id = $1', [f.rx])).toEqual([
      { dosage: '1 tab twice daily', quantity: 10, status: 'Verified' },
    ]);
  });
});

describe("in a doctor's context", () => {
  it('cannot edit her own order in place: a change is a new order that replaces it (047)', async () => {
    const what = 'SELECT medicine_id, dosage, quantity, status FROM prescriptions WHERE prescription_id = $1';
    const before = await state(what, [f.rx]); // verified above
    expect(await attempt(id.doctor, 'UPDATE prescriptions SET quantity = 500 WHERE prescription_id = $1', [f.rx])).toBe(REFUSED);
    expect(
      await attempt(id.doctor, `UPDATE prescriptions SET dosage = '2 tabs', medicine_id = NULL WHERE prescription_id = $1`, [f.rx]),
    ).toBe(REFUSED);
    expect(await state(what, [f.rx])).toEqual(before);
    // What she does with her order still works: cancelling it, with a reason.
    expect(
      await attempt(
        id.doctor,
        `UPDATE prescriptions SET status = 'Cancelled', cancelled_reason = 'Plan changed' WHERE prescription_id = $1`,
        [f.rx],
      ),
    ).toBe(1);
  });

  it('cannot prescribe for a patient outside their care', async () => {
    expect(await visiblePatients(id.doctor, [f.unseen])).toBe(0);
    expect(
      await attempt(id.doctor, `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 5)`, [
        f.unseen,
        f.myDoctor,
      ]),
    ).toBe(REFUSED);
    expect(await value('SELECT count(*)::int FROM prescriptions WHERE patient_id = $1', [f.unseen])).toBe(0);
    // A patient in their care still gets one.
    expect(
      await attempt(id.doctor, `INSERT INTO prescriptions (patient_id, doctor_id, dosage, quantity) VALUES ($1, $2, '1 tab', 5)`, [
        f.gmPatient,
        f.myDoctor,
      ]),
    ).toBe(1);
  });
});

describe("in the front desk's context", () => {
  it("cannot move a patient into a ward's scope: not by the caring department, a new registration or a booking", async () => {
    const nurseSees = await visiblePatients(id.nurse, sample);
    expect(await attempt(id.frontdesk, 'UPDATE patients SET department_id = $2 WHERE patient_id = $1', [f.unseen, f.dWA])).toBe(REFUSED);
    expect(
      await attempt(
        id.frontdesk,
        `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Walk', 'In', '1990-01-01', $1)`,
        [f.dWA],
      ),
    ).toBe(REFUSED);
    expect(
      await attempt(
        id.frontdesk,
        `INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time) VALUES ($1, $2, $3, CURRENT_DATE + 40, '10:00')`,
        [f.unseen, f.myDoctor, f.dWA],
      ),
    ).toBe(REFUSED);
    expect(await value('SELECT department_id FROM patients WHERE patient_id = $1', [f.unseen])).toBe(f.dORT);
    expect(await visiblePatients(id.nurse, [f.unseen])).toBe(0);
    expect(await visiblePatients(id.nurse, sample)).toBe(nurseSees);
    // Demographics are still the front desk's to keep.
    expect(await attempt(id.frontdesk, `UPDATE patients SET contact_number = '0700 900 123' WHERE patient_id = $1`, [f.unseen])).toBe(1);
  });
});

describe('sign-in', () => {
  it('answers an unknown email exactly as a real account, before and after five failures', async () => {
    let clock = new Date('2026-11-26T08:00:00Z');
    const harness = createCoreHarness(database, undefined, () => clock);
    const attemptBoth = async () => [
      await harness.core.dispatch('real', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: 'not the password' }),
      await harness.core.dispatch('ghost', 'session/sign-in', { email: 'nobody.here@demo.clinic', password: 'not the password' }),
    ];
    for (let i = 0; i < 5; i += 1) {
      const [real, unknown] = await attemptBoth();
      expect(unknown).toEqual(real);
      expect(real).toEqual({ ok: false, error: { code: 'Unauthorized', message: 'The email or password is not correct.' } });
    }
    const [real, unknown] = await attemptBoth();
    expect(real).toMatchObject({ ok: false, error: { code: 'Unauthorized', message: expect.stringContaining('locked') } });
    expect(unknown).toEqual(real);
    clock = new Date(clock.getTime() + 14 * 60_000);
    const [stillReal, stillUnknown] = await attemptBoth();
    expect(stillReal).toMatchObject({ ok: false, error: { message: expect.stringContaining('1 minute') } });
    expect(stillUnknown).toEqual(stillReal);
    // Once the lock has passed, a failure is refused as usual and locks both again at once, as for any account.
    clock = new Date(clock.getTime() + 2 * 60_000);
    const [againReal, againUnknown] = await attemptBoth();
    expect(againReal).toEqual({ ok: false, error: { code: 'Unauthorized', message: 'The email or password is not correct.' } });
    expect(againUnknown).toEqual(againReal);
    const [relockedReal, relockedUnknown] = await attemptBoth();
    expect(relockedReal).toMatchObject({ ok: false, error: { message: expect.stringContaining('15 minute') } });
    expect(relockedUnknown).toEqual(relockedReal);
    // The unknown email is counted under its SHA-256, never as the typed text.
    expect(
      await value(
        `SELECT failed_login_count FROM unknown_email_sign_in_failures WHERE email_sha256 = encode(sha256(convert_to('nobody.here@demo.clinic', 'UTF8')), 'hex')`,
      ),
    ).toBe(6);
  });
});

describe('the legitimate writers still write', () => {
  it('an administrator creates a user, who sets a password with the code, changes it, and is given roles, deactivated, reactivated and unlocked; settings are saved', async () => {
    const harness = createCoreHarness(database);
    await harness.signIn('admin', 'admin@demo.clinic');
    const created = await harness.core.dispatch('admin', 'users/create-user', {
      email: 'olu.orderly@demo.clinic',
      displayName: 'Olu Orderly',
      roles: ['nurse'],
    });
    expect(created).toMatchObject({ ok: true });
    if (!created.ok) return;
    const { userId, resetCode } = created.value as { userId: string; resetCode: { token: string } };
    expect(
      await harness.core.dispatch('olu', 'session/redeem-reset-token', {
        email: 'olu.orderly@demo.clinic',
        token: resetCode.token,
        newPassword: 'first password of olu',
      }),
    ).toEqual({ ok: true, value: { passwordChanged: true } });
    await harness.signIn('olu', 'olu.orderly@demo.clinic', 'first password of olu');
    expect(
      await harness.core.dispatch('olu', 'session/change-password', {
        currentPassword: 'first password of olu',
        newPassword: 'second password of olu',
      }),
    ).toMatchObject({ ok: true });
    expect(await harness.core.dispatch('admin', 'users/set-user-roles', { userId, roles: ['nurse', 'pharmacist'] })).toMatchObject({
      ok: true,
      value: { roles: ['nurse', 'pharmacist'] },
    });
    expect(await harness.core.dispatch('admin', 'users/set-user-active', { userId, active: false })).toMatchObject({
      ok: true,
      value: { isActive: false },
    });
    expect(
      (await harness.core.dispatch('olu', 'session/sign-in', { email: 'olu.orderly@demo.clinic', password: 'second password of olu' })).ok,
    ).toBe(false);
    expect(await harness.core.dispatch('admin', 'users/set-user-active', { userId, active: true })).toMatchObject({
      ok: true,
      value: { isActive: true },
    });
    expect(await harness.core.dispatch('admin', 'users/unlock-user', { userId })).toMatchObject({ ok: true, value: { lockedUntil: null } });
    await harness.signIn('olu', 'olu.orderly@demo.clinic', 'second password of olu');
    expect(await state('SELECT failed_login_count, last_login IS NOT NULL AS signed_in FROM users WHERE user_id = $1', [userId])).toEqual([
      { failed_login_count: 0, signed_in: true },
    ]);

    const settings = {
      lockoutThreshold: 6,
      lockoutMinutes: 20,
      sessionMaxHours: 10,
      idleMinutes: { ward: 4, pharmacy: 10, front_desk: 12, office: 15 },
    };
    expect(await harness.core.dispatch('admin', 'settings/save-security', settings)).toEqual({ ok: true, value: settings });
    expect(await state('SELECT lockout_threshold, updated_by FROM security_settings')).toEqual([
      { lockout_threshold: 6, updated_by: id.admin },
    ]);
    const defaults = {
      lockoutThreshold: 5,
      lockoutMinutes: 15,
      sessionMaxHours: 12,
      idleMinutes: { ward: 5, pharmacy: 15, front_desk: 15, office: 15 },
    };
    expect(await harness.core.dispatch('admin', 'settings/save-security', defaults)).toMatchObject({ ok: true });
  });
});
