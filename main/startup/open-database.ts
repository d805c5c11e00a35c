import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import type { DemoAccounts, SystemStatus } from '../../contract/schemas.js';
import { ensureAppLoginRole } from '../db/app-login-role.js';
import { createKysely, createPool, type ConnectionOptions } from '../db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../db/embedded-server.js';
import { createMigrator, migrateToLatest, migrationStatus } from '../db/migrator.js';
import { DEMO_USERS } from '../seed/reference-data.js';
import { seedDemoData } from '../seed/seed-demo-data.js';

/** Where the secrets come from: the OS keychain in the app (see config/keychain.ts). */
export interface SecretStore {
  read(account: string): string | null;
  save(account: string, secret: string): void;
}

export type DatabaseTarget =
  | { mode: 'embedded'; dataDir: string }
  | { mode: 'server'; connection: ConnectionOptions };

export interface OpenedDatabase {
  mode: SystemStatus['mode'];
  pool: pg.Pool;
  demoAccounts: DemoAccounts | null;
  close(): Promise<void>;
}

export class MigrationRefused extends Error {}

const APP_LOGIN_ROLE = 'clinic_workstation';
/** Keychain account of the key that encrypts patients.medical_history. */
export const MEDICAL_HISTORY_KEY = 'medical-history-key';
const DEMO_PATIENTS = 2000;

/**
 * Embedded: start PostgreSQL in the data folder, migrate it as the owner, load demo data the first
 * time, and hand back a pool for the app's login role (a fresh random password on every start,
 * so that password exists only in this process's memory).
 */
export async function openEmbeddedDatabase(dataDir: string, secrets: SecretStore, migrationsDir: string, log: (l: string) => void): Promise<OpenedDatabase> {
  let superuserPassword = secrets.read('embedded-postgres-superuser');
  if (!superuserPassword) {
    superuserPassword = randomBytes(24).toString('base64url');
    secrets.save('embedded-postgres-superuser', superuserPassword);
  }
  const server: EmbeddedServer = await startEmbeddedServer({ dataDir: path.join(dataDir, 'postgres'), superuserPassword, onLog: log });
  const ownerUrl = (db: string) => `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${db}`;
  try {
    const admin = createPool({ connectionString: ownerUrl('postgres'), max: 1 });
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'clinic'`);
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE clinic');
    await admin.end();

    const ownerPool = createPool({ connectionString: ownerUrl('clinic'), max: 1 });
    const ownerDb = createKysely(ownerPool);
    try {
      await migrateToLatest(createMigrator(ownerDb, migrationsDir));
    } catch (error) {
      throw new MigrationRefused((error as Error).message);
    }
    let demoAccounts: DemoAccounts | null = null;
    const hasUsers = await ownerPool.query('SELECT 1 FROM users LIMIT 1');
    if (hasUsers.rowCount === 0) {
      const demoPassword = randomBytes(9).toString('base64url');
      secrets.save('demo-password', demoPassword);
      await seedDemoData(ownerPool, { patients: DEMO_PATIENTS, demoPassword });
    }
    // The local database's medical-history key: made once, kept in the keychain, never in the database.
    if (!secrets.read(MEDICAL_HISTORY_KEY)) secrets.save(MEDICAL_HISTORY_KEY, randomBytes(32).toString('base64url'));
    const demoPassword = secrets.read('demo-password');
    if (demoPassword) demoAccounts = { emails: DEMO_USERS.map((u) => u.email), password: demoPassword };

    const appPassword = randomBytes(24).toString('base64url');
    await ensureAppLoginRole(ownerPool, APP_LOGIN_ROLE, appPassword);
    await ownerDb.destroy();

    const pool = createPool({ host: server.host, port: server.port, database: 'clinic', user: APP_LOGIN_ROLE, password: appPassword });
    return {
      mode: 'embedded',
      pool,
      demoAccounts,
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

/**
 * A hospital server: connect as the configured login role. The app does not migrate a shared
 * server (a DBA runs `npm run migrate`), but refuses to run against a schema that is behind, and
 * refuses a role that could bypass row level security.
 */
export async function openServerDatabase(connection: ConnectionOptions, migrationsDir: string): Promise<OpenedDatabase> {
  const pool = createPool(connection);
  const close = async () => void (await pool.end().catch(() => undefined));
  let role: { rolsuper: boolean; rolbypassrls: boolean } | undefined;
  try {
    role = (await pool.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`)).rows[0];
  } catch {
    // Unreachable at start: the app still opens and the status bar says so.
    return { mode: 'server', pool, demoAccounts: null, close };
  }
  if (role?.rolsuper || role?.rolbypassrls) {
    await close();
    throw new MigrationRefused('The configured database user can bypass row level security. Use a login role that is a member of clinic_app.');
  }
  const pending = (await migrationStatus(createMigrator(createKysely(pool), migrationsDir)).catch(() => [])).filter((m) => !m.executedAt);
  if (pending.length > 0) {
    await close();
    throw new MigrationRefused(`The hospital database is missing migration(s) ${pending.map((m) => m.name).join(', ')}. Ask the database administrator to run: npm run migrate -- --all`);
  }
  return { mode: 'server', pool, demoAccounts: null, close };
}
