// Pointing a workstation at a hospital server: tested on a real PostgreSQL before anything is
// saved; the password goes only to the secret store. Not real here: the secret store is an
// in-memory stand-in (the real keychain is tested in tests/main/keychain.test.ts).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { KeychainUnavailable } from '../../main/config/keychain.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo');
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'clinic-settings-'));
});
afterAll(async () => {
  await database.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

function memorySecrets(broken = false) {
  const store = new Map<string, string>();
  return {
    store,
    read: (account: string) => (broken ? (() => { throw new KeychainUnavailable(new Error('no store')); })() : (store.get(account) ?? null)),
    save: (account: string, secret: string) => {
      if (broken) throw new KeychainUnavailable(new Error('no store'));
      store.set(account, secret);
    },
  };
}

async function coreWith(secrets: ReturnType<typeof memorySecrets>) {
  const core = createAppCore({
    pool: database.appPool,
    mode: 'embedded',
    databaseSettings: { dataDir, secrets, activeMode: 'embedded', env: {} },
    logInternal: (m, e) => {
      throw new Error(`${m}: ${String(e)}`);
    },
  });
  const signIn = await core.dispatch('admin-window', 'session/sign-in', { email: 'admin@demo.clinic', password: database.demoPassword });
  expect(signIn.ok).toBe(true);
  return core;
}

const server = () => {
  const url = new URL(inject('clusterUrl'));
  return { host: url.hostname, port: Number(url.port), database: database.name, user: 'clinic_test_app', ssl: false };
};
const settingsFile = () => path.join(dataDir, 'settings.json');

describe('database settings', () => {
  it('tests, then saves the server to settings.json and the password only to the secret store', async () => {
    const secrets = memorySecrets();
    const core = await coreWith(secrets);
    const result = await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: server(), password: inject('appLoginPassword') });
    expect(result).toEqual({ ok: true, value: { appliesAfterRestart: true } });
    const file = await fs.readFile(settingsFile(), 'utf8');
    expect(JSON.parse(file).hospitalServer).toEqual(server());
    expect(file).not.toContain(inject('appLoginPassword'));
    expect([...secrets.store.values()]).toEqual([inject('appLoginPassword')]);
    expect(await core.dispatch('admin-window', 'settings/get-database', {})).toEqual({
      ok: true,
      value: { activeMode: 'embedded', overriddenByEnvironment: false, hospitalServer: server(), passwordStored: true, terminal: { name: expect.any(String), role: 'office', departmentId: null } },
    });
    // Saving again without a password keeps (and re-tests) the stored one.
    expect(await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: server() })).toMatchObject({ ok: true });
    await core.close();
  });

  it('refuses a wrong password, an unreachable server and a superuser, and writes nothing', async () => {
    await fs.rm(settingsFile(), { force: true });
    const secrets = memorySecrets();
    const core = await coreWith(secrets);
    const wrong = await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: server(), password: 'wrong' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'Validation', message: 'The server refused that user name or password.' } });
    const unreachable = await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: { ...server(), port: 1 }, password: 'x' });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    const url = new URL(inject('clusterUrl'));
    const superuser = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: { ...server(), user: decodeURIComponent(url.username) },
      password: decodeURIComponent(url.password),
    });
    expect(superuser).toMatchObject({ ok: false, error: { code: 'Validation', message: expect.stringContaining('bypass row level security') } });
    await expect(fs.stat(settingsFile())).rejects.toThrow();
    expect(secrets.store.size).toBe(0);
    await core.close();
  });

  it('refuses to save when there is no secure store, and says so', async () => {
    await fs.rm(settingsFile(), { force: true });
    const core = await coreWith(memorySecrets(true));
    const result = await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: server(), password: inject('appLoginPassword') });
    expect(result).toEqual({ ok: false, error: { code: 'Unavailable', message: 'This computer has no secure credential store available, so the password was not saved.' } });
    await expect(fs.stat(settingsFile())).rejects.toThrow();
    await core.close();
  });

  it('names this workstation and its kind for the audit trail and the idle lock', async () => {
    const core = await coreWith(memorySecrets());
    expect(await core.dispatch('admin-window', 'settings/save-terminal', { name: 'Ward A bay 3', role: 'ward' })).toEqual({ ok: true, value: { appliesAfterRestart: true } });
    expect(await core.dispatch('admin-window', 'settings/get-database', {})).toMatchObject({ ok: true, value: { terminal: { name: 'Ward A bay 3', role: 'ward' } } });
    expect(await core.dispatch('admin-window', 'settings/save-terminal', { name: 'x', role: 'kiosk' })).toMatchObject({ ok: false, error: { code: 'Validation' } });
    // A front desk names the department whose book it keeps for offline work.
    expect((await core.dispatch('admin-window', 'settings/save-terminal', { name: 'Front desk 1', role: 'front_desk', departmentId: 2 })).ok).toBe(true);
    expect(await core.dispatch('admin-window', 'settings/get-database', {})).toMatchObject({ ok: true, value: { terminal: { name: 'Front desk 1', role: 'front_desk', departmentId: 2 } } });
    expect(await core.dispatch('admin-window', 'settings/save-terminal', { name: 'x', role: 'front_desk', departmentId: -1 })).toMatchObject({ ok: false, error: { code: 'Validation' } });
    await core.close();
  });

  it('is for administrators only, and validates hosts', async () => {
    const core = await coreWith(memorySecrets());
    await core.dispatch('desk', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('desk', 'settings/get-database', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    const badHost = await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: { ...server(), host: 'evil host; rm -rf' }, password: 'x' });
    expect(badHost).toMatchObject({ ok: false, error: { code: 'Validation', issues: [{ path: 'server.host' }] } });
    await core.close();
  });
});
