// Deploying on a hospital server, as the README's "Database roles" tells a DBA to: Debian's
// PostgreSQL 15 (CI installs postgresql-15), a superuser that only creates the owner, its database
// and the extensions; every migration and the demo seed run as that owner, which is not superuser;
// the app connects as a per-terminal login in clinic_app. Before this, 009 failed here ("must be
// member of role clinic_phi", then "permission denied for schema public") and the seed failed
// ("COPY FROM not supported with row-level security").
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scramSha256Verifier } from '../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';
import { openServerDatabase } from '../../main/startup/open-database.js';
import { runMigrateCli } from '../../scripts/migrate.js';
import { binDir, hasBinaries, startSystemCluster, type SystemCluster } from '../support/system-postgres.js';
import { asUser } from '../support/user-context.js';
import { DEFINER_OWNER_ROLES } from '../support/definer-owners.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const OWNER = { user: 'clinic_owner', password: 'owner-pw-for-a-throwaway-cluster' };
const TERMINAL = { user: 'ward3_terminal', password: 'terminal-pw-for-a-throwaway-cluster' };
const PATIENTS = 300;
const available = hasBinaries(15);
const title = available
  ? 'deploying on PostgreSQL 15 as a non-superuser owner'
  : `deploying on PostgreSQL 15 — not run: no PostgreSQL 15 binaries in ${binDir(15)} (apt-get install postgresql-15)`;

// CI installs postgresql-15 (.ci/run) and sets CLINIC_REQUIRE_PG15: there missing binaries fail the run.
describe.skipIf(!available && !process.env.CLINIC_REQUIRE_PG15)(title, () => {
  let cluster: SystemCluster;
  let ownerUrl: string;
  let appPool: pg.Pool;
  const asSuperuser = async <T>(database: string, work: (c: pg.Client) => Promise<T>) => {
    const client = new pg.Client(cluster.superuser(database));
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    if (!available) throw new Error(`No PostgreSQL 15 binaries in ${binDir(15)}: .ci/run installs postgresql-15.`);
    cluster = await startSystemCluster(15, 'deploy-pg15');
    ownerUrl = cluster.login(OWNER.user, OWNER.password, 'clinic');
  }, 90_000);
  afterAll(async () => {
    await appPool?.end();
    await cluster?.stop();
  });

  it('the DBA creates the owner, its database and the extensions; the owner runs every migration', async () => {
    // The README's statements (the password as a SCRAM verifier, so no log holds it).
    await asSuperuser('postgres', async (dba) => {
      expect((await dba.query('SHOW server_version_num')).rows[0].server_version_num).toMatch(/^15/);
      await dba.query(`CREATE ROLE clinic_owner LOGIN CREATEROLE PASSWORD ${pg.escapeLiteral(scramSha256Verifier(OWNER.password))}`);
      await dba.query('CREATE DATABASE clinic OWNER clinic_owner');
    });
    await asSuperuser('clinic', async (dba) => {
      for (const extension of ['pgcrypto', 'btree_gist', 'pg_trgm']) await dba.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    });

    const pool = createPool({ connectionString: ownerUrl, max: 1 });
    const db = createKysely(pool);
    try {
      expect((await pool.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user')).rows[0]).toEqual({
        rolsuper: false,
        rolbypassrls: false,
      });
      const applied = await migrateToLatest(createMigrator(db, MIGRATIONS));
      expect(applied.length).toBeGreaterThanOrEqual(17);
    } finally {
      await db.destroy();
    }
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } as unknown as Console;
    expect(await runMigrateCli(['--check'], { DATABASE_URL: ownerUrl }, out)).toBe(0);
    expect(lines.at(-1)).toBe('Database is up to date.');
  }, 90_000);

  it('leaves nothing but the extensions owned by a superuser: SECURITY DEFINER functions run as the owner or its NOLOGIN roles', async () => {
    const owners = await asSuperuser(
      'clinic',
      async (dba) =>
        (
          await dba.query<{ kind: string; name: string; owner: string }>(`
      SELECT 'function' AS kind, p.oid::regprocedure::text AS name, pg_get_userbyid(p.proowner) AS owner FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      UNION ALL
      SELECT 'relation', c.oid::regclass::text, pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
        AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      UNION ALL
      SELECT 'definer', p.oid::regprocedure::text, pg_get_userbyid(p.proowner) FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef`)
        ).rows,
    );
    expect(owners.filter((o) => o.owner === 'postgres')).toEqual([]);
    const definers = owners.filter((o) => o.kind === 'definer');
    expect(definers.length).toBeGreaterThan(5);
    expect(new Set(definers.map((o) => o.owner))).toEqual(new Set(DEFINER_OWNER_ROLES));
    // On 15, CREATEROLE may grant predefined roles: 026 gave the monitoring role its two, and the chain sealed the trail.
    const monitor = await asSuperuser(
      'clinic',
      async (dba) =>
        (
          await dba.query(`SELECT pg_has_role('clinic_monitor', 'pg_monitor', 'USAGE') AS monitor, pg_has_role('clinic_monitor', 'pg_signal_backend', 'USAGE') AS signal,
                                (SELECT sealed FROM audit_chain_head) AS sealed`)
        ).rows[0],
    );
    expect(monitor).toEqual({ monitor: true, signal: true, sealed: true });
  });

  it('loads the demo data as the owner, under FORCEd row level security', async () => {
    const owner = createPool({ connectionString: ownerUrl, max: 1 });
    try {
      const summary = await seedDemoData(owner, { patients: PATIENTS, demoPassword: 'demo-pw-for-a-throwaway-cluster', today: new Date() });
      expect(summary).toMatchObject({ patientsAdded: PATIENTS });
      expect(summary.appointmentsAdded).toBeGreaterThan(0);
      // The owner is no exception to FORCEd RLS: with no user context it sees no patient.
      expect((await owner.query('SELECT count(*)::int AS n FROM patients')).rows[0].n).toBe(0);
    } finally {
      await owner.end();
    }
    // One audit row stands for the load.
    const seedRows = await asSuperuser(
      'clinic',
      async (dba) => (await dba.query(`SELECT count(*)::int AS n FROM audit_log WHERE operation = 'SEED'`)).rows[0].n,
    );
    expect(seedRows).toBe(1);
  }, 60_000);

  it('a terminal login made by the owner (IN ROLE clinic_app) sees what its user may, and nothing without one', async () => {
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    await owner.query(
      `CREATE ROLE ${TERMINAL.user} LOGIN PASSWORD ${pg.escapeLiteral(scramSha256Verifier(TERMINAL.password))} IN ROLE clinic_app`,
    );
    await owner.end();
    const appUrl = cluster.login(TERMINAL.user, TERMINAL.password, 'clinic');
    appPool = createPool({ connectionString: appUrl, max: 2 });

    const opened = await openServerDatabase({ connectionString: appUrl }, MIGRATIONS);
    expect(opened.mode).toBe('server');
    await opened.close();
    await expect(openServerDatabase({ connectionString: ownerUrl }, MIGRATIONS)).rejects.toThrow(
      /owns the tables or can bypass row level security/,
    );

    const count = async (c: pg.ClientBase) => (await c.query('SELECT count(*)::int AS n FROM patients')).rows[0].n as number;
    expect(await count(appPool as unknown as pg.ClientBase)).toBe(0);
    expect(await asUser(appPool, 'admin@demo.clinic', count)).toBe(PATIENTS);
    const nurseSees = await asUser(appPool, 'nurse@demo.clinic', count);
    expect(nurseSees).toBeLessThan(PATIENTS);
    await expect(
      appPool.query(
        `INSERT INTO user_roles (user_id, role_id) SELECT u.user_id, r.role_id FROM users u, roles r WHERE u.email = 'nurse@demo.clinic' AND r.role_name = 'admin'`,
      ),
    ).rejects.toMatchObject({ code: '42501' });

    // clinic_phi's functions (009, 017) work here too: a doctor writes and reads a history.
    const written = await asUser(appPool, 'doctor@demo.clinic', async (c) => {
      const patientId = (await c.query('SELECT patient_id FROM patients ORDER BY patient_id LIMIT 1')).rows[0].patient_id as number;
      await c.query('SELECT write_medical_history($1, $2, $3)', [patientId, 'Penicillin allergy', 'k'.repeat(43)]);
      return (await c.query('SELECT read_medical_history($1, $2) AS h', [patientId, 'k'.repeat(43)])).rows[0].h as string;
    });
    expect(written).toBe('Penicillin allergy');
  }, 30_000);

  it('revoking a terminal: NOLOGIN, its sessions ended, then DROP ROLE', async () => {
    const held = await appPool.connect();
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    await owner.query(`ALTER ROLE ${TERMINAL.user} NOLOGIN`);
    // Ending other roles' sessions is the DBA's (or pg_signal_backend's) to do.
    await asSuperuser('postgres', (dba) =>
      dba.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [TERMINAL.user]),
    );
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    await appPool.end();
    appPool = undefined as never;
    const again = new pg.Client({ connectionString: cluster.login(TERMINAL.user, TERMINAL.password, 'clinic') });
    await expect(again.connect()).rejects.toMatchObject({ code: '28000' });
    await owner.query(`DROP ROLE ${TERMINAL.user}`);
    await owner.end();
  });
});
