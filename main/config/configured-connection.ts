import type pg from 'pg';
import { createPool, type ConnectionOptions } from '../db/connection.js';
import { InsecureConnectionRefused, secureConnection } from '../db/connection-security.js';
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

/**
 * The warning to show while this start uses a connection (the server's, or the read replica's) an
 * administrator allowed without verified TLS, or runs without a replica it refused; null when there is none.
 */
export function connectionWarning(env: NodeJS.ProcessEnv, settings: Settings): string | null {
  const connection = configuredConnection(env, settings, () => undefined);
  if (!connection) return null;
  let primary: string | null;
  try {
    primary = secureConnection(connection, env).warning;
  } catch {
    primary = null; // refused connections are never used
  }
  const replica = replicaCheck(env, 'server');
  const onReplica = replica.refused ?? (replica.warning ? `Read replica: ${replica.warning}` : null);
  return [primary, onReplica].filter((w) => w !== null).join(' ') || null;
}

/**
 * DATABASE_REPLICA_URL: a hot standby of the hospital server for read-only handlers (never beside the
 * embedded database). Same TLS rule as every connection; a short connect timeout, since a read falls
 * back to the primary when the standby does not answer.
 */
export function configuredReplica(env: NodeJS.ProcessEnv, mode: 'embedded' | 'server'): ConnectionOptions | null {
  if (!env.DATABASE_REPLICA_URL || mode !== 'server') return null;
  return { connectionString: env.DATABASE_REPLICA_URL, connectionTimeoutMillis: 1000, applicationName: 'clinic-workstation-replica' };
}

/** Why DATABASE_REPLICA_URL cannot be used (reads then stay on the primary), or the warning it is used with. */
function replicaCheck(env: NodeJS.ProcessEnv, mode: 'embedded' | 'server'): { refused: string | null; warning: string | null } {
  const replica = configuredReplica(env, mode);
  if (!replica) return { refused: null, warning: null };
  try {
    return { refused: null, warning: secureConnection(replica, env).warning };
  } catch (error) {
    // secureConnection names DATABASE_URL: this one is the replica's.
    const reason =
      error instanceof InsecureConnectionRefused
        ? error.message.replace(/^DATABASE_URL\b/, 'DATABASE_REPLICA_URL')
        : (error as Error).message;
    return {
      refused: `The read replica (DATABASE_REPLICA_URL) is not used, so every read goes to the main server: ${reason}`,
      warning: null,
    };
  }
}

/**
 * The replica's pool, or null (no replica, or a refused one: the workstation runs on the primary alone,
 * and connectionWarning says why on the status bar). Never throws: a replica is optional.
 */
export function openReplicaPool(env: NodeJS.ProcessEnv, mode: 'embedded' | 'server', log: (message: string) => void): pg.Pool | null {
  const replica = configuredReplica(env, mode);
  if (!replica) return null;
  const { refused } = replicaCheck(env, mode);
  if (refused) {
    log(refused);
    return null;
  }
  try {
    return createPool(replica, env);
  } catch (error) {
    log(`The read replica (DATABASE_REPLICA_URL) is not used: ${(error as Error).message}`);
    return null;
  }
}
