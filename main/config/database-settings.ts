import pg from 'pg';
import os from 'node:os';
import type { DatabaseSettingsView, HospitalServer, TerminalIdentity } from '../../contract/schemas.js';
import { failure } from '../ipc/failure.js';
import type { SecretStore } from '../startup/open-database.js';
import { KeychainUnavailable } from './keychain.js';
import { readSettings, serverSecretAccount, writeSettings } from './settings.js';

export interface DatabaseSettingsDeps {
  dataDir: string;
  secrets: SecretStore & { remove?(account: string): void };
  activeMode: 'embedded' | 'server';
  env: NodeJS.ProcessEnv;
}

const hasSecret = (secrets: SecretStore, account: string) => {
  try {
    return secrets.read(account) !== null;
  } catch {
    return false;
  }
};

export async function getDatabaseSettings(deps: DatabaseSettingsDeps): Promise<DatabaseSettingsView & { terminal: TerminalIdentity }> {
  const settings = await readSettings(deps.dataDir);
  const server = settings.hospitalServer;
  return {
    terminal: { name: settings.terminalName || os.hostname(), role: settings.terminalRole, departmentId: settings.terminalDepartmentId },
    activeMode: deps.activeMode,
    overriddenByEnvironment: Boolean(deps.env.DATABASE_URL),
    hospitalServer: server,
    passwordStored: server ? hasSecret(deps.secrets, serverSecretAccount(server)) : false,
  };
}

export async function saveTerminalIdentity(deps: DatabaseSettingsDeps, terminal: TerminalIdentity): Promise<void> {
  const settings = await readSettings(deps.dataDir);
  await writeSettings(deps.dataDir, { ...settings, terminalName: terminal.name, terminalRole: terminal.role, terminalDepartmentId: terminal.departmentId });
}

/** Connects once with the given credentials and checks the role cannot bypass row level security. */
async function probeServer(server: HospitalServer, password: string): Promise<void> {
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password,
    ssl: server.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: 4000,
  });
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '28P01' || code === '28000') throw failure('Validation', 'The server refused that user name or password.');
    if (code === '3D000') throw failure('Validation', `The server has no database called "${server.database}".`);
    throw failure('Unavailable', `Could not reach ${server.host}:${server.port}. Check the name, port and network.`);
  }
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user');
    if (rows[0]?.rolsuper || rows[0]?.rolbypassrls) {
      throw failure('Validation', 'That database user can bypass row level security. Use a login role that is a member of clinic_app.');
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Tests the server with the credentials first; only then stores the password in the OS keychain
 * and the rest in settings.json. Nothing is written when any step fails.
 */
export async function saveDatabaseSettings(
  deps: DatabaseSettingsDeps,
  request: { target: 'embedded' } | { target: 'server'; server: HospitalServer; password?: string | undefined },
): Promise<void> {
  const settings = await readSettings(deps.dataDir);
  if (request.target === 'embedded') {
    await writeSettings(deps.dataDir, { ...settings, hospitalServer: null });
    return;
  }
  const account = serverSecretAccount(request.server);
  let password = request.password;
  if (password === undefined) {
    try {
      password = deps.secrets.read(account) ?? undefined;
    } catch {
      password = undefined;
    }
    if (password === undefined) throw failure('Validation', 'Enter the database password.', [{ path: 'password', message: 'Enter the database password.' }]);
  }
  await probeServer(request.server, password);
  try {
    deps.secrets.save(account, password);
  } catch (error) {
    if (error instanceof KeychainUnavailable) throw failure('Unavailable', error.message);
    throw error;
  }
  await writeSettings(deps.dataDir, { ...settings, hospitalServer: request.server });
}
