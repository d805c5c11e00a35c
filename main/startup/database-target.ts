import type { Settings } from '../config/settings.js';
import { serverSecretAccount } from '../config/settings.js';
import type { DatabaseTarget, SecretStore } from './open-database.js';

/** DATABASE_URL wins; then a hospital server from the settings screen; else the embedded database. */
export function chooseDatabaseTarget(env: NodeJS.ProcessEnv, settings: Settings, dataDir: string, secrets: SecretStore): DatabaseTarget {
  if (env.DATABASE_URL) return { mode: 'server', connection: { connectionString: env.DATABASE_URL } };
  const server = settings.hospitalServer;
  if (server) {
    return {
      mode: 'server',
      connection: {
        host: server.host,
        port: server.port,
        database: server.database,
        user: server.user,
        password: secrets.read(serverSecretAccount(server)) ?? undefined,
        ssl: server.ssl,
      },
    };
  }
  return { mode: 'embedded', dataDir };
}
