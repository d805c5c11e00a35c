import type { Settings } from '../config/settings.js';
import { serverSecretAccount } from '../config/settings.js';
import type { ConnectionOptions } from '../db/connection.js';
import { secureConnection } from '../db/connection-security.js';
import { MigrationRefused, type DatabaseTarget, type SecretStore } from './open-database.js';

/** DATABASE_URL wins; then a hospital server from the settings screen; null: the embedded database. */
function configuredConnection(env: NodeJS.ProcessEnv, settings: Settings, password: (account: string) => string | undefined): ConnectionOptions | null {
  if (env.DATABASE_URL) return { connectionString: env.DATABASE_URL };
  const server = settings.hospitalServer;
  if (!server) return null;
  return {
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password: password(serverSecretAccount(server)),
    ssl: server.ssl,
    caFile: server.caFile,
    allowInsecure: server.allowInsecure,
  };
}

/**
 * Where this start of the app connects. A server on another computer without verified TLS, which
 * no administrator allowed, is refused here — the app does not start, and says why — rather than
 * sending the database password over the network (connection-security.ts holds the rule).
 */
export function chooseDatabaseTarget(env: NodeJS.ProcessEnv, settings: Settings, dataDir: string, secrets: SecretStore): DatabaseTarget {
  const connection = configuredConnection(env, settings, (account) => secrets.read(account) ?? undefined);
  if (!connection) return { mode: 'embedded', dataDir };
  try {
    secureConnection(connection, env);
  } catch (error) {
    throw new MigrationRefused((error as Error).message); // what makes main refuse to start, with this message
  }
  return { mode: 'server', connection };
}

/** The warning to show while this start uses a connection an administrator allowed without verified TLS; null when there is none. */
export function connectionWarning(env: NodeJS.ProcessEnv, settings: Settings): string | null {
  const connection = configuredConnection(env, settings, () => undefined);
  if (!connection) return null;
  try {
    return secureConnection(connection, env).warning;
  } catch {
    return null; // refused connections are never used
  }
}
