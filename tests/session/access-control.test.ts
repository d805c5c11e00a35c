// Sign-in lockout, idle lock and the 12-hour limit, password change and one-time reset codes,
// on real PostgreSQL through the one door. The clock is fake (a variable the core reads) so
// "15 minutes later" and "29:59 vs 30:01" are exact; the database compares against that clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { VALID_INPUTS } from '../support/valid-inputs.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let clock: Date;
const now = () => clock;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
const MIN = 60_000;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
});
afterAll(() => database.drop());
beforeEach(() => {
  clock = new Date('2026-11-26T08:00:00Z');
});

const authEvents = async (email: string) =>
  (
    await database.ownerPool.query<{ operation: string; terminal: string }>(
      `SELECT operation, new_values->>'terminal' AS terminal FROM audit_log WHERE table_name = 'auth' AND new_values->>'email' = $1 ORDER BY log_id`,
      [email],
    )
  ).rows;

describe('lockout', () => {
  it('locks after 5 failures for 15 minutes, audits each attempt with the terminal name, then lets the right password in', async () => {
    const { core } = createCoreHarness(database, undefined, now);
    const email = 'pharmacist@demo.clinic';
    for (let i = 0; i < 5; i += 1) {
      expect(await core.dispatch('t', 'session/sign-in', { email, password: `wrong ${i}` })).toMatchObject({
        ok: false,
        error: { code: 'Unauthorized', message: 'The email or password is not correct.' },
      });
    }
    // Locked: even the right password is refused, with a message saying so.
    const locked = await core.dispatch('t', 'session/sign-in', { email, password: database.demoPassword });
    expect(locked).toMatchObject({ ok: false, error: { code: 'Unauthorized', message: expect.stringContaining('locked') } });
    advance(14 * MIN + 59_000);
    expect((await core.dispatch('t', 'session/sign-in', { email, password: database.demoPassword })).ok).toBe(false);
    advance(2_000);
    expect(await core.dispatch('t', 'session/sign-in', { email, password: database.demoPassword })).toMatchObject({ ok: true });

    const events = await authEvents(email);
    expect(events.map((e) => e.operation)).toEqual([
      'SIGNINFAIL',
      'SIGNINFAIL',
      'SIGNINFAIL',
      'SIGNINFAIL',
      'SIGNINFAIL',
      'LOCKED',
      'SIGNINFAIL',
      'SIGNINFAIL',
      'SIGNIN',
    ]);
    expect(new Set(events.map((e) => e.terminal))).toEqual(new Set(['test-terminal-1']));
    const {
      rows: [user],
    } = await database.ownerPool.query(`SELECT failed_login_count, locked_until FROM users WHERE email = $1`, [email]);
    expect(user).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('counts concurrent failures exactly (no lost updates)', async () => {
    const { core } = createCoreHarness(database, undefined, now);
    const email = 'doctor@demo.clinic';
    await Promise.all(Array.from({ length: 4 }, (_, i) => core.dispatch(`t${i}`, 'session/sign-in', { email, password: `wrong ${i}` })));
    const {
      rows: [user],
    } = await database.ownerPool.query(`SELECT failed_login_count FROM users WHERE email = $1`, [email]);
    expect(user.failed_login_count).toBe(4);
    expect((await core.dispatch('t', 'session/sign-in', { email, password: database.demoPassword })).ok).toBe(true);
  });

  it('honours an administrator-set threshold and duration', async () => {
    await database.ownerPool.query(`UPDATE security_settings SET lockout_threshold = 3, lockout_minutes = 2`);
    const { core } = createCoreHarness(database, undefined, now);
    const email = 'frontdesk@demo.clinic';
    for (let i = 0; i < 3; i += 1) await core.dispatch('t', 'session/sign-in', { email, password: 'wrong' });
    expect((await core.dispatch('t', 'session/sign-in', { email, password: database.demoPassword })).ok).toBe(false);
    advance(2 * MIN + 1000);
    expect((await core.dispatch('t', 'session/sign-in', { email, password: database.demoPassword })).ok).toBe(true);
    await database.ownerPool.query(`UPDATE security_settings SET lockout_threshold = 5, lockout_minutes = 15`);
  });
});

describe('idle lock and session limit', () => {
  it('locks a ward terminal after 5 idle minutes: every channel but unlock/switch answers Unauthorized', async () => {
    const harness = createCoreHarness(database, undefined, now);
    const { core } = harness;
    await harness.signIn('ward-1', 'nurse@demo.clinic');
    advance(4 * MIN + 59_000);
    expect((await core.dispatch('ward-1', 'patients/get-patient', { patientId: 1 })).ok).toBe(false); // RLS NotFound, but not locked
    expect(await core.dispatch('ward-1', 'session/get-current', {})).toMatchObject({ ok: true, value: { locked: false } });
    advance(5 * MIN); // the call above was activity; now 5 idle minutes pass
    expect(core.sessions.sweep()).toEqual([{ senderId: 'ward-1', reason: 'idle' }]);
    const stillOpen = [
      'session/unlock-screen',
      'session/sign-out',
      'session/report-activity',
      'session/sign-in',
      'session/get-current',
      'session/redeem-reset-token',
      'system/get-status',
      'system/get-demo-accounts',
    ];
    for (const channel of CHANNEL_NAMES.filter((c) => !stillOpen.includes(c))) {
      const result = await core.dispatch('ward-1', channel, VALID_INPUTS[channel]);
      expect(result, channel).toMatchObject({
        ok: false,
        error: { code: 'Unauthorized', message: 'The screen is locked. Enter your password to continue.' },
      });
    }
    // Activity does not reopen a locked screen; a wrong password does not either.
    expect(await core.dispatch('ward-1', 'session/report-activity', {})).toEqual({ ok: true, value: { locked: true } });
    expect((await core.dispatch('ward-1', 'session/unlock-screen', { password: 'wrong' })).ok).toBe(false);
    expect(await core.dispatch('ward-1', 'session/unlock-screen', { password: database.demoPassword })).toMatchObject({
      ok: true,
      value: { locked: false },
    });
    expect((await core.dispatch('ward-1', 'settings/get-database', {})).ok).toBe(false); // Forbidden, not locked
  });

  it('switches user from the lock screen without a restart, and audits the switch', async () => {
    const harness = createCoreHarness(database, undefined, now);
    const nurse = await harness.signIn('ward-2', 'nurse@demo.clinic');
    advance(6 * MIN);
    const doctor = await harness.signIn('ward-2', 'doctor@demo.clinic');
    expect(doctor.userId).not.toBe(nurse.userId);
    expect(await harness.core.dispatch('ward-2', 'session/get-current', {})).toMatchObject({
      ok: true,
      value: { user: { email: 'doctor@demo.clinic' }, locked: false },
    });
    expect((await authEvents('doctor@demo.clinic')).at(-1)?.operation).toBe('SWITCH');
  });

  it('uses 15 minutes on other terminals, configurable per terminal role, and ends any session after 12 hours', async () => {
    await database.ownerPool.query(`UPDATE terminal_idle_settings SET idle_minutes = 7 WHERE terminal_role = 'ward'`);
    const harness = createCoreHarness(database, undefined, now);
    await harness.signIn('w', 'nurse@demo.clinic');
    expect(harness.core.sessions.view(harness.core.sessions.get('w')!).lockAfterMinutes).toBe(7);
    await database.ownerPool.query(`UPDATE terminal_idle_settings SET idle_minutes = 5 WHERE terminal_role = 'ward'`);
    const office = createCoreHarness(database, undefined, now, { name: 'front-office-2', role: 'front_desk' });
    await office.signIn('o', 'frontdesk@demo.clinic');
    expect(office.core.sessions.view(office.core.sessions.get('o')!).lockAfterMinutes).toBe(15);
    await expect(database.ownerPool.query(`UPDATE terminal_idle_settings SET idle_minutes = 0`)).rejects.toMatchObject({ code: '23514' });
    // Kept busy all day, the session still ends at 12 hours.
    for (let hour = 0; hour < 12; hour += 1) {
      advance(59 * MIN);
      harness.core.sessions.touch('w');
    }
    advance(60 * MIN);
    expect(await harness.core.dispatch('w', 'session/report-activity', {})).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized', message: expect.stringContaining('time limit') },
    });
    expect(await harness.core.dispatch('w', 'session/get-current', {})).toEqual({ ok: true, value: null });
  });
});

describe('passwords', () => {
  async function issue(harness: ReturnType<typeof createCoreHarness>, email: string) {
    const {
      rows: [{ user_id: userId }],
    } = await database.ownerPool.query(`SELECT user_id FROM users WHERE email = $1`, [email]);
    const {
      rows: [{ user_id: adminId }],
    } = await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'admin@demo.clinic'`);
    const { issueResetToken } = await import('../../main/session/password-reset-service.js');
    const { inUserTransaction } = await import('../../main/db/user-transaction.js');
    return inUserTransaction(harness.core.db!, adminId, (trx) => issueResetToken(trx, userId, adminId, harness.core.terminal, clock));
  }
  const redeem = (harness: ReturnType<typeof createCoreHarness>, email: string, token: string, newPassword: string, sender = 'reset') =>
    harness.core.dispatch(sender, 'session/redeem-reset-token', { email, token, newPassword });

  it('a reset code works at 29:59, not at 30:01, and only once; it is stored only as a hash', async () => {
    const harness = createCoreHarness(database, undefined, now);
    const first = await issue(harness, 'nurse@demo.clinic');
    const stored = await database.ownerPool.query(
      `SELECT token_hash FROM password_reset_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex')`,
      [first.token],
    );
    expect(stored.rowCount).toBe(1);
    expect((await database.ownerPool.query(`SELECT 1 FROM password_reset_tokens WHERE token_hash = $1`, [first.token])).rowCount).toBe(0);
    advance(30 * MIN + 1000);
    expect(await redeem(harness, 'nurse@demo.clinic', first.token, 'a brand new password 1')).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized' },
    });

    clock = new Date('2026-11-26T09:00:00Z');
    const second = await issue(harness, 'nurse@demo.clinic');
    advance(29 * MIN + 59_000);
    expect(await redeem(harness, 'nurse@demo.clinic', second.token, 'a brand new password 2')).toEqual({
      ok: true,
      value: { passwordChanged: true },
    });
    expect((await redeem(harness, 'nurse@demo.clinic', second.token, 'a brand new password 3')).ok).toBe(false); // reuse
    await harness.signIn('n', 'nurse@demo.clinic', 'a brand new password 2');
  });

  it('a code is for its own user only, and exactly one of two concurrent redemptions wins', async () => {
    const harness = createCoreHarness(database, undefined, now);
    const { token } = await issue(harness, 'pharmacist@demo.clinic');
    expect((await redeem(harness, 'frontdesk@demo.clinic', token, 'somebody elses password')).ok).toBe(false); // wrong user
    const results = await Promise.all([
      redeem(harness, 'pharmacist@demo.clinic', token, 'racing password one', 'a'),
      redeem(harness, 'pharmacist@demo.clinic', token, 'racing password two', 'b'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
  });

  it("a reset ends the user's other sessions; a change needs the old password and ends the others too", async () => {
    const harness = createCoreHarness(database, undefined, now);
    await harness.signIn('desk-a', 'frontdesk@demo.clinic');
    await harness.signIn('desk-b', 'frontdesk@demo.clinic');
    const wrongOld = await harness.core.dispatch('desk-a', 'session/change-password', {
      currentPassword: 'nope',
      newPassword: 'a long new password',
    });
    expect(wrongOld).toMatchObject({ ok: false, error: { code: 'Validation', issues: [{ path: 'currentPassword' }] } });
    const short = await harness.core.dispatch('desk-a', 'session/change-password', {
      currentPassword: database.demoPassword,
      newPassword: 'short',
    });
    expect(short).toMatchObject({ ok: false, error: { code: 'Validation', issues: [{ path: 'newPassword' }] } });
    expect(
      await harness.core.dispatch('desk-a', 'session/change-password', {
        currentPassword: database.demoPassword,
        newPassword: 'a long new password',
      }),
    ).toMatchObject({ ok: true });
    expect(await harness.core.dispatch('desk-b', 'session/get-current', {})).toEqual({ ok: true, value: null });
    expect(await harness.core.dispatch('desk-a', 'session/get-current', {})).toMatchObject({
      ok: true,
      value: { user: { email: 'frontdesk@demo.clinic' } },
    });

    const { token } = await issue(harness, 'frontdesk@demo.clinic');
    expect((await redeem(harness, 'frontdesk@demo.clinic', token, 'the reset password!')).ok).toBe(true);
    expect(await harness.core.dispatch('desk-a', 'session/get-current', {})).toEqual({ ok: true, value: null });
    expect((await authEvents('frontdesk@demo.clinic')).map((e) => e.operation)).toEqual(
      expect.arrayContaining(['PW_CHANGE', 'RESET_CODE', 'PW_RESET']),
    );
  });
});
