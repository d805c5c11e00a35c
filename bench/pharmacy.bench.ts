// Pharmacy speed at scale: the verification queue with N open orders, and dispensing with 20
// pharmacists at once, through the one door beside the very same SQL on raw `pg`. Prints numbers; asserts nothing.
//   npm run bench:pharmacy [-- --open-orders 10000 --patients 100000 --dispenses 1000 --queue-reads 50 --explain]
// --explain prints the queue query's plan; --profile times each dispense statement alone (and its COMMIT)
// and prints the ledger insert's triggers with EXPLAIN ANALYZE (where a dispense's time goes).
// The issue's target scale is --open-orders 10000 --patients 1000000.
import { beginUserTransaction } from '../main/db/user-transaction.js';
import { parseArgs } from 'node:util';
import type { CompiledQuery } from 'kysely';
import { SessionState } from '../contract/index.js';
import { createAppCore } from '../main/app-core.js';
import { createPool } from '../main/db/connection.js';
import { dispenseOrder } from '../main/pharmacy/dispensing-service.js';
import { findQueue } from '../main/pharmacy/prescriptions.repository.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { localNow } from '../main/shared/clinic-time.js';
import {
  startStatementStats,
  printPlans,
  asAdministrator,
  benchDatabase,
  checkpoint,
  captureSql,
  measure,
  measureAlternating,
  printTable,
  printTargets,
  inRawUserTransaction,
  replaySql,
} from './support.js';
import { prepareDispenseFloor } from './dispense-floor.js';

const { values } = parseArgs({
  options: {
    'open-orders': { type: 'string', default: '10000' },
    patients: { type: 'string', default: '100000' },
    dispenses: { type: 'string', default: '1000' },
    'queue-reads': { type: 'string', default: '50' },
    explain: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const OPEN_ORDERS = Number(values['open-orders']);
const PATIENTS = Number(values.patients);
const DISPENSES = Number(values.dispenses);
const QUEUE_COUNT = Number(values['queue-reads']);
const PHARMACISTS = 20;
const MEDICINES = 20; // dispenses rotate over this many medicines (and one patient each), on both paths alike
const QUEUE_LIMIT = 100;
const PASSWORD = 'bench-only-demo-password';

// Orders as an administrator may enter them (pharmacy.dispense needs them Verified); `status` and how many.
const ORDER_COLUMNS = `patient_id, doctor_id, medicine_id, dosage, dose_amount, dose_unit, route, frequency_code, duration_days,
                       quantity, urgency, status, verified_by, verified_at, prescribed_at`;

const { cluster, ownerUrl, appUrl } = await benchDatabase('bench_pharmacy');
try {
  const owner = createPool({ connectionString: ownerUrl, max: 1 });
  let t0 = performance.now();
  await seedDemoData(owner, { patients: PATIENTS, demoPassword: PASSWORD });
  await owner.end();
  console.log(`seeded ${PATIENTS.toLocaleString('en')} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  t0 = performance.now();
  await asAdministrator(ownerUrl, async (client) => {
    // Plenty of stock: a large lot of every medicine, received through the ledger like any delivery,
    // expiring first so that first-expiry-first-out takes every dispense from it alone.
    await client.query(`
      INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, supplier)
      SELECT medicine_id, 'BENCH-' || medicine_id, CURRENT_DATE + 1, 'Bench Wholesale' FROM medicine`);
    await client.query(`
      INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, notes)
      SELECT medicine_id, lot_id, 'Receive', 10000000, app_current_user_id(), 'Bench delivery' FROM medicine_lots WHERE lot_number LIKE 'BENCH-%'`);
    // Open orders (mostly waiting for verification, some verified and waiting to be dispensed) beside
    // five times as many finished ones, as in a pharmacy that has been working for a while.
    await client.query(
      `INSERT INTO prescriptions (${ORDER_COLUMNS})
       SELECT 1 + (g * 7919) % $2::int, (SELECT min(doctor_id) FROM doctors) + g % 5, m.ids[1 + g % cardinality(m.ids)],
              '1 tablet three times a day', 1, 'tablet', 'oral', 'TDS', 7, 21,
              CASE WHEN g % 50 = 0 THEN 'STAT' WHEN g % 10 = 0 THEN 'urgent' ELSE 'routine' END,
              CASE WHEN g > $1::int THEN 'Completed' WHEN g % 5 = 0 THEN 'Verified' ELSE 'Active' END,
              CASE WHEN g > $1::int OR g % 5 = 0 THEN app_current_user_id() END,
              CASE WHEN g > $1::int OR g % 5 = 0 THEN now() END,
              now() - (g % 4320) * interval '1 minute' - CASE WHEN g > $1::int THEN interval '30 days' ELSE interval '0' END
       FROM generate_series(1, $1::int * 6) AS g, (SELECT array_agg(medicine_id ORDER BY medicine_id) AS ids FROM medicine) m`,
      [OPEN_ORDERS, PATIENTS],
    );
  });
  console.log(
    `built ${OPEN_ORDERS.toLocaleString('en')} open orders and ${(OPEN_ORDERS * 5).toLocaleString('en')} finished ones in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  await checkpoint(cluster.superuserUrl('bench_pharmacy'));
  const pool = createPool({ connectionString: appUrl, max: PHARMACISTS });
  const core = createAppCore({ pool, mode: 'embedded', logInternal: (m, e) => console.error(m, e) });
  // The same SQL as a superuser, whom row level security never filters: what the policies cost.
  const unfiltered = createPool({ connectionString: cluster.superuserUrl('bench_pharmacy'), max: PHARMACISTS });
  for (let p = 0; p < PHARMACISTS; p += 1) {
    const signIn = await core.dispatch(`pharmacist-${p}`, 'session/sign-in', { email: 'pharmacist@demo.clinic', password: PASSWORD });
    if (!signIn.ok) throw new Error(signIn.error.message);
  }
  const signIn = await core.dispatch('bench', 'session/sign-in', { email: 'pharmacist@demo.clinic', password: PASSWORD });
  if (!signIn.ok) throw new Error(signIn.error.message);
  const userId = SessionState.parse(signIn.value).user.userId;

  // The verification queue, one pharmacist reading it again and again.
  const queueSql = await captureSql(pool, userId, (trx) => findQueue(trx, QUEUE_LIMIT), { readOnly: true });
  const queueDoor = async () => {
    const r = await core.dispatch('bench', 'pharmacy/get-verification-queue', { limit: QUEUE_LIMIT });
    if (!r.ok) throw new Error(r.error.message);
  };
  const queueRaw = () => replaySql(pool, userId, queueSql, { readOnly: true });
  await measure('warm-up', 5, 1, queueDoor);
  await measure('warm-up', 5, 1, queueRaw);
  const queue = await measure(`handler: verification queue (first ${QUEUE_LIMIT})`, QUEUE_COUNT, 1, queueDoor);
  const queueBase = await measure(`raw pg, same SQL: verification queue`, QUEUE_COUNT, 1, queueRaw);
  if (values.explain) await printPlans(cluster.superuserUrl('bench_pharmacy'), 'clinic_bench_app', userId, queueSql);
  printTable(
    `verification queue with ${OPEN_ORDERS.toLocaleString('en')} open orders at ${PATIENTS.toLocaleString('en')} patients`,
    [queueBase, queue],
    queueBase,
  );

  // Dispensing: verified orders prepared beforehand, one template per medicine captured for the raw path.
  const templates = MEDICINES;
  const PROFILED = values.profile ? 40 : 0;
  /** With --profile: door dispenses counted by pg_stat_statements, apart from the measured ones. */
  const PROFILED_DOOR = values.profile ? Math.min(DISPENSES, 400) : 0;
  // Each path first dispenses WARM orders unmeasured: a pharmacy terminal's plans and pages are warm all day.
  const WARM = 100;
  const firstOrder = await prepareVerifiedOrders(templates + 3 * (WARM + DISPENSES) + PROFILED + PROFILED_DOOR + 1);
  const today = localNow(new Date()).date;
  const captured: { id: number; queries: CompiledQuery[] }[] = [];
  const actor = { userId, terminal: { name: 'bench', role: 'pharmacy' as const }, now: new Date() };
  for (let m = 0; m < templates; m += 1) {
    const id = firstOrder + m;
    captured.push({ id, queries: await captureSql(pool, userId, (trx) => dispenseOrder(trx, { prescriptionId: id }, actor, today)) });
  }
  if (values.profile) await profileDispense(firstOrder + templates + 3 * (WARM + DISPENSES), PROFILED);
  const doorFirst = firstOrder + templates + WARM;
  const rawFirst = doorFirst + DISPENSES + WARM;
  const unfilteredFirst = rawFirst + DISPENSES + WARM;
  const profiledFirst = firstOrder + templates + 3 * (WARM + DISPENSES) + PROFILED;
  const floorPool = createPool({ connectionString: ownerUrl, max: PHARMACISTS, preparedStatements: false });
  const floor = await prepareDispenseFloor(floorPool, 2 * (WARM + DISPENSES));
  const dispenseThroughDoor = (id: number) =>
    core.dispatch(`pharmacist-${id % PHARMACISTS}`, 'pharmacy/dispense-order', { prescriptionId: id }).then((r) => {
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    });
  await measure('warm-up', WARM, PHARMACISTS, (i) => dispenseThroughDoor(doorFirst - WARM + i));
  // Order k is of the same medicine, patient and quantity as template k % MEDICINES: only its id differs.
  await measure('warm-up', WARM, PHARMACISTS, (i) => replayDispense(rawFirst - WARM + i));
  await measure('warm-up', WARM, PHARMACISTS, (i) => replayDispense(unfilteredFirst - WARM + i, unfiltered));
  await measure('warm-up', WARM, PHARMACISTS, (i) => floor.dispenseStatementByStatement(i));
  await measure('warm-up', WARM, PHARMACISTS, (i) => floor.dispenseInOneCall(WARM + DISPENSES + i));
  if (values.profile) {
    // Where a dispense's time goes, over door dispenses alone (orders beyond both measured runs).
    const statements = await startStatementStats(cluster.superuserUrl('bench_pharmacy'));
    await measure('profile', PROFILED_DOOR, PHARMACISTS, (i) => dispenseThroughDoor(profiledFirst + i));
    await statements.print(PROFILED_DOOR);
  }
  // The door and raw pg in alternating rounds, so a drift of this VM's speed falls on both alike.
  const [dispensed, rawDispense, unfilteredDispense, floorStatements, floorCall] = await measureAlternating(
    [
      { label: `handler: pharmacy/dispense-order, ${PHARMACISTS} at once`, op: (i) => dispenseThroughDoor(doorFirst + i), cpu: 'dispense' },
      { label: `raw pg, same SQL, ${PHARMACISTS} at once`, op: (i) => replayDispense(rawFirst + i), cpu: 'raw pg dispense' },
      {
        label: `raw pg, same SQL, no RLS (superuser)`,
        op: (i) => replayDispense(unfilteredFirst + i, unfiltered),
        cpu: 'raw pg dispense, no RLS',
      },
      { label: `floor: bare tables, 7 round trips`, op: (i) => floor.dispenseStatementByStatement(WARM + i), cpu: 'floor dispense' },
      {
        label: `floor: bare tables, one function call`,
        op: (i) => floor.dispenseInOneCall(2 * WARM + DISPENSES + i),
        cpu: 'floor dispense in one call',
      },
    ],
    DISPENSES,
    PHARMACISTS,
  );
  printTable(
    `dispensing with ${PHARMACISTS} concurrent pharmacists (${DISPENSES} orders each path)`,
    [rawDispense, dispensed, unfilteredDispense, floorStatements, floorCall],
    rawDispense,
  );
  console.log(
    'no RLS: the same statements with row level security not applied (triggers, ledger and audit chain still run);\n' +
      'floor: the same six steps on plain tables with no policy, trigger or audit: what round trips and two cores cost alone.',
  );
  // Read as the pharmacist: with no user set, row level security shows nothing.
  const reader = await pool.connect();
  await reader.query(`BEGIN READ ONLY; SELECT set_config('app.current_user_id', '${userId}', true)`);
  const counts = await reader.query<{ status: string; n: number }>(
    `SELECT p.status, count(*)::int AS n FROM prescriptions p WHERE p.prescription_id >= $1 GROUP BY p.status`,
    [firstOrder],
  );
  await reader.query('COMMIT');
  reader.release();
  console.log(`dispense orders afterwards: ${counts.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  printTargets([
    ['dispense through the one door', dispensed, 30],
    ['verification queue', queue, 50],
  ]);
  await core.close();
  await pool.end();
  await unfiltered.end();
  await floorPool.end();

  /** The template's statements for order `id`: its id swapped in, and the bill id the sequence hands out now, as the service does. */
  async function replayDispense(id: number, through = pool) {
    const template = captured[(id - firstOrder) % MEDICINES]!;
    await inRawUserTransaction(through, userId, async (client) => {
      let bill = 0;
      const swap = (v: unknown) =>
        v === template.id ? id : typeof v === 'string' ? v.replace(`(prescription ${template.id})`, `(prescription ${id})`) : v;
      for (const q of template.queries) {
        const billing = /insert into "billing"/i.test(q.sql);
        const parameters = q.parameters.map((v, n) => (billing && n === 0 ? bill : swap(v)));
        const { rows } = await client.query<{ id: number }>(q.sql, parameters);
        if (q.sql.includes('billing_bill_id_seq')) bill = rows[0]!.id;
      }
    });
  }

  /** Each statement of the dispense (and COMMIT) timed alone over `n` serial dispenses, then the triggers of one ledger insert. */
  async function profileDispense(first: number, n: number) {
    const totals = new Map<string, number>();
    const add = (label: string, t0: bigint) => totals.set(label, (totals.get(label) ?? 0) + Number(process.hrtime.bigint() - t0) / 1000);
    for (let k = 0; k < n; k += 1) {
      const id = first + k;
      const template = captured[(id - firstOrder) % MEDICINES]!;
      const client = await pool.connect();
      try {
        let t0 = process.hrtime.bigint();
        await client.query(beginUserTransaction(userId));
        add('BEGIN + user context', t0);
        let bill = 0;
        for (const q of template.queries) {
          const billing = /insert into "billing"/i.test(q.sql);
          const parameters = q.parameters.map((v, i) => (billing && i === 0 ? bill : v === template.id ? id : v));
          t0 = process.hrtime.bigint();
          const { rows } = await client.query<{ id: number }>(q.sql, parameters);
          add(q.sql.replace(/\s+/g, ' ').slice(0, 90), t0);
          if (q.sql.includes('billing_bill_id_seq')) bill = rows[0]!.id;
        }
        t0 = process.hrtime.bigint();
        await client.query('COMMIT');
        add('COMMIT (deferred triggers: the audit chain)', t0);
      } finally {
        client.release();
      }
    }
    console.log(`\ndispense profile: mean µs per statement over ${n} serial dispenses`);
    for (const [label, micros] of totals) console.log(`${String(Math.round(micros / n)).padStart(8)}  ${label}`);
    // The ledger insert of one more order, with its triggers' own times (rolled back).
    const id = first + n;
    const template = captured[(id - firstOrder) % MEDICINES]!;
    const insert = template.queries.find((q) => /insert into pharmacy/i.test(q.sql))!;
    const client = await pool.connect();
    try {
      await client.query(beginUserTransaction(userId));
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF) ${insert.sql}`,
        insert.parameters.map((v) => (v === template.id ? id : v)),
      );
      console.log(plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  /** Verified orders for dispensing, order k of medicine k % MEDICINES and that medicine's one patient; returns the first id. */
  async function prepareVerifiedOrders(n: number): Promise<number> {
    let first = 0;
    await asAdministrator(ownerUrl, async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `WITH m AS (SELECT array_agg(medicine_id ORDER BY medicine_id) AS ids FROM (SELECT medicine_id FROM medicine WHERE NOT is_controlled ORDER BY medicine_id LIMIT $2) s)
         INSERT INTO prescriptions (${ORDER_COLUMNS})
         SELECT 1 + (g % $2::int) * 4999 % $3::int, (SELECT min(doctor_id) FROM doctors), m.ids[1 + g % $2::int],
                '1 tablet three times a day', 1, 'tablet', 'oral', 'TDS', 7, 21, 'routine', 'Verified', app_current_user_id(), now(),
                now() - interval '4 days'
         FROM generate_series(0, $1::int - 1) AS g, m ORDER BY g
         RETURNING prescription_id AS id`,
        [n, MEDICINES, PATIENTS],
      );
      first = Math.min(...rows.map((r) => r.id));
    });
    return first;
  }
} finally {
  await cluster.stop();
}
