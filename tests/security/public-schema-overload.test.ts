// The overload attack of the 018 review: where PUBLIC may create in schema public (a cluster
// pg_upgraded from PostgreSQL 14 or older), a terminal's login made public.to_jsonb(r patients); the
// audit trigger (SECURITY DEFINER) called to_jsonb(OLD) unqualified, chose that exact-type overload,
// and ran the login's code as clinic_owner. Performed here as the app's login on a database migrated
// to 017 (the attack works), then 018 (it does not), plus the catalog guard and main's startup check.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest, migrateUpTo } from '../../main/db/migrator.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';
import { openServerDatabase } from '../../main/startup/open-database.js';
import { createDatabase } from '../../scripts/lib/scratch-cluster.js';
import { APP_LOGIN } from '../support/global-setup.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

const migrationsDir = path.resolve(import.meta.dirname, '../../migrations');
const name = `overload_${randomBytes(5).toString('hex')}`;
let owner: pg.Pool;
let app: pg.Pool;
let appUrl: string;

const overload = `CREATE FUNCTION public.to_jsonb(r public.patients) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO public.overload_ran (run_as) SELECT current_user; SELECT '{}'::jsonb $$`;
const ranAs = async () => (await owner.query<{ run_as: string }>('SELECT run_as FROM overload_ran ORDER BY 1')).rows.map((r) => r.run_as);
/** What the front desk may do to a patient, which fires the audit trigger. */
const touchPatient = () =>
  asUser(
    app,
    'frontdesk@demo.clinic',
    (c) => c.query(`UPDATE patients SET contact_number = '555-0100' WHERE patient_id = (SELECT min(patient_id) FROM patients)`),
    true,
  );

beforeAll(async () => {
  const ownerCluster = inject('ownerClusterUrl');
  await createDatabase(`${ownerCluster}postgres`, name); // by clinic_owner, so it owns the database and its schema public
  owner = createPool({ connectionString: `${ownerCluster}${name}`, max: 1 });
  const ownerDb = createKysely(createPool({ connectionString: `${ownerCluster}${name}`, max: 1 }));
  await migrateUpTo(createMigrator(ownerDb, migrationsDir), '017');
  await ownerDb.destroy();
  await seedDemoData(owner, { patients: 30, demoPassword: randomBytes(9).toString('base64url'), today: new Date() });
  // A history written before 018: its ciphertext sits in the audit trail until 019 cleans it.
  await asUser(
    owner,
    'doctor@demo.clinic',
    (c) =>
      c.query(
        `SELECT write_medical_history((SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = 'GM' ORDER BY patient_id LIMIT 1), $1, $2)`,
        ['Written at 017.', 'overload-test-medical-history-key-0123456789'],
      ),
    true,
  );
  // What a pg_upgraded cluster has: anyone may create in public.
  await owner.query('GRANT CREATE ON SCHEMA public TO PUBLIC');
  const url = new URL(`${inject('clusterUrl')}${name}`);
  url.username = APP_LOGIN;
  url.password = inject('appLoginPassword');
  appUrl = url.toString();
  app = createPool({ connectionString: appUrl, max: 2 });
}, 120_000); // every migration and a small seed

afterAll(async () => {
  await app?.end().catch(() => undefined);
  await owner?.end().catch(() => undefined);
  const admin = new pg.Client({ connectionString: `${inject('clusterUrl')}postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
});

describe('an overload planted in schema public', () => {
  it('ran as clinic_owner at 017; 018 refuses to run while it is there, then no login can plant one and the trigger calls pg_catalog', async () => {
    // The attack, as the login, at 017: it works (this is what 018 closes).
    await app.query('CREATE TABLE public.overload_ran (run_as name)');
    await app.query('GRANT INSERT, SELECT ON public.overload_ran TO PUBLIC');
    await app.query(overload);
    await touchPatient();
    const atAttack = await ranAs();
    expect(atAttack.length).toBeGreaterThan(0); // once for OLD, once for NEW
    expect(new Set(atAttack)).toEqual(new Set(['clinic_owner']));

    // 018 will not run over a schema with another role's functions in it: the DBA must look first.
    const ownerDb = createKysely(createPool({ connectionString: `${inject('ownerClusterUrl')}${name}`, max: 1 }));
    try {
      await expect(migrateToLatest(createMigrator(ownerDb, migrationsDir))).rejects.toThrow(/to_jsonb\(patients\)/);
      await app.query('DROP FUNCTION public.to_jsonb(public.patients)');
      // 018 and 019 first, then whatever later migrations there are.
      expect((await migrateToLatest(createMigrator(ownerDb, migrationsDir))).slice(0, 2)).toEqual([
        expect.stringMatching(/^018_/),
        expect.stringMatching(/^019_/),
      ]);
    } finally {
      await ownerDb.destroy();
    }

    // After 018 the login can no longer create there…
    await expect(app.query(overload)).rejects.toMatchObject({ code: '42501' });
    await expect(app.query('CREATE TABLE public.planted (x int)')).rejects.toMatchObject({ code: '42501' });
    // …and even an overload that exists (made here by the owner) is not what the trigger calls.
    await owner.query(overload);
    await touchPatient();
    expect(await ranAs()).toEqual(atAttack); // still only the rows from the attack at 017
    const { rows } = await asUser(app, 'admin@demo.clinic', (c) =>
      c.query(
        `SELECT new_values->>'contact_number' AS phone, db_login FROM audit_log WHERE table_name = 'patients' AND operation = 'UPDATE' ORDER BY log_id DESC LIMIT 1`,
      ),
    );
    expect(rows[0]).toEqual({ phone: '555-0100', db_login: APP_LOGIN });
    await app.query('DROP TABLE public.overload_ran'); // the login's own table: main would refuse a login that owns tables
  });

  it('019 (outside a transaction) left no ciphertext written before 018 in the audit trail, and FORCE back on', async () => {
    // Read as an administrator: the trail is FORCEd, so the owner alone sees none of it.
    const count = (where: string) =>
      asUser(owner, 'admin@demo.clinic', async (c) => (await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE ${where}`)).rows[0].n);
    expect(await count(`coalesce(old_values::text, '') || coalesce(new_values::text, '') LIKE '%BEGIN PGP%'`)).toBe(0);
    expect(
      await count(`table_name = 'patients' AND db_login IS NULL AND new_values->'medical_history' ? 'ciphertext_sha256'`),
    ).toBeGreaterThan(0); // written before 018
    const force = await owner.query(`SELECT relforcerowsecurity FROM pg_class WHERE oid = 'public.audit_log'::regclass`);
    expect(force.rows[0].relforcerowsecurity).toBe(true);
  });

  it('main refuses a server where its login may create in public or in the database, temporary objects included', async () => {
    const refused = /may create objects in (schema public|database)/;
    await owner.query(`GRANT CREATE ON SCHEMA public TO ${APP_LOGIN}`);
    await expect(openServerDatabase({ connectionString: appUrl }, migrationsDir)).rejects.toThrow(refused);
    await owner.query(`REVOKE CREATE ON SCHEMA public FROM ${APP_LOGIN}`);
    await owner.query(`GRANT CREATE ON DATABASE ${pg.escapeIdentifier(name)} TO ${APP_LOGIN}`);
    await expect(openServerDatabase({ connectionString: appUrl }, migrationsDir)).rejects.toThrow(/may create objects in database/);
    await owner.query(`REVOKE CREATE ON DATABASE ${pg.escapeIdentifier(name)} FROM ${APP_LOGIN}`);
    // Temporary objects too (045): a temporary table's trigger would make the login's writes look like a trigger's.
    await owner.query(`GRANT TEMPORARY ON DATABASE ${pg.escapeIdentifier(name)} TO ${APP_LOGIN}`);
    await expect(openServerDatabase({ connectionString: appUrl }, migrationsDir)).rejects.toThrow(
      /may create objects in database \S+ \(temporary objects\)/,
    );
    await owner.query(`REVOKE TEMPORARY ON DATABASE ${pg.escapeIdentifier(name)} FROM ${APP_LOGIN}`);
    // …also where it holds the right through a role it does not inherit from but may SET ROLE to (a review's finding).
    const superuser = new pg.Client({ connectionString: `${inject('clusterUrl')}${name}` });
    await superuser.connect();
    try {
      await superuser.query(`CREATE ROLE overload_temp_maker NOLOGIN`);
      await superuser.query(`GRANT TEMPORARY ON DATABASE ${pg.escapeIdentifier(name)} TO overload_temp_maker`);
      await superuser.query(`GRANT overload_temp_maker TO ${APP_LOGIN} WITH INHERIT FALSE, SET TRUE`);
      await expect(openServerDatabase({ connectionString: appUrl }, migrationsDir)).rejects.toThrow(
        /temporary objects as role overload_temp_maker/,
      );
    } finally {
      await superuser.query(`REVOKE overload_temp_maker FROM ${APP_LOGIN}`);
      await superuser.query(`REVOKE TEMPORARY ON DATABASE ${pg.escapeIdentifier(name)} FROM overload_temp_maker`);
      await superuser.query(`DROP ROLE overload_temp_maker`);
      await superuser.end();
    }
    const opened = await openServerDatabase({ connectionString: appUrl }, migrationsDir);
    await opened.close();
  });
});

describe('the catalog guard', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('clinic_migrated', 1);
  });
  afterAll(() => database.drop());

  it('no role but the owner of schema public (and superusers) may create in it or in the database', async () => {
    const { rows } = await database.ownerPool.query<{ rolname: string; on: string }>(`
      SELECT r.rolname, 'schema public' AS on FROM pg_roles r, pg_namespace n
       WHERE n.nspname = 'public' AND NOT r.rolsuper AND has_schema_privilege(r.oid, n.oid, 'CREATE')
         AND NOT pg_has_role(r.oid, n.nspowner, 'USAGE')
      UNION ALL
      SELECT r.rolname, 'database' FROM pg_roles r, pg_database d
       WHERE d.datname = current_database() AND NOT r.rolsuper AND has_database_privilege(r.oid, d.oid, 'CREATE')
         AND NOT pg_has_role(r.oid, d.datdba, 'USAGE')`);
    expect(rows).toEqual([]);
    const grants = await database.ownerPool.query(
      `SELECT a.grantee FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.privilege_type = 'CREATE' AND a.grantee <> n.nspowner`,
    );
    expect(grants.rows).toEqual([]);
  });
});
