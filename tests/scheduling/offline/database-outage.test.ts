// The database stopped and started mid-session (a real embedded PostgreSQL of its own): main notices
// within 5 s, tells the window, answers Unavailable instead of failing, and carries on by itself
// when the database is back — same session, no restart.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemStatus } from '../../../contract/index.js';
import { createAppCore } from '../../../main/app-core.js';
import { ensureAppLoginRole } from '../../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../../main/db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../../main/db/embedded-server.js';
import { createMigrator, migrateToLatest } from '../../../main/db/migrator.js';
import { seedDemoData } from '../../../main/seed/seed-demo-data.js';
import { memorySecretStore } from '../../support/memory-secrets.js';

const root = path.join(os.tmpdir(), `clinic-outage-${process.pid}`);
const superuserPassword = randomBytes(12).toString('hex');
const appPassword = randomBytes(12).toString('hex');
const demoPassword = randomBytes(9).toString('base64url');
let server: EmbeddedServer;
let port: number;

const start = async () => startEmbeddedServer({ dataDir: path.join(root, 'db'), superuserPassword, port, settings: { fsync: 'off' } });

beforeAll(async () => {
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  server = await startEmbeddedServer({ dataDir: path.join(root, 'db'), superuserPassword, settings: { fsync: 'off' } });
  port = server.port;
  const admin = createPool({ host: server.host, port, user: server.user, password: superuserPassword, database: 'postgres', max: 1 });
  await admin.query('CREATE DATABASE clinic');
  await admin.end();
  const owner = createPool({ host: server.host, port, user: server.user, password: superuserPassword, database: 'clinic', max: 1 });
  await migrateToLatest(createMigrator(createKysely(owner), path.resolve(import.meta.dirname, '../../../migrations')));
  await ensureAppLoginRole(owner, 'clinic_outage_app', appPassword);
  await seedDemoData(owner, { patients: 50, demoPassword });
  await owner.end();
}, 120_000);
afterAll(async () => {
  await server?.stop().catch(() => undefined);
  await fs.rm(root, { recursive: true, force: true });
});

describe('database outage mid-session', () => {
  it('goes Offline within 5 s of the database stopping, and back Online by itself when it returns', async () => {
    const pool = createPool({
      host: '127.0.0.1',
      port,
      user: 'clinic_outage_app',
      password: appPassword,
      database: 'clinic',
      connectionTimeoutMillis: 1000,
    });
    const pushed: SystemStatus['database'][] = [];
    const offlineDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outage-desk-'));
    const core = createAppCore({
      pool,
      mode: 'embedded',
      terminal: { name: 'outage-desk', role: 'front_desk' },
      offline: { dir: offlineDir, key: randomBytes(32), secrets: memorySecretStore() },
      logInternal: () => undefined,
      onStatusChange: (s) => pushed.push(s.database),
    });
    core.startTimers();
    await expect.poll(() => core.monitor.current().database, { timeout: 5000 }).toBe('connected');
    expect((await core.dispatch('desk', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: demoPassword })).ok).toBe(true);
    expect((await core.dispatch('desk', 'patients/get-patient', { patientId: 1 })).ok).toBe(true);

    await server.stop();
    const stoppedAt = Date.now();
    await expect.poll(() => core.monitor.current().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    console.info(`database stop noticed after ${Date.now() - stoppedAt} ms`);
    // Down: a clear answer where only the database can help, the same session, nothing thrown.
    expect(
      await core.dispatch('desk', 'session/change-password', { currentPassword: demoPassword, newPassword: 'a new long password 1' }),
    ).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    expect(await core.dispatch('desk', 'session/get-current', {})).toMatchObject({
      ok: true,
      value: { user: { email: 'frontdesk@demo.clinic' } },
    });
    // The front desk goes on: a walk-in is saved on this terminal.
    const walkIn = await core.dispatch('desk', 'patients/register-patient', {
      firstName: 'Outage',
      lastName: 'Walkin',
      dateOfBirth: '1977-07-07',
    });
    expect(walkIn).toMatchObject({ ok: true, value: { status: 'registered', patient: { queued: true } } });
    expect(core.status().waitingChanges).toBe(1);

    server = await start();
    const startedAt = Date.now();
    await expect.poll(() => core.monitor.current().database, { timeout: 5000, interval: 50 }).toBe('connected');
    console.info(`database return noticed after ${Date.now() - startedAt} ms`);
    expect((await core.dispatch('desk', 'patients/get-patient', { patientId: 1 })).ok).toBe(true);
    // …and sends what waited, by itself.
    await expect.poll(() => core.status().waitingChanges, { timeout: 10_000 }).toBe(0);
    const check = createPool({ host: '127.0.0.1', port, user: server.user, password: superuserPassword, database: 'clinic', max: 1 });
    expect(
      (await check.query(`SELECT count(*)::int AS n FROM patients WHERE last_name = 'Walkin' AND first_name = 'Outage'`)).rows[0].n,
    ).toBe(1);
    await check.end();
    expect(pushed.filter((state, i) => state !== pushed[i - 1])).toEqual(['connected', 'unreachable', 'connected']);
    await core.close();
    await pool.end();
    await fs.rm(offlineDir, { recursive: true, force: true });
  }, 60_000);
});
