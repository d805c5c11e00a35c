// Replay of queued offline changes: 10,000 walk-in registrations through replayOutbox (exactly once:
// result stored under each key; set-based runs of registrations), then the same 10,000 again (all
// duplicates). Beside it in the same run: the same rows inserted one transaction each on raw pg, and
// as one set-based INSERT per 1,000 rows on raw pg (the floor the triggers allow). Then 2,000 queued
// bookings, a tenth of them clashing. Prints numbers; asserts nothing.
//   npm run bench:replay [-- --changes 10000]
import { beginUserTransaction } from '../main/db/user-transaction.js';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createSessionStore } from '../main/auth/session-store.js';
import { createKysely, createPool } from '../main/db/connection.js';
import { createHandlers } from '../main/app-handlers.js';
import { replayOutbox, type OfflineEntry } from '../main/scheduling/offline/replay.js';
import { addDays, daySlots, clockOf } from '../main/scheduling/booking-rules.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { benchDatabase } from './support.js';

const { values } = parseArgs({ options: { changes: { type: 'string', default: '10000' }, bookings: { type: 'string', default: '2000' } } });
const CHANGES = Number(values.changes);
const BOOKINGS = Number(values.bookings);
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} ops/s`;

const { cluster, ownerUrl, appUrl } = await benchDatabase('bench_replay');
try {
  const owner = createPool({ connectionString: ownerUrl, max: 1 });
  await seedDemoData(owner, { patients: 1000, demoPassword: 'bench-only-demo-password' });
  const clerk = (await owner.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`)).rows[0].user_id as string;
  const pool = createPool({ connectionString: appUrl, max: 4 });
  const db = createKysely(pool);
  const made = new Date().toISOString();
  const entries: OfflineEntry[] = Array.from({ length: CHANGES }, (_, i) => ({
    key: randomUUID(),
    userId: clerk,
    createdAt: made,
    channel: 'patients/register-patient',
    // As the terminal queues them: the duplicate check still on, so the server makes it.
    input: {
      firstName: 'Queued',
      lastName: `Walkin${i}`,
      dateOfBirth: addDays('1940-01-01', (i * 7919) % 30_000),
      contactNumber: `04${String(10_000_000 + i)}`,
    },
    dependsOn: [],
  }));
  const deps = {
    handlers: createHandlers(),
    sessions: createSessionStore(),
    terminal: { name: 'bench', role: 'front_desk' as const },
    logInternal: console.error,
  };

  let t = performance.now();
  const first = await replayOutbox(db, entries, deps);
  const replaySeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const second = await replayOutbox(db, entries, deps);
  const duplicateSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  for (let i = 0; i < CHANGES; i += 1) {
    const client = await pool.connect();
    await client.query(beginUserTransaction(clerk));
    await client.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Raw', $1, '1985-05-05')`, [`Insert${i}`]);
    await client.query('COMMIT');
    client.release();
  }
  const rawSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  for (let start = 0; start < CHANGES; start += 1000) {
    const client = await pool.connect();
    await client.query(beginUserTransaction(clerk));
    const names = Array.from({ length: Math.min(1000, CHANGES - start) }, (_, i) => `Set${start + i}`);
    await client.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth) SELECT 'Raw', n, '1985-05-05' FROM unnest($1::text[]) AS n`,
      [names],
    );
    await client.query('COMMIT');
    client.release();
  }
  const rawSetSeconds = (performance.now() - t) / 1000;

  // Bookings: each may clash, so each runs under its own savepoint through the booking handler.
  const doctors = (
    await owner.query(
      `SELECT d.doctor_id, d.slot_minutes FROM doctors d WHERE EXISTS (SELECT 1 FROM doctor_working_hours h WHERE h.doctor_id = d.doctor_id)`,
    )
  ).rows;
  const hours = (
    await owner.query(
      `SELECT doctor_id, iso_weekday, extract(epoch from start_time)::int / 60 AS start, extract(epoch from end_time)::int / 60 AS "end" FROM doctor_working_hours`,
    )
  ).rows;
  const patients = (await owner.query(`SELECT patient_id FROM patients ORDER BY patient_id LIMIT $1`, [BOOKINGS])).rows.map(
    (r) => r.patient_id as number,
  );
  const slots: { doctorId: number; date: string; time: string }[] = [];
  const base = addDays(new Date().toISOString().slice(0, 10), 30);
  for (let day = 0; slots.length < BOOKINGS && day < 365; day += 1) {
    const date = addDays(base, day);
    for (const d of doctors)
      for (const start of daySlots(
        hours.filter((h) => h.doctor_id === d.doctor_id),
        date,
        d.slot_minutes,
      ))
        slots.push({ doctorId: d.doctor_id, date, time: clockOf(start) });
  }
  // Every tenth booking asks for the slot the one before it took (another desk's clash): those are named one by one.
  const bookings: OfflineEntry[] = patients.slice(0, BOOKINGS).map((patientId, i) => {
    const slot = slots[i % 10 === 9 ? i - 1 : i]!;
    return {
      key: randomUUID(),
      userId: clerk,
      createdAt: made,
      channel: 'scheduling/book-appointment',
      input: { patientId, doctorId: slot.doctorId, slot: { date: slot.date, time: slot.time }, purpose: null },
      dependsOn: [],
    };
  });
  t = performance.now();
  const booked = await replayOutbox(db, bookings, deps);
  const bookingSeconds = (performance.now() - t) / 1000;

  console.log(`\nReplay of ${CHANGES.toLocaleString('en')} queued registrations (embedded PostgreSQL 18, 2 cores)`);
  console.log(
    `  replay (exactly-once, set-based runs, dup check on):  ${replaySeconds.toFixed(2)} s  ${rate(CHANGES, replaySeconds)}  (${first.filter((o) => o.outcome === 'applied').length} applied)`,
  );
  console.log(
    `  the same again, all duplicates:                       ${duplicateSeconds.toFixed(2)} s  ${rate(CHANGES, duplicateSeconds)}  (${second.filter((o) => o.outcome === 'duplicate').length} duplicates)`,
  );
  console.log(`  raw pg INSERT, one transaction each:                  ${rawSeconds.toFixed(2)} s  ${rate(CHANGES, rawSeconds)}`);
  console.log(`  raw pg INSERT … SELECT, 1,000 rows per statement:     ${rawSetSeconds.toFixed(2)} s  ${rate(CHANGES, rawSetSeconds)}`);
  console.log(
    `  ratio replay / raw one-per-transaction: ${(replaySeconds / rawSeconds).toFixed(2)}×; replay / raw set-based: ${(replaySeconds / rawSetSeconds).toFixed(2)}×`,
  );
  console.log(
    `\nReplay of ${BOOKINGS.toLocaleString('en')} queued bookings (set-based runs; each clash replayed alone to name it and find free slots): ${bookingSeconds.toFixed(2)} s  ${rate(BOOKINGS, bookingSeconds)}  (${booked.filter((o) => o.outcome === 'applied').length} applied, ${booked.filter((o) => o.outcome === 'needs-attention').length} needs attention)`,
  );
  await db.destroy();
  await owner.end();
} finally {
  await cluster.stop();
}
