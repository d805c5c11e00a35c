// Pointing a workstation at a hospital server: tested on a real PostgreSQL before anything is
// saved; the password goes only to the secret store. Not real here: the secret store is an
// in-memory stand-in (the real keychain is tested in tests/security/keychain.test.ts); "another
// computer" is this machine's own network address (a relay there forwards to the test cluster).
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { KeychainUnavailable } from '../../main/config/keychain.js';
import { readSettings, writeSettings } from '../../main/config/settings.js';
import { chooseDatabaseTarget } from '../../main/startup/database-target.js';
import { connectionWarning } from '../../main/config/configured-connection.js';
import { MigrationRefused } from '../../main/startup/open-database.js';
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
    read: (account: string) =>
      broken
        ? (() => {
            throw new KeychainUnavailable(new Error('no store'));
          })()
        : (store.get(account) ?? null),
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
  return {
    host: url.hostname,
    port: Number(url.port),
    database: database.name,
    user: 'clinic_test_app',
    ssl: false,
    caFile: null,
    allowInsecure: false,
  };
};
const settingsFile = () => path.join(dataDir, 'settings.json');

describe('database settings', () => {
  it('tests, then saves the server to settings.json and the password only to the secret store', async () => {
    const secrets = memorySecrets();
    const core = await coreWith(secrets);
    const result = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: server(),
      password: inject('appLoginPassword'),
    });
    expect(result).toEqual({ ok: true, value: { appliesAfterRestart: true } });
    const file = await fs.readFile(settingsFile(), 'utf8');
    expect(JSON.parse(file).hospitalServer).toEqual(server());
    expect(file).not.toContain(inject('appLoginPassword'));
    expect([...secrets.store.values()]).toEqual([inject('appLoginPassword')]);
    expect(await core.dispatch('admin-window', 'settings/get-database', {})).toEqual({
      ok: true,
      value: {
        activeMode: 'embedded',
        overriddenByEnvironment: false,
        hospitalServer: server(),
        passwordStored: true,
        connectionWarning: null,
        terminal: { name: expect.any(String), role: 'office', departmentId: null },
      },
    });
    // Saving again without a password keeps (and re-tests) the stored one.
    expect(await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: server() })).toMatchObject({
      ok: true,
    });
    await core.close();
  });

  it('refuses a wrong password, an unreachable server and a superuser, and writes nothing', async () => {
    await fs.rm(settingsFile(), { force: true });
    const secrets = memorySecrets();
    const core = await coreWith(secrets);
    const wrong = await core.dispatch('admin-window', 'settings/save-database', { target: 'server', server: server(), password: 'wrong' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'Validation', message: 'The server refused that user name or password.' } });
    const unreachable = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: { ...server(), port: 1 },
      password: 'x',
    });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    const url = new URL(inject('clusterUrl'));
    const superuser = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: { ...server(), user: decodeURIComponent(url.username) },
      password: decodeURIComponent(url.password),
    });
    expect(superuser).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: expect.stringContaining('bypass row level security') },
    });
    await expect(fs.stat(settingsFile())).rejects.toThrow();
    expect(secrets.store.size).toBe(0);
    await core.close();
  });

  it('refuses to save when there is no secure store, and says so', async () => {
    await fs.rm(settingsFile(), { force: true });
    const core = await coreWith(memorySecrets(true));
    const result = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: server(),
      password: inject('appLoginPassword'),
    });
    expect(result).toEqual({
      ok: false,
      error: { code: 'Unavailable', message: 'This computer has no secure credential store available, so the password was not saved.' },
    });
    await expect(fs.stat(settingsFile())).rejects.toThrow();
    await core.close();
  });

  it('names this workstation and its kind for the audit trail and the idle lock', async () => {
    const core = await coreWith(memorySecrets());
    expect(await core.dispatch('admin-window', 'settings/save-terminal', { name: 'Ward A bay 3', role: 'ward' })).toEqual({
      ok: true,
      value: { appliesAfterRestart: true },
    });
    expect(await core.dispatch('admin-window', 'settings/get-database', {})).toMatchObject({
      ok: true,
      value: { terminal: { name: 'Ward A bay 3', role: 'ward' } },
    });
    expect(await core.dispatch('admin-window', 'settings/save-terminal', { name: 'x', role: 'kiosk' })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    // A front desk names the department whose book it keeps for offline work.
    expect(
      (await core.dispatch('admin-window', 'settings/save-terminal', { name: 'Front desk 1', role: 'front_desk', departmentId: 2 })).ok,
    ).toBe(true);
    expect(await core.dispatch('admin-window', 'settings/get-database', {})).toMatchObject({
      ok: true,
      value: { terminal: { name: 'Front desk 1', role: 'front_desk', departmentId: 2 } },
    });
    expect(
      await core.dispatch('admin-window', 'settings/save-terminal', { name: 'x', role: 'front_desk', departmentId: -1 }),
    ).toMatchObject({ ok: false, error: { code: 'Validation' } });
    await core.close();
  });

  it('is for administrators only, and validates hosts', async () => {
    const core = await coreWith(memorySecrets());
    await core.dispatch('desk', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('desk', 'settings/get-database', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    const badHost = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: { ...server(), host: 'evil host; rm -rf' },
      password: 'x',
    });
    expect(badHost).toMatchObject({ ok: false, error: { code: 'Validation', issues: [{ path: 'server.host' }] } });
    await core.close();
  });
});

/** This machine's own non-loopback address: to the rule, a server on another computer. */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** Listens on the network address; forwards to the test cluster when asked to, and counts who connected. */
async function listenOnNetwork(forward: boolean) {
  const cluster = new URL(inject('clusterUrl'));
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections += 1;
    sockets.add(client);
    client.on('error', () => undefined);
    if (!forward) return void client.destroy();
    const upstream = net.connect(Number(cluster.port), cluster.hostname);
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, lanAddress, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(!lanAddress)('a server on another computer needs verified TLS (needs a non-loopback address here)', () => {
  it('refuses to save one without TLS: nothing is sent to it, not even a connection, and nothing is written', async () => {
    await fs.rm(settingsFile(), { force: true });
    const listener = await listenOnNetwork(false);
    const secrets = memorySecrets();
    const core = await coreWith(secrets);
    const remote = { ...server(), host: lanAddress!, port: listener.port };
    const result = await core.dispatch('admin-window', 'settings/save-database', {
      target: 'server',
      server: remote,
      password: inject('appLoginPassword'),
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'Validation',
        message: 'A server on another computer needs an encrypted connection with a checked certificate.',
        issues: [{ path: 'server.ssl' }],
      },
    });
    expect(listener.connections()).toBe(0); // before the fix the password went to it in the probe
    await expect(fs.stat(settingsFile())).rejects.toThrow();
    expect(secrets.store.size).toBe(0);
    await core.close();
    await listener.close();
  });

  it('saves one an administrator explicitly allowed, and then the form and the status warn', async () => {
    await fs.rm(settingsFile(), { force: true });
    const relay = await listenOnNetwork(true);
    const secrets = memorySecrets();
    const core = await coreWith(secrets);
    const remote = { ...server(), host: lanAddress!, port: relay.port, allowInsecure: true };
    expect(
      await core.dispatch('admin-window', 'settings/save-database', {
        target: 'server',
        server: remote,
        password: inject('appLoginPassword'),
      }),
    ).toMatchObject({ ok: true });
    expect(relay.connections()).toBe(1);
    const settings = await readSettings(dataDir);
    expect(settings.hospitalServer).toEqual(remote);
    const view = await core.dispatch('admin-window', 'settings/get-database', {});
    expect(view).toMatchObject({ ok: true, value: { connectionWarning: expect.stringContaining(`${lanAddress} is not verified TLS`) } });

    const warning = connectionWarning({}, settings);
    expect(warning).toMatch(/can be read or changed/);
    expect(chooseDatabaseTarget({}, settings, dataDir, secrets)).toMatchObject({
      mode: 'server',
      connection: { host: lanAddress, allowInsecure: true },
    });
    const started = createAppCore({ pool: database.appPool, mode: 'server', connectionWarning: warning, logInternal: () => undefined });
    expect(await started.dispatch('anyone', 'system/get-status', {})).toMatchObject({ ok: true, value: { connectionWarning: warning } });
    await started.close();
    await core.close();
    await relay.close();
  });

  it('will not start on one saved without TLS that nobody allowed (an older settings file, or one edited by hand)', async () => {
    const settings = await readSettings(dataDir);
    await writeSettings(dataDir, { ...settings, hospitalServer: { ...server(), host: lanAddress! } });
    const edited = await readSettings(dataDir);
    const secrets = memorySecrets();
    expect(() => chooseDatabaseTarget({}, edited, dataDir, secrets)).toThrow(MigrationRefused);
    expect(() => chooseDatabaseTarget({}, edited, dataDir, secrets)).toThrow(/is on another computer and its connection is not encrypted/);
    expect(connectionWarning({}, edited)).toBeNull();
    // An administrator's explicit allowance where the app starts.
    const allowed = { CLINIC_ALLOW_INSECURE_DATABASE: '1' };
    expect(chooseDatabaseTarget(allowed, edited, dataDir, secrets)).toMatchObject({ mode: 'server' });
    expect(connectionWarning(allowed, edited)).toMatch(/allowed by CLINIC_ALLOW_INSECURE_DATABASE=1/);
  });
});

describe('DATABASE_URL obeys the same rule', () => {
  it('refuses to start on a remote URL without sslmode=verify-full unless CLINIC_ALLOW_INSECURE_DATABASE=1, then warns', async () => {
    const settings = await readSettings(dataDir);
    const secrets = memorySecrets();
    for (const url of ['postgres://ward:pw@db.hospital.example/clinic', 'postgres://ward:pw@db.hospital.example/clinic?sslmode=require']) {
      expect(() => chooseDatabaseTarget({ DATABASE_URL: url }, settings, dataDir, secrets), url).toThrow(MigrationRefused);
    }
    const verified = 'postgres://ward:pw@db.hospital.example/clinic?sslmode=verify-full';
    expect(chooseDatabaseTarget({ DATABASE_URL: verified }, settings, dataDir, secrets)).toEqual({
      mode: 'server',
      connection: { connectionString: verified },
    });
    expect(connectionWarning({ DATABASE_URL: verified }, settings)).toBeNull();
    const allowed = { DATABASE_URL: 'postgres://ward:pw@db.hospital.example/clinic', CLINIC_ALLOW_INSECURE_DATABASE: '1' };
    expect(chooseDatabaseTarget(allowed, settings, dataDir, secrets)).toMatchObject({ mode: 'server' });
    expect(connectionWarning(allowed, settings)).toMatch(/db\.hospital\.example is not verified TLS/);
    expect(chooseDatabaseTarget({ DATABASE_URL: inject('clusterUrl') }, settings, dataDir, secrets)).toMatchObject({ mode: 'server' }); // loopback
  });
});

describe('TLS settings on the form', () => {
  it('asks for a full CA file path, names an unreadable one, and says when the server offers no TLS', async () => {
    await fs.rm(settingsFile(), { force: true });
    const core = await coreWith(memorySecrets());
    const save = (extra: object) =>
      core.dispatch('admin-window', 'settings/save-database', {
        target: 'server',
        server: { ...server(), ssl: true, ...extra },
        password: inject('appLoginPassword'),
      });
    expect(await save({ caFile: 'certs/ca.pem' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', issues: [{ path: 'server.caFile' }] },
    });
    expect(await save({ caFile: path.join(dataDir, 'missing-ca.pem') })).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: expect.stringContaining('cannot be read'), issues: [{ path: 'server.caFile' }] },
    });
    // The test cluster has no TLS: verify-full does not fall back to a plain connection.
    expect(await save({})).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: 'The server does not offer an encrypted connection.', issues: [{ path: 'server.ssl' }] },
    });
    await expect(fs.stat(settingsFile())).rejects.toThrow();
    await core.close();
  });
});
