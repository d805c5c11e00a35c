import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import type { DemoAccounts, SystemStatus } from '../../contract/index.js';
import { ensureAppLoginRole } from '../db/app-login-role.js';
import { createKysely, createPool, type ConnectionOptions } from '../db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../db/embedded-server.js';
import { createMigrator, migrateToLatest, migrationStatus } from '../db/migrator.js';
import { DEMO_USERS } from '../seed/reference-data.js';
import { seedDemoData } from '../seed/seed-demo-data.js';
import type { SecretStore } from '../shared/secret-store.js';
import { bootstrapDatabaseOwner, OWNER_ROLE, withClient } from './database-owner.js';

export type DatabaseTarget = { mode: 'embedded'; dataDir: string } | { mode: 'server'; connection: ConnectionOptions };

export interface OpenedDatabase {
  mode: SystemStatus['mode'];
  pool: pg.Pool;
  demoAccounts: DemoAccounts | null;
  /** The embedded server's own logins and folder, for its backups (main/backups); absent on a hospital's server. */
  embedded?: { clusterDir: string; superuserPassword: string; superuserUrl(database: string): string; ownerUrl(database: string): string };
  close(): Promise<void>;
}

export class MigrationRefused extends Error {}

/**
 * Wraps the embedded server's start. The backups feature plugs in its own (main/index.ts): under the backup
 * lock, an interrupted restore settled first, never an empty cluster over backups. Default: just start.
 */
export type EmbeddedStartGuard = <T>(appDataDir: string, clusterDir: string, start: () => Promise<T>) => Promise<T>;
const unguarded: EmbeddedStartGuard = (_appDataDir, _clusterDir, start) => start();

export const APP_LOGIN_ROLE = 'clinic_workstation';
/** Where the embedded server archives its WAL (main/backups reads it from here too). */
export const embeddedArchiveDir = (dataDir: string) => path.join(dataDir, 'backups', 'wal');
/** Keychain account of the key that encrypts patients.medical_history. */
export const MEDICAL_HISTORY_KEY = 'medical-history-key';
const DEMO_PATIENTS = 2000;

/**
 * Embedded: start PostgreSQL in the data folder. The superuser only bootstraps (the clinic_owner role,
 * the database it owns, the extensions, the app's login role); clinic_owner, not a superuser,
 * migrates and loads demo data the first time, so it owns every SECURITY DEFINER function. The app
 * gets a pool for its login role (a fresh random password on every start, so that password exists
 * only in this process's memory). Both kept passwords live in the keychain.
 */
export async function openEmbeddedDatabase(
  dataDir: string,
  secrets: SecretStore,
  migrationsDir: string,
  log: (l: string) => void,
  guardStart: EmbeddedStartGuard = unguarded,
): Promise<OpenedDatabase> {
  const superuserPassword = keptSecret(secrets, 'embedded-postgres-superuser');
  const ownerPassword = keptSecret(secrets, 'embedded-postgres-owner');
  const server: EmbeddedServer = await guardStart(dataDir, path.join(dataDir, 'postgres'), () =>
    startEmbeddedServer({
      dataDir: path.join(dataDir, 'postgres'),
      superuserPassword,
      archiveDir: embeddedArchiveDir(dataDir), // continuous WAL archiving: what point-in-time restore replays
      onLog: log,
    }),
  );
  const superuserUrl = (db: string) =>
    `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${db}`;
  try {
    // Also hands an older installation's superuser-owned objects to clinic_owner, once.
    await bootstrapDatabaseOwner({ superuserUrl, database: 'clinic', password: ownerPassword });
    // Admin → Database's top statements; only the embedded server is sure to preload the library.
    await withClient(superuserUrl('clinic'), (admin) => admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));

    const ownerPool = createPool({
      host: server.host,
      port: server.port,
      database: 'clinic',
      user: OWNER_ROLE,
      password: ownerPassword,
      max: 1,
    });
    const ownerDb = createKysely(ownerPool);
    try {
      try {
        await migrateToLatest(createMigrator(ownerDb, migrationsDir));
      } catch (error) {
        throw new MigrationRefused((error as Error).message);
      }
      // Asked as the superuser: row level security may hide users from the owner.
      const hasUsers = await withClient(
        superuserUrl('clinic'),
        async (admin) => (await admin.query('SELECT 1 FROM users LIMIT 1')).rowCount !== 0,
      );
      if (!hasUsers) {
        const demoPassword = randomBytes(9).toString('base64url');
        secrets.save('demo-password', demoPassword);
        await seedDemoData(ownerPool, { patients: DEMO_PATIENTS, demoPassword });
      }
    } finally {
      await ownerDb.destroy();
    }
    // The local database's medical-history key: made once, kept in the keychain, never in the database.
    if (!secrets.read(MEDICAL_HISTORY_KEY)) secrets.save(MEDICAL_HISTORY_KEY, randomBytes(32).toString('base64url'));
    const demoPassword = secrets.read('demo-password');
    const demoAccounts: DemoAccounts | null = demoPassword ? { emails: DEMO_USERS.map((u) => u.email), password: demoPassword } : null;

    // Admin → Database reads through clinic_monitor (026); from PostgreSQL 16 only a superuser may grant it these.
    await withClient(superuserUrl('clinic'), (admin) =>
      admin.query(
        `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_monitor') THEN GRANT pg_monitor, pg_signal_backend TO clinic_monitor; END IF; END $$`,
      ),
    );

    const appPassword = randomBytes(24).toString('base64url');
    // As the superuser: only it may switch statement logging off for the login (the key travels in its statements).
    await withClient(superuserUrl('clinic'), (admin) => ensureAppLoginRole(admin, APP_LOGIN_ROLE, appPassword));

    const pool = createPool({ host: server.host, port: server.port, database: 'clinic', user: APP_LOGIN_ROLE, password: appPassword });
    return {
      mode: 'embedded',
      pool,
      demoAccounts,
      embedded: {
        clusterDir: path.join(dataDir, 'postgres'),
        superuserPassword,
        superuserUrl,
        ownerUrl: (db: string) => `postgres://${OWNER_ROLE}:${encodeURIComponent(ownerPassword)}@${server.host}:${server.port}/${db}`,
      },
      async close() {
        await pool.end().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
}

/** A password made once and kept in the secret store (the OS keychain in the app). */
function keptSecret(secrets: SecretStore, account: string): string {
  const kept = secrets.read(account);
  if (kept) return kept;
  const made = randomBytes(24).toString('base64url');
  secrets.save(account, made);
  return made;
}

/**
 * A hospital server: connect as the configured login role. The app does not migrate a shared
 * server (a DBA runs `npm run migrate`), but refuses to run against a schema that is behind, and
 * refuses a role that could bypass row level security.
 */
export async function openServerDatabase(connection: ConnectionOptions, migrationsDir: string): Promise<OpenedDatabase> {
  const pool = createPool(connection);
  const close = async () => void (await pool.end().catch(() => undefined));
  let role: { rolsuper: boolean; rolbypassrls: boolean; owns_tables: boolean; creates_in: string | null } | undefined;
  try {
    // Every role the login may act as counts (SET ROLE reaches roles it does not inherit from).
    // An owner is subject to FORCEd row level security, but could switch it off: refused as well.
    role = (
      await pool.query(`WITH reachable AS (
          SELECT r.oid, r.rolname, r.rolsuper, r.rolbypassrls,
                 CASE WHEN r.rolname = current_user THEN '' ELSE ' as role ' || r.rolname END AS via
          FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'MEMBER'))
        SELECT bool_or(rolsuper) AS rolsuper, bool_or(rolbypassrls) AS rolbypassrls,
        EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
                AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owns_tables,
        -- Where it may create, a login can plant an overload that the app's calls or the definers' pick (migration 018).
        (SELECT string_agg(s, ', ') FROM (
           SELECT 'database ' || current_database() || r.via AS s FROM reachable r
           WHERE has_database_privilege(r.oid, current_database(), 'CREATE')
           UNION ALL
           -- A temporary table's trigger makes the login's own writes look like a trigger's to the guards (045).
           SELECT 'database ' || current_database() || ' (temporary objects' || r.via || ')' FROM reachable r
           WHERE has_database_privilege(r.oid, current_database(), 'TEMPORARY')
           UNION ALL
           SELECT 'schema ' || n.nspname || r.via FROM pg_namespace n, reachable r
           WHERE (n.nspname = 'public' OR n.nspname = ANY (current_schemas(false))) AND has_schema_privilege(r.oid, n.oid, 'CREATE')) places) AS creates_in
      FROM reachable`)
    ).rows[0];
  } catch {
    // Unreachable at start: the app still opens and the status bar says so.
    return { mode: 'server', pool, demoAccounts: null, close };
  }
  if (role?.rolsuper || role?.rolbypassrls || role?.owns_tables) {
    await close();
    throw new MigrationRefused(
      'The configured database user owns the tables or can bypass row level security. Use a login role that is a member of clinic_app.',
    );
  }
  if (role?.creates_in) {
    await close();
    throw new MigrationRefused(
      `The configured database user may create objects in ${role.creates_in}, so it could plant code that runs as the schema owner. Ask the database administrator to run migrations 018 and 045 as the database's owner (REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE TEMPORARY ON DATABASE … FROM PUBLIC) and revoke CREATE and TEMPORARY from this login.`,
    );
  }
  const pending = (await migrationStatus(createMigrator(createKysely(pool), migrationsDir)).catch(() => [])).filter((m) => !m.executedAt);
  if (pending.length > 0) {
    await close();
    throw new MigrationRefused(
      `The hospital database is missing migration(s) ${pending.map((m) => m.name).join(', ')}. Ask the database administrator to run: npm run migrate -- --all`,
    );
  }
  return { mode: 'server', pool, demoAccounts: null, close };
}
