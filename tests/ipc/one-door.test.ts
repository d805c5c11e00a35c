// The one door in main (createDispatcher via createAppCore) on real PostgreSQL. Not real here:
// Electron's ipcMain — the dispatcher is what the single ipcMain.handle registration calls.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../main/app-handlers.js';
import { inTransaction } from '../../main/ipc/handler-types.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 1);
});
afterAll(() => database.drop());

describe('the one door', () => {
  it('refuses an unknown channel with NotFound', async () => {
    const { core } = createCoreHarness(database);
    for (const channel of ['patients/drop-table', '__proto__', 'constructor', 42, null]) {
      const result = await core.dispatch('w1', channel, {});
      expect(result).toEqual({ ok: false, error: { code: 'NotFound', message: 'That action does not exist.' } });
    }
  });

  it('rejects wrong-typed input with Validation before any SQL', async () => {
    const harness = createCoreHarness(database);
    await harness.signIn('w1', 'frontdesk@demo.clinic');
    harness.resetSqlCalls();
    for (const input of [
      { patientId: '1' },
      { patientId: 1.5 },
      { patientId: 0 },
      { patientId: Number.NaN },
      { patientId: 1e308 },
      { patientId: 1, extra: true },
      null,
      'x',
    ]) {
      const result = await harness.core.dispatch('w1', 'patients/get-patient', input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('Validation');
    }
    expect(harness.sqlCalls()).toBe(0);
  });

  it('names the invalid field in a Validation error', async () => {
    const { core } = createCoreHarness(database);
    const result = await core.dispatch('w1', 'session/sign-in', { email: 'not-an-email', password: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues?.map((i) => i.path)).toEqual(['email']);
  });

  it('rejects oversized input with Validation before any SQL', async () => {
    const harness = createCoreHarness(database);
    const result = await harness.core.dispatch('w1', 'session/sign-in', { email: 'a@b.c', password: 'x'.repeat(1_000_000) });
    expect(result).toMatchObject({ ok: false, error: { code: 'Validation', message: 'The request is too large.' } });
    expect(harness.sqlCalls()).toBe(0);
  });

  it('answers Unauthorized without a session, before any SQL', async () => {
    const harness = createCoreHarness(database);
    const result = await harness.core.dispatch('nobody', 'patients/get-patient', { patientId: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    expect(harness.sqlCalls()).toBe(0);
  });

  it('answers Forbidden when the role lacks the permission, before any SQL', async () => {
    const harness = createCoreHarness(database);
    const session = await harness.signIn('w1', 'pharmacist@demo.clinic');
    // A session whose roles grant only audit.read, as main would hold for such a user.
    harness.core.sessions.start('w2', { ...session, permissions: ['audit.read'] }, { idleMinutes: 5, maxHours: 12 });
    harness.resetSqlCalls();
    const result = await harness.core.dispatch('w2', 'patients/get-patient', { patientId: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(harness.sqlCalls()).toBe(0);
  });

  it('binds a session to the window that signed in', async () => {
    const harness = createCoreHarness(database);
    await harness.signIn('window-a', 'frontdesk@demo.clinic');
    expect(await harness.core.dispatch('window-a', 'patients/get-patient', { patientId: 1 })).toMatchObject({ ok: true });
    expect(await harness.core.dispatch('window-b', 'patients/get-patient', { patientId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized' },
    });
    expect(await harness.core.dispatch('window-a', 'session/sign-out', {})).toEqual({ ok: true, value: { signedOut: true } });
    expect(await harness.core.dispatch('window-a', 'patients/get-patient', { patientId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized' },
    });
  });

  it('sets app.current_user_id inside the handler transaction only', async () => {
    let seenInside: string | undefined;
    const handlers = {
      ...createHandlers(),
      'patients/get-patient': inTransaction<'patients/get-patient'>(async (trx) => {
        const { rows } = await sql<{ id: string }>`SELECT current_setting('app.current_user_id', true) AS id`.execute(trx);
        seenInside = rows[0]?.id;
        return {
          patientId: 1,
          firstName: 'A',
          lastName: 'B',
          dateOfBirth: '2000-01-01',
          gender: null,
          contactNumber: null,
          email: null,
          departmentId: null,
        };
      }),
    };
    const harness = createCoreHarness(database, handlers);
    const user = await harness.signIn('w1', 'doctor@demo.clinic');
    expect((await harness.core.dispatch('w1', 'patients/get-patient', { patientId: 1 })).ok).toBe(true);
    expect(seenInside).toBe(user.userId);
    // The pool has one connection, so this is the very connection the handler used.
    const after = await database.appPool.query<{ id: string | null }>(`SELECT current_setting('app.current_user_id', true) AS id`);
    expect(after.rows[0]?.id ?? '').toBe('');
  });

  it('rolls back everything a failing handler wrote', async () => {
    const handlers = {
      ...createHandlers(),
      'patients/get-patient': inTransaction<'patients/get-patient'>(async (trx) => {
        await sql`UPDATE patients SET last_name = 'Changed' WHERE patient_id = 1`.execute(trx);
        await sql`SELECT 1 / 0`.execute(trx);
        throw new Error('unreachable');
      }),
    };
    const harness = createCoreHarness(database, handlers);
    await harness.signIn('w1', 'frontdesk@demo.clinic');
    const before = await database.ownerPool.query('SELECT last_name FROM patients WHERE patient_id = 1');
    const result = await harness.core.dispatch('w1', 'patients/get-patient', { patientId: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'Internal' } });
    const after = await database.ownerPool.query('SELECT last_name FROM patients WHERE patient_id = 1');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('never lets raw SQL, stacks or SQL text reach the renderer, and logs Internal errors with the stack', async () => {
    const handlers = {
      ...createHandlers(),
      'patients/get-patient': inTransaction<'patients/get-patient'>(async (trx) => {
        await sql`SELECT secret_column FROM no_such_table`.execute(trx);
        throw new Error('unreachable');
      }),
    };
    const harness = createCoreHarness(database, handlers);
    await harness.signIn('w1', 'frontdesk@demo.clinic');
    const result = await harness.core.dispatch('w1', 'patients/get-patient', { patientId: 1 });
    expect(result).toEqual({
      ok: false,
      error: { code: 'Internal', message: 'Something went wrong on this workstation. The problem has been logged.' },
    });
    expect(JSON.stringify(result)).not.toMatch(/no_such_table|secret_column|SELECT|at /);
    expect(harness.internalErrors).toHaveLength(1);
    expect((harness.internalErrors[0]!.error as Error).stack).toContain('no_such_table');
  });

  it('maps constraint violations to Conflict and Validation with readable words', async () => {
    const cases: [string, string][] = [
      [`INSERT INTO departments (name) VALUES ('Emergency')`, 'Conflict'],
      [`INSERT INTO billing (patient_id, amount) VALUES (1, -1)`, 'Validation'],
      [
        `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES (999999, 1, '2030-01-01', '09:00')`,
        'Conflict',
      ],
    ];
    for (const [statement, code] of cases) {
      const handlers = {
        ...createHandlers(),
        'patients/get-patient': inTransaction<'patients/get-patient'>(async (trx) => {
          await sql.raw(statement).execute(trx);
          throw new Error('unreachable');
        }),
      };
      const harness = createCoreHarness(database, handlers);
      await harness.signIn('w1', 'admin@demo.clinic');
      const result = await harness.core.dispatch('w1', 'patients/get-patient', { patientId: 1 });
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(JSON.stringify(result)).not.toMatch(/INSERT|billing|departments/);
    }
  });

  it('returns a typed patient through the whole path', async () => {
    const harness = createCoreHarness(database);
    await harness.signIn('w1', 'frontdesk@demo.clinic');
    const result = await harness.core.dispatch('w1', 'patients/get-patient', { patientId: 1 });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ patientId: 1, dateOfBirth: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(await harness.core.dispatch('w1', 'patients/get-patient', { patientId: 2_000_000_000 })).toMatchObject({
      ok: false,
      error: { code: 'NotFound' },
    });
  });
});

describe('sign-in', () => {
  it('gives the same message for a wrong password and an unknown email', async () => {
    const { core } = createCoreHarness(database);
    const wrong = await core.dispatch('w1', 'session/sign-in', { email: 'nurse@demo.clinic', password: 'wrong password' });
    const unknown = await core.dispatch('w1', 'session/sign-in', { email: 'ghost@demo.clinic', password: 'wrong password' });
    expect(wrong).toEqual({ ok: false, error: { code: 'Unauthorized', message: 'The email or password is not correct.' } });
    expect(unknown).toEqual(wrong);
    expect(await core.dispatch('w1', 'session/get-current', {})).toEqual({ ok: true, value: null });
  });

  it('accepts the email in any case and returns roles and permissions from the database', async () => {
    const harness = createCoreHarness(database);
    const user = await harness.signIn('w1', '  NURSE@demo.clinic ');
    expect(user).toMatchObject({ email: 'nurse@demo.clinic', displayName: 'Nia Nurse', roles: ['nurse'] });
    expect(user.permissions).toContain('medical_records.read');
    expect(user.permissions).not.toContain('users.manage');
    expect(await harness.core.dispatch('w1', 'session/get-current', {})).toMatchObject({
      ok: true,
      value: { user, locked: false, lockAfterMinutes: 5 },
    });
  });

  it('refuses a deactivated user', async () => {
    await database.ownerPool.query(`UPDATE users SET is_active = false WHERE email = 'doctor@demo.clinic'`);
    const { core } = createCoreHarness(database);
    const result = await core.dispatch('w1', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(result).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    await database.ownerPool.query(`UPDATE users SET is_active = true WHERE email = 'doctor@demo.clinic'`);
  });
});
