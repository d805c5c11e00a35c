// A front desk started while the hospital database was down: it works offline from its sealed
// files (sign-in with the password last used here, a walk-in saved on the terminal), and when the
// database can be opened later, requests go to it and the waiting change is sent — no restart.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../../main/app-core.js';
import { memorySecretStore } from '../../support/memory-secrets.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let dir: string;
const key = randomBytes(32);
const secrets = memorySecretStore(); // the keychain's generations of the sealed files (in memory here)
const terminal = { name: 'late-desk', role: 'front_desk' as const };

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  dir = mkdtempSync(path.join(os.tmpdir(), 'late-database-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe('a front desk started while the database is down', () => {
  it('works offline, then attaches the database when it can be opened and sends what waited', async () => {
    // Yesterday, online: the clerk signed in on this terminal.
    const yesterday = createAppCore({
      pool: database.appPool,
      mode: 'server',
      terminal,
      offline: { dir, key, secrets },
      logInternal: () => undefined,
    });
    await yesterday.monitor.check();
    expect((await yesterday.dispatch('w', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword })).ok).toBe(
      true,
    );
    await yesterday.offline!.refreshNow();
    await yesterday.close();

    // Today the app starts with no database at all.
    const today = createAppCore({ pool: null, mode: 'server', terminal, offline: { dir, key, secrets }, logInternal: () => undefined });
    today.monitor.report('unreachable', 'The database could not be reached at start.');
    expect(await today.dispatch('w', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword })).toMatchObject(
      { ok: true, value: { user: { roles: ['front_desk'] } } },
    );
    const walkIn = await today.dispatch('w', 'patients/register-patient', {
      firstName: 'Early',
      lastName: 'Bird',
      dateOfBirth: '1999-09-09',
    });
    expect(walkIn).toMatchObject({ ok: true, value: { patient: { queued: true } } });
    expect(today.status()).toMatchObject({ database: 'unreachable', waitingChanges: 1 });

    await today.attachPool(database.appPool);
    await expect
      .poll(() => today.status(), { timeout: 10_000 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 0 });
    expect(
      (await database.ownerPool.query(`SELECT count(*)::int AS n FROM patients WHERE last_name = 'Bird' AND first_name = 'Early'`)).rows[0]
        .n,
    ).toBe(1);
    expect(await today.dispatch('w', 'patients/search-patients', { query: 'bird, early' })).toMatchObject({
      ok: true,
      value: [{ lastName: 'Bird', match: 'exact' }],
    });
    await today.close();
  }, 30_000);

  it('forgets an offline sign-in once the server says the account was switched off or its password changed', async () => {
    const desk = createAppCore({
      pool: database.appPool,
      mode: 'server',
      terminal,
      offline: { dir, key, secrets },
      logInternal: () => undefined,
    });
    await desk.monitor.check();
    for (const email of ['frontdesk@demo.clinic', 'doctor@demo.clinic']) {
      expect((await desk.dispatch(email, 'session/sign-in', { email, password: database.demoPassword })).ok).toBe(true);
    }
    await desk.offline!.refreshNow();
    // Elsewhere: the doctor is switched off; the clerk changes password on another terminal.
    await database.ownerPool.query(`UPDATE users SET is_active = false WHERE email = 'doctor@demo.clinic'`);
    const elsewhere = createAppCore({
      pool: database.appPool,
      mode: 'server',
      terminal: { name: 'other-desk', role: 'front_desk' },
      logInternal: () => undefined,
    });
    await elsewhere.monitor.check();
    await elsewhere.dispatch('e', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    expect(
      (
        await elsewhere.dispatch('e', 'session/change-password', {
          currentPassword: database.demoPassword,
          newPassword: 'a brand new passphrase 9',
        })
      ).ok,
    ).toBe(true);
    await elsewhere.close();

    await desk.offline!.refreshNow(); // what the terminal does every minute while online
    desk.monitor.report('unreachable', 'The test cut the database.');
    for (const [email, password] of [
      ['frontdesk@demo.clinic', database.demoPassword],
      ['frontdesk@demo.clinic', 'a brand new passphrase 9'],
      ['doctor@demo.clinic', database.demoPassword],
    ]) {
      expect(await desk.dispatch(`off-${password}`, 'session/sign-in', { email, password }), email).toMatchObject({
        ok: false,
        error: { code: 'Unauthorized' },
      });
    }
    await desk.close();
  }, 30_000);

  it('locks an offline session when idle and unlocks it offline with the same password', async () => {
    const password = 'a brand new passphrase 9'; // the clerk's since the test before
    let clock = new Date();
    const now = () => clock;
    const seed = createAppCore({
      pool: database.appPool,
      mode: 'server',
      terminal,
      offline: { dir, key, secrets },
      now,
      logInternal: () => undefined,
    });
    await seed.monitor.check();
    expect((await seed.dispatch('s', 'session/sign-in', { email: 'frontdesk@demo.clinic', password })).ok).toBe(true);
    await seed.offline!.refreshNow(); // the server confirms what the clerk sees: offline work needs it
    await seed.close();

    const offline = createAppCore({
      pool: null,
      mode: 'server',
      terminal,
      offline: { dir, key, secrets },
      now,
      logInternal: () => undefined,
    });
    offline.monitor.report('unreachable', 'down');
    expect(await offline.dispatch('w', 'session/sign-in', { email: 'frontdesk@demo.clinic', password })).toMatchObject({
      ok: true,
      value: { lockAfterMinutes: 15 },
    });
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect(await offline.dispatch('w', 'patients/search-patients', { query: 'bird' })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized' },
    });
    expect(await offline.dispatch('w', 'session/unlock-screen', { password: 'not it' })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized' },
    });
    expect(await offline.dispatch('w', 'session/unlock-screen', { password })).toMatchObject({ ok: true, value: { locked: false } });
    expect((await offline.dispatch('w', 'patients/search-patients', { query: 'bird' })).ok).toBe(true);
    await offline.close();
  }, 30_000);
});
