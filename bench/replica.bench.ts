// A read through the read replica vs the primary: the same handler (patients/search-patients) through the
// one door, on Debian's PostgreSQL 15 primary and its streaming standby (pg_basebackup -R) on this machine.
// Also the read-your-writes path: a search right after the same clerk's registration (waits, bounded, for
// the standby to replay past it). Prints numbers; asserts nothing.
//   npm run bench:replica [-- --patients 20000 --count 500 --in-flight 4]
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAppCore, type AppCore } from '../main/app-core.js';
import { scramSha256Verifier } from '../main/db/app-login-role.js';
import { createKysely, createPool } from '../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../main/db/migrator.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { hasBinaries, binDir } from '../tests/support/system-postgres.js';
import { startReplicatedCluster, waitForReplay } from '../tests/scale/support/replicated-cluster.js';
import { measure, printTable, ROOT } from './support.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '20000' },
    count: { type: 'string', default: '500' },
    'in-flight': { type: 'string', default: '4' },
  },
});
const PATIENTS = Number(values.patients);
const COUNT = Number(values.count);
const IN_FLIGHT = Number(values['in-flight']);
const OWNER = { user: 'clinic_owner', password: 'bench-owner-password' };
const TERMINAL = { user: 'bench_terminal', password: 'bench-terminal-password' };
const DEMO_PASSWORD = 'bench-only-demo-password';
const QUERIES = ['smith', 'garcia, maria', 'jo', 'brown 1980', 'lee'];

if (!hasBinaries(15)) {
  console.log(`bench:replica skipped: no PostgreSQL 15 binaries in ${binDir(15)} (apt-get install postgresql-15)`);
  process.exit(0);
}

const cluster = await startReplicatedCluster(15, 'bench-replica');
const cores: AppCore[] = [];
const pools: pg.Pool[] = [];
try {
  let t0 = performance.now();
  await cluster.query(
    'primary',
    'postgres',
    `CREATE ROLE clinic_owner LOGIN CREATEROLE PASSWORD ${pg.escapeLiteral(scramSha256Verifier(OWNER.password))}`,
  );
  await cluster.query('primary', 'postgres', 'CREATE DATABASE clinic OWNER clinic_owner');
  for (const extension of ['pgcrypto', 'btree_gist', 'pg_trgm'])
    await cluster.query('primary', 'clinic', `CREATE EXTENSION IF NOT EXISTS ${extension}`);
  const owner = createPool({ connectionString: cluster.login('primary', OWNER.user, OWNER.password, 'clinic'), max: 1 });
  const ownerDb = createKysely(owner);
  await migrateToLatest(createMigrator(ownerDb, path.join(ROOT, 'migrations')));
  await seedDemoData(owner, { patients: PATIENTS, demoPassword: DEMO_PASSWORD });
  await owner.query(
    `CREATE ROLE ${TERMINAL.user} LOGIN PASSWORD ${pg.escapeLiteral(scramSha256Verifier(TERMINAL.password))} IN ROLE clinic_app`,
  );
  await ownerDb.destroy();
  await cluster.query('primary', 'clinic', 'ANALYZE');
  await waitForReplay(cluster);
  console.log(
    `primary + standby with ${PATIENTS.toLocaleString('en')} patients ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const appPool = (node: 'primary' | 'standby') => {
    const pool = createPool({ connectionString: cluster.login(node, TERMINAL.user, TERMINAL.password, 'clinic'), max: IN_FLIGHT });
    pools.push(pool);
    return pool;
  };
  const routes = { replica: 0, primary: 0 };
  const openCore = async (replica: boolean) => {
    const core = createAppCore({
      pool: appPool('primary'),
      replicaPool: replica ? appPool('standby') : null,
      mode: 'server',
      logInternal: (message, error) => console.error(message, error),
      onReadRouted: (place) => void (routes[place] += 1),
    });
    cores.push(core);
    for (let i = 0; i < IN_FLIGHT; i += 1) {
      const signedIn = await core.dispatch(`desk-${i}`, 'session/sign-in', { email: 'frontdesk@demo.clinic', password: DEMO_PASSWORD });
      if (!signedIn.ok) throw new Error(signedIn.error.message);
    }
    return core;
  };
  const search = (core: AppCore, i: number) => async () => {
    const result = await core.dispatch(`desk-${i % IN_FLIGHT}`, 'patients/search-patients', { query: QUERIES[i % QUERIES.length]! });
    if (!result.ok) throw new Error(result.error.message);
  };

  const onPrimary = await openCore(false);
  const withReplica = await openCore(true);
  await waitForReplay(cluster); // the sign-ins above are replayed: reads need not wait
  for (let i = 0; i < 50; i += 1) await search(onPrimary, i)(); // warm both servers' caches
  for (let i = 0; i < 50; i += 1) await search(withReplica, i)();

  t0 = performance.now();
  const primaryRead = await measure('search on the primary (no replica configured)', COUNT, IN_FLIGHT, (i) => search(onPrimary, i)());
  routes.replica = 0;
  routes.primary = 0;
  const replicaRead = await measure('search through the replica (caught up)', COUNT, IN_FLIGHT, (i) => search(withReplica, i)());
  const steady = { ...routes };
  // Read-your-writes: each caller registers a patient, then searches at once (both timed), without and with the replica.
  const registerThenSearch = (core: AppCore, tag: string) => async (i: number) => {
    const registered = await core.dispatch(`desk-${i % IN_FLIGHT}`, 'patients/register-patient', {
      firstName: 'Bench',
      lastName: `${tag}${i}`,
      dateOfBirth: '1990-01-01',
      confirmNotDuplicate: true,
    });
    if (!registered.ok) throw new Error(registered.error.message);
    return search(core, i)();
  };
  const writes = Math.min(COUNT, 200);
  const writeOnPrimary = await measure('register + search, primary only', writes, IN_FLIGHT, registerThenSearch(onPrimary, 'Primary'));
  routes.replica = 0;
  routes.primary = 0;
  const writeWithReplica = await measure(
    'register + search, read on replica',
    writes,
    IN_FLIGHT,
    registerThenSearch(withReplica, 'Replica'),
  );
  console.log(`measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  printTable(
    `read replica (PostgreSQL 15 streaming standby, same machine; ${COUNT} reads, ${IN_FLIGHT} in flight)`,
    [primaryRead, replicaRead],
    primaryRead,
  );
  console.log(
    `\nreplica / primary: p50 ×${(replicaRead.p50 / primaryRead.p50).toFixed(2)}, p95 ×${(replicaRead.p95 / primaryRead.p95).toFixed(2)} (routed: ${steady.replica} standby, ${steady.primary} primary)`,
  );
  printTable('read-your-writes: a registration, then a search for it at once', [writeOnPrimary, writeWithReplica], writeOnPrimary);
  console.log(
    `\nafter own write, replica / primary: p50 ×${(writeWithReplica.p50 / writeOnPrimary.p50).toFixed(2)}, p95 ×${(writeWithReplica.p95 / writeOnPrimary.p95).toFixed(2)} (reads routed: ${routes.replica} standby, ${routes.primary} primary); all reads so far ${JSON.stringify(withReplica.readRoutes())}`,
  );
} finally {
  for (const core of cores) await core.close();
  for (const pool of pools) await pool.end().catch(() => undefined);
  await cluster.stop();
}
