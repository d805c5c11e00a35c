// The embedded database's owner on upgrade. An earlier version migrated (001–014) and seeded as the
// embedded superuser, so every table and SECURITY DEFINER function belonged to "postgres" — a hijacked
// function then ran as the OS user of the server. The next start hands the schema to clinic_owner
// (not superuser) once, migrates the rest as it, and keeps the data; a start after that changes nothing.
// Not real here: the keychain (an in-memory stand-in, as in startup.test.ts).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { ensureAppLoginRole } from '../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { startEmbeddedServer } from '../../main/db/embedded-server.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';
import { openEmbeddedDatabase } from '../../main/startup/open-database.js';
import { asUser } from '../support/user-context.js';
import { DEFINER_OWNER_ROLES } from '../support/definer-owners.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const PATIENTS = 200;
const root = path.join(os.tmpdir(), `clinic-embedded-owner-${process.pid}-${randomBytes(4).toString('hex')}`);
const store = new Map<string, string>();
const secrets = { read: (a: string) => store.get(a) ?? null, save: (a: string, s: string) => void store.set(a, s) };
const demoPassword = randomBytes(9).toString('base64url');

/** Everything in public not owned by clinic_owner or one of its NOLOGIN definer roles (extensions' members aside). */
const foreignOwned = async (pool: pg.Pool) =>
  (
    await pool.query(
      `
  SELECT o.kind || ' ' || o.name || ' -> ' || pg_get_userbyid(o.owner) AS object FROM (
    SELECT 'relation' AS kind, c.oid::regclass::text AS name, c.relowner AS owner, c.oid, 'pg_class'::regclass AS classid
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
    UNION ALL
    SELECT CASE WHEN p.prosecdef THEN 'definer' ELSE 'function' END, p.oid::regprocedure::text, p.proowner, p.oid, 'pg_proc'::regclass
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace) o
  WHERE pg_get_userbyid(o.owner) <> ALL ($1::text[])
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e')
  ORDER BY 1`,
      [DEFINER_OWNER_ROLES],
    )
  ).rows.map((r) => r.object as string);

beforeAll(async () => {
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  // The earlier version: superuser password in the keychain, everything done as that superuser.
  const superuserPassword = randomBytes(18).toString('base64url');
  secrets.save('embedded-postgres-superuser', superuserPassword);
  secrets.save('demo-password', demoPassword);
  const server = await startEmbeddedServer({ dataDir: path.join(root, 'postgres'), superuserPassword, settings: { fsync: 'off' } });
  try {
    const superuser = (database: string) =>
      createPool({ host: server.host, port: server.port, user: server.user, password: superuserPassword, database, max: 1 });
    const admin = superuser('postgres');
    await admin.query('CREATE DATABASE clinic');
    await admin.end();
    const oldMigrations = path.join(root, 'migrations-001-014');
    await fs.mkdir(oldMigrations);
    for (const f of (await fs.readdir(MIGRATIONS)).filter((f) => /^0(0\d|1[0-4])_/.test(f)))
      await fs.copyFile(path.join(MIGRATIONS, f), path.join(oldMigrations, f));
    const owner = superuser('clinic');
    await migrateToLatest(createMigrator(createKysely(owner), oldMigrations));
    await ensureAppLoginRole(owner, 'clinic_workstation', randomBytes(18).toString('base64url'));
    await seedDemoData(owner, { patients: PATIENTS, demoPassword });
    const before = await owner.query(
      `SELECT count(*)::int AS n FROM pg_proc WHERE prosecdef AND pronamespace = 'public'::regnamespace AND pg_get_userbyid(proowner) = 'postgres'`,
    );
    expect(before.rows[0].n).toBeGreaterThan(0); // the state this test is about
    await owner.end();
  } finally {
    await server.stop();
  }
}, 120_000);
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('embedded database made by an earlier version (owned by the superuser)', () => {
  it('passes to clinic_owner on the next start, which migrates the rest as a non-superuser and keeps the data', async () => {
    const opened = await openEmbeddedDatabase(root, secrets, MIGRATIONS, () => undefined);
    try {
      expect(store.has('embedded-postgres-owner')).toBe(true);
      expect(await foreignOwned(opened.pool)).toEqual([]);
      const {
        rows: [database],
      } = await opened.pool.query(`
        SELECT pg_get_userbyid(d.datdba) AS owner, r.rolsuper, r.rolbypassrls
        FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = current_database()`);
      expect(database).toEqual({ owner: 'clinic_owner', rolsuper: false, rolbypassrls: false });
      const files = (await fs.readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).length;
      expect((await opened.pool.query('SELECT count(*)::int AS n FROM kysely_migration')).rows[0].n).toBe(files);

      // Stock held on the lots before 020 got its opening-balance ledger rows: every lot equals its ledger sum.
      const outOfStep = await asUser(opened.pool, 'admin@demo.clinic', (c) =>
        c.query(`
          SELECT l.lot_id FROM medicine_lots l LEFT JOIN pharmacy p ON p.lot_id = l.lot_id
          GROUP BY l.lot_id HAVING l.quantity_on_hand <> COALESCE(sum(p.quantity), 0)`),
      );
      expect(outOfStep.rows).toEqual([]);
      expect(
        (await opened.pool.query('SELECT count(*)::int AS n FROM medicine_lots WHERE quantity_on_hand > 0')).rows[0].n,
      ).toBeGreaterThan(0);
      // The data and the demo accounts came through; sign-in (record_auth_event now runs as clinic_owner) works.
      expect(
        await asUser(opened.pool, 'admin@demo.clinic', async (c) => (await c.query('SELECT count(*)::int AS n FROM patients')).rows[0].n),
      ).toBe(PATIENTS);
      const core = createAppCore({ pool: opened.pool, mode: 'embedded', logInternal: () => undefined });
      expect(await core.dispatch('w', 'session/sign-in', { email: 'nurse@demo.clinic', password: demoPassword })).toMatchObject({
        ok: true,
      });
      await core.close();
    } finally {
      await opened.close();
    }

    // The hand-over happens once: the next start finds nothing to adopt and nothing to migrate.
    const again = await openEmbeddedDatabase(root, secrets, MIGRATIONS, () => undefined);
    try {
      expect(await foreignOwned(again.pool)).toEqual([]);
      expect(again.demoAccounts?.password).toBe(demoPassword);
    } finally {
      await again.close();
    }
  }, 120_000);
});
