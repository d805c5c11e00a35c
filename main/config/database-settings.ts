import pg from 'pg';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSettingsView, HospitalServer, TerminalIdentity } from '../../contract/index.js';
import type { ConnectionOptions } from '../db/connection.js';
import { InsecureConnectionRefused, secureConnection, type SecuredConnection } from '../db/connection-security.js';
import { failure } from '../shared/failure.js';
import { connectionWarning } from './configured-connection.js';
import type { SecretStore } from '../shared/secret-store.js';
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
    connectionWarning: connectionWarning(deps.env, settings),
  };
}

export async function saveTerminalIdentity(deps: DatabaseSettingsDeps, terminal: TerminalIdentity): Promise<void> {
  const settings = await readSettings(deps.dataDir);
  await writeSettings(deps.dataDir, {
    ...settings,
    terminalName: terminal.name,
    terminalRole: terminal.role,
    terminalDepartmentId: terminal.departmentId,
  });
}

const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * The connection the form asks for, under the same rule every connection obeys; only the form's
 * own "allow" box (not the environment) lets a server on another computer go without TLS here,
 * so what is saved records an administrator's decision.
 */
function checkedConnection(server: HospitalServer): SecuredConnection {
  if (server.caFile !== null && !path.isAbsolute(server.caFile)) {
    throw failure('Validation', 'Give the full path of the CA certificate file.', [
      { path: 'server.caFile', message: 'Use a full path, such as C:\\certs\\hospital-ca.pem.' },
    ]);
  }
  const options: ConnectionOptions = { ...server };
  try {
    return secureConnection(options, {});
  } catch (error) {
    if (error instanceof InsecureConnectionRefused) {
      const message = `${server.host} is on another computer: turn on the encrypted connection, or allow an unencrypted one.`;
      throw failure('Validation', 'A server on another computer needs an encrypted connection with a checked certificate.', [
        { path: 'server.ssl', message },
      ]);
    }
    throw failure('Validation', (error as Error).message, [{ path: 'server.caFile', message: (error as Error).message }]);
  }
}

/** Connects once with the given credentials and checks the role cannot bypass row level security. */
async function probeServer(server: HospitalServer, password: string): Promise<void> {
  const client = new pg.Client({ ...checkedConnection(server).config, password, connectionTimeoutMillis: 4000 });
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '28P01' || code === '28000') throw failure('Validation', 'The server refused that user name or password.');
    if (code === '3D000') throw failure('Validation', `The server has no database called "${server.database}".`);
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      throw failure('Validation', `The server's certificate is not issued for "${server.host}".`, [
        { path: 'server.host', message: 'Use the name the certificate was issued for.' },
      ]);
    }
    if (code && TLS_UNTRUSTED.has(code)) {
      throw failure('Validation', "The server's certificate is not from a trusted authority.", [
        { path: 'server.caFile', message: "Give the hospital's CA certificate file." },
      ]);
    }
    if (code === 'CERT_HAS_EXPIRED') throw failure('Validation', "The server's certificate has expired. Ask IT to renew it.");
    if (/does not support SSL/.test((error as Error).message)) {
      throw failure('Validation', 'The server does not offer an encrypted connection.', [
        { path: 'server.ssl', message: 'Ask IT to turn on TLS on the database server.' },
      ]);
    }
    throw failure('Unavailable', `Could not reach ${server.host}:${server.port}. Check the name, port and network.`);
  }
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
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
  checkedConnection(request.server); // refused before any password is asked for or sent
  const account = serverSecretAccount(request.server);
  let password = request.password;
  if (password === undefined) {
    try {
      password = deps.secrets.read(account) ?? undefined;
    } catch {
      password = undefined;
    }
    if (password === undefined)
      throw failure('Validation', 'Enter the database password.', [{ path: 'password', message: 'Enter the database password.' }]);
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
