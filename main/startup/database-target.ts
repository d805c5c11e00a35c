import { configuredConnection } from '../config/configured-connection.js';
import type { Settings } from '../config/settings.js';
import { secureConnection } from '../db/connection-security.js';
import { MigrationRefused, type DatabaseTarget } from './open-database.js';
import type { SecretStore } from '../shared/secret-store.js';

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
