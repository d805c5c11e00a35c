// What `npm start` does before a window opens, without Electron: the embedded database's first run
// and restart, and the checks made on a hospital server. Real PostgreSQL throughout; not real here:
// the keychain (an in-memory stand-in; tests/security/keychain.test.ts covers the real one).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { MigrationRefused, openEmbeddedDatabase, openServerDatabase } from '../../main/startup/open-database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function memorySecrets() {
  const store = new Map<string, string>();
  return { store, read: (a: string) => store.get(a) ?? null, save: (a: string, s: string) => void store.set(a, s) };
}

async function tempDir(label: string) {
  // 0755 so PostgreSQL, run as user postgres when we are root, can reach the cluster below it.
  const dir = path.join(os.tmpdir(), `clinic-${label}-${process.pid}-${Date.now()}`);
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('embedded database start-up', () => {
  it('creates, migrates and fills a demo database on first run, and reuses it on the next start', async () => {
    const dataDir = await tempDir('first-run');
    const secrets = memorySecrets();
    const first = await openEmbeddedDatabase(dataDir, secrets, MIGRATIONS, () => undefined);
    cleanups.push(() => first.close());
    expect(first.mode).toBe('embedded');
    expect(first.demoAccounts?.emails).toContain('nurse@demo.clinic');
    expect([...secrets.store.keys()].sort()).toEqual([
      'demo-password',
      'embedded-postgres-owner',
      'embedded-postgres-superuser',
      'medical-history-key',
    ]);

    // The app's pool is the non-owner role, and sign-in works with the demo password.
    const {
      rows: [role],
    } = await first.pool.query(`SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ name: 'clinic_workstation', rolsuper: false, rolbypassrls: false });
    const core = createAppCore({ pool: first.pool, mode: 'embedded', logInternal: () => undefined });
    expect(
      await core.dispatch('w', 'session/sign-in', { email: 'nurse@demo.clinic', password: first.demoAccounts!.password }),
    ).toMatchObject({ ok: true });
    const countPatients = (pool: typeof first.pool) =>
      asUser(pool, 'admin@demo.clinic', async (c) => Number((await c.query('SELECT count(*) FROM patients')).rows[0].count));
    const patients = await countPatients(first.pool);
    expect(patients).toBe(2000);
    // Without a user context, row level security shows the app nothing.
    expect(Number((await first.pool.query('SELECT count(*) FROM patients')).rows[0].count)).toBe(0);
    await core.close();
    await first.close();
    cleanups.pop();

    // Restart: same folder, same keychain: no second demo load, data kept, new app-role password.
    const second = await openEmbeddedDatabase(dataDir, secrets, MIGRATIONS, () => undefined);
    cleanups.push(() => second.close());
    expect(await countPatients(second.pool)).toBe(patients);
    expect(second.demoAccounts?.password).toBe(first.demoAccounts?.password);
  }, 120_000);

  it('refuses to start on a failed migration and says which one', async () => {
    const dataDir = await tempDir('bad-migration');
    const migrations = await tempDir('bad-migrations');
    for (const f of await fs.readdir(MIGRATIONS)) await fs.copyFile(path.join(MIGRATIONS, f), path.join(migrations, f));
    await fs.writeFile(path.join(migrations, '099_broken.sql'), 'ALTER TABLE no_such_table ADD COLUMN x int;');
    const secrets = memorySecrets();
    await expect(openEmbeddedDatabase(dataDir, secrets, migrations, () => undefined)).rejects.toThrow(MigrationRefused);
    // Again, as the next start would: still refused, naming the migration, and the server stopped each time.
    await expect(openEmbeddedDatabase(dataDir, secrets, migrations, () => undefined)).rejects.toThrow(/Migration 099_broken failed/);
  }, 120_000);
});

describe('hospital server start-up', () => {
  let database: TestDatabase;
  afterAll(() => database?.drop());

  it('opens as a clinic_app member on an up-to-date schema', async () => {
    database = await createTestDatabase('clinic_migrated');
    const opened = await openServerDatabase({ connectionString: database.appUrl }, MIGRATIONS);
    expect(opened.mode).toBe('server');
    expect(opened.demoAccounts).toBeNull();
    await opened.close();
  });

  it('refuses a role that can bypass row level security', async () => {
    await expect(openServerDatabase({ connectionString: database.ownerUrl }, MIGRATIONS)).rejects.toThrow(/bypass row level security/);
  });

  it('refuses a schema that is behind the app, naming the missing migrations', async () => {
    const migrations = await tempDir('ahead-migrations');
    for (const f of await fs.readdir(MIGRATIONS)) await fs.copyFile(path.join(MIGRATIONS, f), path.join(migrations, f));
    await fs.writeFile(path.join(migrations, '099_future.sql'), 'SELECT 1;');
    await expect(openServerDatabase({ connectionString: database.appUrl }, migrations)).rejects.toThrow(
      /missing migration\(s\) 099_future/,
    );
  });

  it('still opens (to say "unreachable") when the server is down', async () => {
    const url = new URL(inject('clusterUrl'));
    const opened = await openServerDatabase(
      { host: url.hostname, port: 1, user: 'x', password: 'y', database: 'z', connectionTimeoutMillis: 300 },
      MIGRATIONS,
    );
    const core = createAppCore({ pool: opened.pool, mode: 'server', logInternal: () => undefined });
    expect((await core.monitor.check()).database).toBe('unreachable');
    await core.close();
    await opened.close();
  });
});
