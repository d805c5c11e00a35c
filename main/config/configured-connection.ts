import type { ConnectionOptions } from '../db/connection.js';
import { secureConnection } from '../db/connection-security.js';
import { serverSecretAccount, type Settings } from './settings.js';

/** DATABASE_URL wins; then a hospital server from the settings screen; null: the embedded database. */
export function configuredConnection(
  env: NodeJS.ProcessEnv,
  settings: Settings,
  password: (account: string) => string | undefined,
): ConnectionOptions | null {
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
