// Replay of queued offline changes: 10,000 registrations through replayOutbox (one transaction per
// change, result stored under its key), then the same 10,000 again (all duplicates). Beside it, the
// same rows inserted one transaction each on raw pg. Prints numbers; asserts nothing.
//   npm run bench:replay [-- --changes 10000]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createSessionStore } from '../main/auth/session-store.js';
import { createKysely, createPool } from '../main/db/connection.js';
import { createHandlers } from '../main/handlers/index.js';
import { replayOutbox, type OfflineEntry } from '../main/offline/replay.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { benchDatabase } from './support.js';

const { values } = parseArgs({ options: { changes: { type: 'string', default: '10000' } } });
const CHANGES = Number(values.changes);

const { cluster, ownerUrl, appUrl } = await benchDatabase('bench_replay');
try {
  const owner = createPool({ connectionString: ownerUrl, max: 1 });
  await seedDemoData(owner, { patients: 1000, demoPassword: 'bench-only-demo-password' });
  const clerk = (await owner.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`)).rows[0].user_id as string;
  await owner.end();
  const pool = createPool({ connectionString: appUrl, max: 4 });
  const db = createKysely(pool);
  const entries: OfflineEntry[] = Array.from({ length: CHANGES }, (_, i) => ({
    key: randomUUID(),
    userId: clerk,
    createdAt: new Date().toISOString(),
    channel: 'patients/register-patient',
    input: { firstName: 'Queued', lastName: `Walkin${i}`, dateOfBirth: '1985-05-05', confirmNotDuplicate: true },
    dependsOn: [],
  }));
  const deps = { handlers: createHandlers(), sessions: createSessionStore(), terminal: { name: 'bench', role: 'front_desk' as const }, logInternal: console.error };

  let t = performance.now();
  const first = await replayOutbox(db, entries, deps);
  const replaySeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const second = await replayOutbox(db, entries, deps);
  const duplicateSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  for (let i = 0; i < CHANGES; i += 1) {
    const client = await pool.connect();
    await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${clerk}', true)`);
    await client.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Raw', $1, '1985-05-05')`, [`Insert${i}`]);
    await client.query('COMMIT');
    client.release();
  }
  const rawSeconds = (performance.now() - t) / 1000;

  console.log(`\nReplay of ${CHANGES.toLocaleString('en')} queued registrations (embedded PostgreSQL 18, 2 cores)`);
  console.log(`  replay (exactly-once, one transaction each):  ${replaySeconds.toFixed(2)} s  ${Math.round(CHANGES / replaySeconds).toLocaleString('en')} ops/s  (${first.filter((o) => o.outcome === 'applied').length} applied)`);
  console.log(`  the same again, all duplicates:              ${duplicateSeconds.toFixed(2)} s  ${Math.round(CHANGES / duplicateSeconds).toLocaleString('en')} ops/s  (${second.filter((o) => o.outcome === 'duplicate').length} duplicates)`);
  console.log(`  raw pg INSERT, one transaction each:          ${rawSeconds.toFixed(2)} s  ${Math.round(CHANGES / rawSeconds).toLocaleString('en')} ops/s`);
  console.log(`  ratio replay / raw: ${(replaySeconds / rawSeconds).toFixed(2)}×`);
  await db.destroy();
} finally {
  await cluster.stop();
}
