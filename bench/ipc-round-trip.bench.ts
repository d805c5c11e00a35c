// One handler round trip through the one door (validate → session → permission → transaction with
// set_config → repository → output schema) beside the same primary-key SELECT on raw `pg`,
// sequential and 64 in flight. Prints p50/p95 and the ratio; asserts nothing.
//   npm run bench:ipc [-- --count 5000]
import { beginUserTransaction } from '../main/db/user-transaction.js';
import { parseArgs } from 'node:util';
import { SessionState } from '../contract/index.js';
import { createAppCore } from '../main/app-core.js';
import { createPool } from '../main/db/connection.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { benchDatabase, measure, printTable } from './support.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' } } });
const COUNT = Number(values.count);
const PATIENTS = 20_000;
const SQL = `SELECT patient_id AS "patientId", first_name AS "firstName", last_name AS "lastName", date_of_birth AS "dateOfBirth",
  gender, contact_number AS "contactNumber", email, department_id AS "departmentId" FROM patients WHERE patient_id = $1`;

const { cluster, ownerUrl, appUrl } = await benchDatabase('bench_ipc');
try {
  const owner = createPool({ connectionString: ownerUrl, max: 1 });
  await seedDemoData(owner, { patients: PATIENTS, demoPassword: 'bench-only-demo-password' });
  await owner.end();

  const pool = createPool({ connectionString: appUrl, max: 10 });
  const core = createAppCore({ pool, mode: 'embedded', logInternal: (m, e) => console.error(m, e) });
  const signIn = await core.dispatch('bench', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: 'bench-only-demo-password' });
  if (!signIn.ok) throw new Error(signIn.error.message);

  const id = (i: number) => 1 + ((i * 7919) % PATIENTS);
  const raw = (i: number) => pool.query(SQL, [id(i)]);
  const userId = SessionState.parse(signIn.value).user.userId;
  // The door's transaction shape by hand: one round trip for BEGIN+set_config, the SELECT, and a
  // COMMIT the caller does not wait for (the connection is released once it returns).
  const rawTx = async (i: number) => {
    const client = await pool.connect();
    await client.query(beginUserTransaction(userId, { readOnly: true }));
    const result = await client.query(SQL, [id(i)]);
    void client.query('COMMIT').finally(() => client.release());
    return result;
  };
  // The door with no database at all: what validation, session, permission and output checks cost.
  const doorOnly = async () => {
    const result = await core.dispatch('bench', 'session/get-current', {});
    if (!result.ok) throw new Error(result.error.message);
  };
  const handler = async (i: number) => {
    const result = await core.dispatch('bench', 'patients/get-patient', { patientId: id(i) });
    if (!result.ok) throw new Error(result.error.message);
  };

  for (const inFlight of [1, 64]) {
    // Warm up connections, plans and JIT before measuring.
    await measure('warm-up', 2000, inFlight, raw);
    await measure('warm-up', 2000, inFlight, handler);
    const baseline = await measure('raw pg: SELECT by primary key', COUNT, inFlight, raw);
    const sameTx = await measure("raw pg: same SELECT in the door's transaction", COUNT, inFlight, rawTx);
    const door = await measure('handler: patients/get-patient via one door', COUNT, inFlight, handler);
    const noDb = await measure('handler: session/get-current (no database)', COUNT, inFlight, doorOnly);
    printTable(
      `${COUNT} reads, ${inFlight === 1 ? 'sequential' : `${inFlight} in flight`} (pool of 10, ${PATIENTS} patients)`,
      [baseline, sameTx, door, noDb],
      baseline,
    );
    console.log(
      `  added by the one door over the same transaction in raw pg: ${(door.p50 - sameTx.p50).toFixed(1)} µs at p50, ${(door.p95 - sameTx.p95).toFixed(1)} µs at p95`,
    );
    console.log(`  added by the transaction (BEGIN+set_config round trip): ${(sameTx.p50 - baseline.p50).toFixed(1)} µs at p50`);
  }
  await core.close();
  await pool.end();
} finally {
  await cluster.stop();
}
