// What the read-replica path decides without a standby (read-replica.test.ts runs a real one): WAL
// positions compare as numbers; a "replica" that is not a standby (here: the primary itself, as a promoted
// ex-standby would be) answers no read at all; DATABASE_REPLICA_URL obeys the TLS rule, a refused one never
// stops the start and is named on the status bar; and a BEGIN batch that fails after BEGIN leaves no aborted
// transaction on the pooled connection for the next borrower.
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredReplica, connectionWarning, openReplicaPool } from '../../main/config/configured-connection.js';
import { Settings } from '../../main/config/settings.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { InsecureConnectionRefused } from '../../main/db/connection-security.js';
import { createReplicaRouting, lsnValue, type PrimaryReason, type ReadPlace } from '../../main/db/replica-routing.js';
import { inUserTransaction } from '../../main/db/user-transaction.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let sameServer: ReturnType<typeof createKysely>;
beforeAll(async () => {
  database = await createTestDatabase('clinic_migrated', 2);
  sameServer = createKysely(createPool({ connectionString: database.appUrl, max: 2 }));
});
afterAll(async () => {
  await sameServer?.destroy();
  await database?.drop();
});

const whereAmI = (trx: typeof sameServer) => sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);

describe('replica routing', () => {
  it('compares WAL positions as numbers, not text', () => {
    expect(lsnValue('16/B374D848') > lsnValue('9/FFFFFFFF')).toBe(true);
    expect(lsnValue('0/10') > lsnValue('0/F')).toBe(true);
    expect(lsnValue('1/0')).toBe(2n ** 32n);
  });

  it('a server that is not in recovery answers no read, even one with nothing to wait for; it then rests', async () => {
    const routes: { place: ReadPlace; reason?: PrimaryReason }[] = [];
    const routing = createReplicaRouting({
      replica: sameServer,
      isUnavailable: () => false,
      onRoute: (place, reason) => void routes.push({ place, reason }),
    });
    let ranOnReplica = 0;
    // A window that never wrote: before, this read went to the "replica" unchecked.
    await routing.read(database.db, ['window:never-wrote'], null, async (trx) => {
      ranOnReplica += 1;
      return whereAmI(trx);
    });
    await routing.read(database.db, ['window:other'], null, whereAmI);
    console.log(`not a standby: ${JSON.stringify(routes)}; handler runs: ${ranOnReplica}`);
    expect(routes).toEqual([
      { place: 'primary', reason: 'not-a-standby' },
      { place: 'primary', reason: 'resting' },
    ]);
    expect(ranOnReplica).toBe(1); // once, on the primary: the check refused before the handler ran
  });

  it('DATABASE_REPLICA_URL obeys the same TLS rule as every connection, and is ignored beside the embedded database', () => {
    const env = { DATABASE_REPLICA_URL: 'postgres://ward3_terminal@db2.hospital.example/clinic' };
    expect(configuredReplica(env, 'embedded')).toBeNull();
    expect(() => createPool(configuredReplica(env, 'server')!, env)).toThrow(InsecureConnectionRefused);
    const verified = { DATABASE_REPLICA_URL: `${env.DATABASE_REPLICA_URL}?sslmode=verify-full` };
    void createPool(configuredReplica(verified, 'server')!, verified).end(); // accepted: opens nothing until used
  });

  it('a refused DATABASE_REPLICA_URL does not stop the start: no replica, the reason logged and on the status bar', () => {
    const env = {
      DATABASE_URL: 'postgres://ward3_terminal@db1.hospital.example/clinic?sslmode=verify-full',
      DATABASE_REPLICA_URL: 'postgres://ward3_terminal@db2.hospital.example/clinic',
    };
    const logged: string[] = [];
    // Before: createPool threw here, outside any try, with a message about DATABASE_URL.
    expect(openReplicaPool(env, 'server', (m) => void logged.push(m))).toBeNull();
    const warning = connectionWarning(env, Settings.parse({}));
    console.log(`refused replica: logged ${JSON.stringify(logged)}; status warning: ${warning}`);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^The read replica \(DATABASE_REPLICA_URL\).*DATABASE_REPLICA_URL names db2\.hospital\.example/);
    expect(logged[0]).not.toMatch(/DATABASE_URL names/);
    expect(warning).toBe(logged[0]);
    const malformed = { ...env, DATABASE_REPLICA_URL: 'postgres://%zz' };
    expect(openReplicaPool(malformed, 'server', () => undefined)).toBeNull();
  });

  it('CLINIC_ALLOW_INSECURE_DATABASE=1 with a plain-text replica: the status bar warns about the replica', () => {
    const env = {
      CLINIC_ALLOW_INSECURE_DATABASE: '1',
      DATABASE_URL: 'postgres://ward3_terminal@127.0.0.1/clinic', // loopback: no warning of its own
      DATABASE_REPLICA_URL: 'postgres://ward3_terminal@db2.hospital.example/clinic',
    };
    const warning = connectionWarning(env, Settings.parse({}));
    console.log(`insecure replica allowed: status warning: ${warning}`);
    expect(warning).toMatch(/^Read replica: The connection to db2\.hospital\.example is not verified TLS/);
    const pool = openReplicaPool(env, 'server', () => undefined);
    expect(pool).not.toBeNull(); // allowed, and warned about
    void pool?.end();
    expect(connectionWarning({ ...env, DATABASE_REPLICA_URL: '' }, Settings.parse({}))).toBeNull();
  });

  it('a BEGIN batch that fails after BEGIN (statement_timeout) leaves no aborted transaction for the next borrower', async () => {
    // One connection, so the next transaction borrows the very one the failure happened on.
    const pool = createPool({ connectionString: database.appUrl, max: 1 });
    // Mocked: a timeout or cancel landing inside the sub-millisecond batch cannot be timed from here, so
    // the batch gets a statement the server itself times out — after BEGIN, as a real cancel would.
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    let inject = true;
    const wrapped = new WeakSet<pg.PoolClient>();
    pool.connect = (async () => {
      const client = await connect();
      if (wrapped.has(client)) return client;
      wrapped.add(client);
      const query = client.query.bind(client) as (text: unknown, ...rest: unknown[]) => unknown;
      client.query = ((text: unknown, ...rest: unknown[]) =>
        query(
          inject && typeof text === 'string' && text.startsWith('BEGIN')
            ? `${text}; SET LOCAL statement_timeout = 1; SELECT pg_catalog.pg_sleep(5)`
            : text,
          ...rest,
        )) as never;
      return client;
    }) as never;
    const db = createKysely(pool);
    try {
      const failed = await inUserTransaction(db, null, whereAmI).catch((error: { code?: string }) => error);
      inject = false;
      const next = await inUserTransaction(db, null, async (trx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        return rows[0]!;
      }).catch((error: { code?: string }) => ({ code: error.code }));
      console.log(`BEGIN batch failed with ${(failed as { code?: string }).code}; the next borrower got ${JSON.stringify(next)}`);
      expect(failed).toMatchObject({ code: '57014' }); // canceling statement due to statement timeout
      expect(next).toMatchObject({ pid: expect.any(Number) }); // a fresh transaction, not 25P02
    } finally {
      await db.destroy();
    }
  });
});
