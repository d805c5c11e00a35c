// Stands in for tests/support/test-database.ts when tests/scale/pgbouncer.vitest.config.ts runs other
// test files unchanged: the same fresh database, but the app's login reaches it only through PgBouncer
// in transaction pooling mode (the owner and superuser stay direct, as a DBA's would).
import { inject } from 'vitest';
import { createKysely, createPool } from '../../../main/db/connection.js';
import { APP_LOGIN } from '../../support/global-setup.js';
import { createTestDatabase as createDirectDatabase, TEST_CONNECT_TIMEOUT_MS, type TestDatabase } from '../../support/test-database.js';
import { serverVerifier, startPgBouncer } from './pgbouncer.js';

export type { TestDatabase };
export { asSuperuser } from '../../support/test-database.js';

/** Server connections per test database: fewer than the clients, so transactions from many clients share sessions. */
const POOL_SIZE = Number(process.env.CLINIC_PGBOUNCER_POOL_SIZE ?? 3);

export async function createTestDatabase(template: 'clinic_migrated' | 'clinic_demo' = 'clinic_demo', poolSize = 4): Promise<TestDatabase> {
  const direct = await createDirectDatabase(template, poolSize);
  await direct.db.destroy(); // never used: the app's pool below goes through PgBouncer
  const server = new URL(direct.superuserUrl);
  const bouncer = await startPgBouncer({
    server: { host: server.hostname, port: Number(server.port) },
    databases: [direct.name],
    users: [{ name: APP_LOGIN, verifier: await serverVerifier(direct.superuserUrl, APP_LOGIN) }],
    poolSize: POOL_SIZE,
  });
  const password = inject('appLoginPassword');
  const appUrl = bouncer.url(APP_LOGIN, password, direct.name);
  // As the direct one: 50 clerks opening connections at once through PgBouncer (one thread doing each
  // SCRAM exchange) can take over the app's 3 s on a busy machine; a booking would come back Unavailable.
  const appPool = createPool({ connectionString: appUrl, max: poolSize, connectionTimeoutMillis: TEST_CONNECT_TIMEOUT_MS });
  appPool.setMaxListeners(100);
  const db = createKysely(appPool);
  return {
    ...direct,
    appUrl,
    appPool,
    db,
    async drop() {
      await db.destroy().catch(() => undefined);
      const stats = (await bouncer.show('STATS', APP_LOGIN, password)).find((row) => row.database === direct.name);
      const servers = (await bouncer.show('SERVERS', APP_LOGIN, password)).filter((row) => row.database === direct.name);
      // Read by tests/scale/pgbouncer.test.ts: proof the file's traffic went through PgBouncer.
      console.log(
        `[via PgBouncer] ${direct.name}: ${stats?.total_xact_count ?? 0} transactions, ${stats?.total_query_count ?? 0} queries, ${servers.length} server connection(s), pool_size ${POOL_SIZE}`,
      );
      await bouncer.stop();
      await direct.drop();
    },
  };
}
