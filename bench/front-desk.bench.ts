// Front-desk speed at scale: patient search end to end through the one door beside the very same SQL
// statements on raw `pg`, and booking latency with 20 clerks at once. Prints numbers; asserts nothing.
//   npm run bench:front-desk [-- --patients 1000000 --count 300]
import { beginUserTransaction } from '../main/db/user-transaction.js';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import { SessionState } from '../contract/index.js';
import { createAppCore } from '../main/app-core.js';
import { createPool } from '../main/db/connection.js';
import type { Database } from '../main/db/database.js';
import { inUserTransaction } from '../main/db/user-transaction.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { searchPatients } from '../main/patients/patient-service.js';
import { progressPrinter } from '../scripts/seed.js';
import { asAdministrator, benchDatabase, checkpoint, measure, printTable } from './support.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '1000000' }, count: { type: 'string', default: '300' } } });
const PATIENTS = Number(values.patients);
const COUNT = Number(values.count);
const PASSWORD = 'bench-only-demo-password';

const { cluster, ownerUrl, appUrl } = await benchDatabase('bench_front_desk');
try {
  const owner = createPool({ connectionString: ownerUrl, max: 1 });
  const t0 = performance.now();
  await seedDemoData(owner, { patients: PATIENTS, demoPassword: PASSWORD, onProgress: progressPrinter() });
  console.log(`seeded ${PATIENTS.toLocaleString('en')} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await owner.end();
  // Names that exist, drawn from the data, so every query finds something (read as the administrator: FORCEd RLS binds the owner).
  const names: { first_name: string; last_name: string; date_of_birth: string; contact_number: string }[] = [];
  await asAdministrator(ownerUrl, async (client) => {
    const { rows } = await client.query<(typeof names)[number]>(
      `SELECT first_name, last_name, date_of_birth::text, contact_number FROM patients TABLESAMPLE SYSTEM (1) LIMIT ${COUNT}`,
    );
    names.push(...rows);
  });
  await checkpoint(cluster.superuserUrl('bench_front_desk'));

  const pool = createPool({ connectionString: appUrl, max: 10 });
  const core = createAppCore({ pool, mode: 'embedded', logInternal: (m, e) => console.error(m, e) });
  const signIn = await core.dispatch('bench', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: PASSWORD });
  if (!signIn.ok) throw new Error(signIn.error.message);
  const userId = SessionState.parse(signIn.value).user.userId;

  const typo = (s: string) => (s.length > 4 ? `${s.slice(0, 2)}${s[3]}${s[2]}${s.slice(4)}` : s); // swap two letters
  // `wider: false` is the renderer's first answer while typing (names that start so); when it lists
  // fewer than five, the renderer asks again with `wider: true` (inside names, one typo away).
  const prefix = (i: number) => names[i % names.length]!.last_name.slice(0, 4);
  const lastFirst = (i: number) => `${names[i % names.length]!.last_name.slice(0, 5)}, ${names[i % names.length]!.first_name.slice(0, 3)}`;
  const shapes: [string, (i: number) => string, boolean][] = [
    ['prefix "garc", first answer', prefix, false],
    ['prefix "garc", with the wider pass', prefix, true],
    ['"last, first" prefixes, first answer', lastFirst, false],
    ['"last, first" prefixes, with the wider pass', lastFirst, true],
    ['birth date', (i) => names[i % names.length]!.date_of_birth, true],
    ['phone', (i) => names[i % names.length]!.contact_number, true],
    ['substring (inside a name)', (i) => names[i % names.length]!.last_name.slice(1, 5), true],
    ['one typo, first and last', (i) => `${names[i % names.length]!.first_name} ${typo(names[i % names.length]!.last_name)}`, true],
  ];

  // The exact SQL the handler ran, captured once per query text, for the raw-pg baseline.
  const captured = new Map<string, CompiledQuery[]>();
  async function captureSql(text: string, wider: boolean) {
    const log: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => void (event.level === 'query' && log.push(event.query)),
    });
    await inUserTransaction(db, userId, (trx) => searchPatients(trx, text, 20, wider), { readOnly: true });
    captured.set(
      `${wider} ${text}`,
      log.filter((q) => !/^(BEGIN|COMMIT)/.test(q.sql)),
    );
  }
  const raw = async (text: string, wider: boolean) => {
    const client = await pool.connect();
    await client.query(beginUserTransaction(userId, { readOnly: true }));
    for (const q of captured.get(`${wider} ${text}`)!) await client.query(q.sql, [...q.parameters]);
    void client.query('COMMIT').finally(() => client.release());
  };

  for (const [label, make, wider] of shapes) {
    for (let i = 0; i < Math.min(COUNT, names.length); i += 1) await captureSql(make(i), wider);
    // Warm every pooled connection (plans, PL/pgSQL functions) and the pages these very queries read:
    // a hospital's database serving a front desk all day is warm; a cold first read is not the path.
    await measure('warm-up', COUNT, 10, (i) => core.dispatch('bench', 'patients/search-patients', { query: make(i), limit: 20, wider }));
    await measure('warm-up', COUNT, 10, (i) => raw(make(i), wider));
    const through = await measure(`handler: ${label}`, COUNT, 1, async (i) => {
      const r = await core.dispatch('bench', 'patients/search-patients', { query: make(i), limit: 20, wider });
      if (!r.ok) throw new Error(r.error.message);
    });
    const baseline = await measure(`raw pg, same SQL: ${label}`, COUNT, 1, (i) => raw(make(i), wider));
    printTable(`patient search at ${PATIENTS.toLocaleString('en')} patients — ${label}`, [baseline, through], baseline);
  }

  // Booking: 20 clerks at once, each booking free slots across the doctors' next weeks.
  const clerks = 20;
  for (let c = 0; c < clerks; c += 1)
    await core.dispatch(`clerk-${c}`, 'session/sign-in', { email: 'frontdesk@demo.clinic', password: PASSWORD });
  const doctors = (await core.dispatch('clerk-0', 'scheduling/list-doctors', {})) as {
    ok: true;
    value: { doctorId: number; slotMinutes: number }[];
  };
  const slots: { doctorId: number; date: string; time: string }[] = [];
  const start = new Date();
  start.setDate(start.getDate() + 30);
  for (let day = 0; slots.length < 2000 && day < 120; day += 1) {
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate() + day);
    if (d.getDay() === 0 || d.getDay() === 6) continue;
    const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    for (const doctor of doctors.value)
      for (let m = 8 * 60; m + doctor.slotMinutes <= 12 * 60; m += doctor.slotMinutes)
        slots.push({
          doctorId: doctor.doctorId,
          date,
          time: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
        });
  }
  const bookings = Math.min(1000, slots.length);
  const booked = await measure('handler: scheduling/book-appointment, 20 clerks', bookings, clerks, async (i) => {
    const slot = slots[i]!;
    const r = await core.dispatch(`clerk-${i % clerks}`, 'scheduling/book-appointment', {
      patientId: 1000 + i,
      doctorId: slot.doctorId,
      slot: { date: slot.date, time: slot.time },
    });
    if (!r.ok && r.error.code !== 'Conflict') throw new Error(r.error.message);
  });
  const rawInsert = await measure('raw pg: INSERT of the same rows, 20 at once', bookings, clerks, async (i) => {
    const slot = slots[i]!;
    const client = await pool.connect();
    try {
      await client.query(beginUserTransaction(userId));
      await client.query(
        `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES ($1, $2, $3, $4::time + interval '4 hours')`,
        [200_000 + i, slot.doctorId, slot.date, slot.time],
      );
      await client.query('COMMIT');
    } catch {
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
  printTable(`booking with ${clerks} concurrent clerks (${bookings} bookings)`, [rawInsert, booked], rawInsert);
  await core.close();
  await pool.end();
} finally {
  await cluster.stop();
}
