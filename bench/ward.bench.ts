// Ward speed at hospital scale: the whole-hospital census, one 30-bed ward's bed board (with NEWS2 and
// doses due), and scan-to-answer (both scans checked, the dose stored) with 20 nurses scanning at once,
// through the one door, beside the very same SQL on raw `pg`. Prints numbers; asserts nothing.
//   npm run bench:ward [-- --beds 1000 --past-admissions 200000 --patients 100000 --count 300 --explain --profile --hold --scan-only]
// --explain prints each measured statement's plan (nested ones inside the database's functions too).
import { parseArgs } from 'node:util';
import { SessionState } from '../contract/index.js';
import { BedBoard } from '../contract/ward.js';
import { createAppCore } from '../main/app-core.js';
import { createPool } from '../main/db/connection.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { getBedBoard, getCensus } from '../main/ward/beds-service.js';
import { benchScanToAnswer } from './ward-scan.js';
import {
  printPlans,
  asAdministrator,
  benchDatabase,
  checkpoint,
  captureSql,
  measure,
  printTable,
  printTargets,
  replaySql,
  inRawUserTransaction,
} from './support.js';

const { values } = parseArgs({
  options: {
    beds: { type: 'string', default: '1000' },
    'past-admissions': { type: 'string', default: '200000' },
    patients: { type: 'string', default: '100000' },
    count: { type: 'string', default: '300' },
    explain: { type: 'boolean', default: false },
    /** Times each statement of the bed board alone (median of 15, raw pg), slowest first. */
    profile: { type: 'boolean', default: false },
    /** Keeps the bench database running after it is built (URLs and the bed board's SQL printed) until Ctrl-C. */
    hold: { type: 'boolean', default: false },
    /** Measures only scan-to-answer (the census and the bed board are skipped). */
    'scan-only': { type: 'boolean', default: false },
  },
});
const BEDS = Number(values.beds);
const PAST = Number(values['past-admissions']);
const PATIENTS = Number(values.patients);
const COUNT = Number(values.count);
const PASSWORD = 'bench-only-demo-password';
const WARD_BEDS = 30; // six four-bed bays and six side rooms

const { cluster, ownerUrl, appUrl } = await benchDatabase('bench_ward');
try {
  const owner = createPool({ connectionString: ownerUrl, max: 1 });
  let t0 = performance.now();
  await seedDemoData(owner, { patients: PATIENTS, demoPassword: PASSWORD });
  await owner.end();
  console.log(`seeded ${PATIENTS.toLocaleString('en')} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  t0 = performance.now();
  let sizes = { beds: 0, past: 0, open: 0, observations: 0 };
  await asAdministrator(ownerUrl, async (client) => {
    const existing = await client.query<{ beds: number }>('SELECT COALESCE(sum(bed_count), 0)::int AS beds FROM rooms');
    const wards = Math.max(1, Math.ceil((BEDS - existing.rows[0]!.beds) / WARD_BEDS));
    await client.query(
      `INSERT INTO departments (name, code, kind)
       SELECT 'Bench Ward ' || lpad(w::text, 3, '0'), 'BW' || lpad(w::text, 3, '0'), 'ward' FROM generate_series(1, $1::int) AS w`,
      [wards],
    );
    await client.query(`
      INSERT INTO rooms (room_number, room_type_id, department_id, floor, bed_count)
      SELECT d.code || '-' || lpad(n::text, 2, '0'), rt.room_type_id, d.department_id, 4, CASE WHEN n <= 6 THEN 4 ELSE 1 END
      FROM departments d
      CROSS JOIN generate_series(1, 12) AS n
      JOIN room_types rt ON rt.type_name = CASE WHEN n <= 6 THEN 'General Ward' ELSE 'Private' END
      WHERE d.code LIKE 'BW%'`);
    // A handful of beds out of use, as on any real day.
    await client.query(
      `UPDATE rooms SET status = 'Maintenance' WHERE room_number LIKE 'BW%-12' AND right(split_part(room_number, '-', 1), 1) = '3'`,
    );
    await client.query(
      `UPDATE rooms SET status = 'Closed' WHERE room_number LIKE 'BW%-11' AND right(split_part(room_number, '-', 1), 1) = '7'`,
    );
    await client.query(
      // Rooms the demo already uses (its stays, its ward round) are left as they are.
      `CREATE TEMP TABLE bench_beds AS SELECT row_number() OVER (ORDER BY r.room_id, b) AS i, r.room_id, b AS bed
       FROM rooms r, generate_series(1, r.bed_count) AS b
       WHERE NOT EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.room_id = r.room_id)`,
    );
    const beds = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM bench_beds')).rows[0]!.n);
    // Patients the demo has not given a stay, numbered 1…n: the stays below are laid out over them.
    await client.query(
      `CREATE TEMP TABLE bench_patients AS SELECT row_number() OVER (ORDER BY patient_id)::int AS n, patient_id FROM patients p
       WHERE NOT EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.patient_id = p.patient_id)`,
    );
    await client.query('CREATE UNIQUE INDEX ON bench_patients (n)');
    const free = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM bench_patients')).rows[0]!.n);
    // Past stays: each bed holds a run of back-to-back stays of a day and a half ending two days apart;
    // stay j goes to free patient j mod n, whose stays are then whole runs apart (no overlap).
    const perBed = Math.ceil(PAST / beds);
    await client.query(
      `INSERT INTO room_assignments (room_id, patient_id, bed_number, assigned_at, discharged_at, assigned_by, discharge_reason, discharge_destination)
       SELECT bb.room_id, bp.patient_id, bb.bed,
              now() - (($1::int - k + 1) * interval '2 days'), now() - (($1::int - k + 1) * interval '2 days') + interval '36 hours',
              app_current_user_id(), 'Recovered', 'home'
       FROM generate_series(1, $1::int) AS k CROSS JOIN bench_beds bb
       JOIN bench_patients bp ON bp.n = (((k - 1) * $2::int + bb.i - 1) % $3::int) + 1
       WHERE (k - 1) * $2::int + bb.i <= $4::int`,
      [perBed, beds, free, PAST],
    );
    // Today: about 85% of the open beds occupied, by patients counted from the far end (never in a past stay's window).
    await client.query(
      `INSERT INTO room_assignments (room_id, patient_id, bed_number, assigned_at, assigned_by)
       SELECT bb.room_id, bp.patient_id, bb.bed, now() - (bb.i % 240) * interval '1 minute' - interval '1 hour', app_current_user_id()
       FROM bench_beds bb JOIN rooms r ON r.room_id = bb.room_id JOIN bench_patients bp ON bp.n = $1::int - bb.i::int + 1
       WHERE r.status = 'Available' AND bb.i % 7 <> 0`,
      [free],
    );
    // A few discharged beds still waiting to be cleaned.
    await client.query(`
      INSERT INTO cleaning_service (room_id, bed_number, cleaning_type, status, scheduled_at)
      SELECT bb.room_id, bb.bed, 'Discharge', 'Scheduled', now() - interval '20 minutes'
      FROM bench_beds bb JOIN rooms r ON r.room_id = bb.room_id WHERE r.status = 'Available' AND bb.i % 21 = 0`);
    // Six sets of observations for everyone in a bed today (every four hours), with their NEWS2.
    await client.query(`
      INSERT INTO observations (patient_id, assignment_id, taken_at, recorded_by, respiration_rate, spo2, on_oxygen, systolic_bp, pulse,
                                consciousness, temperature, news2_score, news2_response, news2_single_three)
      SELECT ra.patient_id, ra.assignment_id, now() - h * interval '4 hours', app_current_user_id(), 16 + (ra.assignment_id + h) % 8, 94 + h % 5,
             false, 110 + h * 3, 70 + h * 4, 'A', 36.8, (ra.assignment_id + h) % 8,
             CASE WHEN (ra.assignment_id + h) % 8 >= 7 THEN 'high' WHEN (ra.assignment_id + h) % 8 >= 5 THEN 'medium' ELSE 'low' END, false
      FROM room_assignments ra CROSS JOIN generate_series(0, 5) AS h WHERE ra.discharged_at IS NULL`);
    const counts = await client.query<{ past: number; open: number; observations: number }>(`
      SELECT count(*) FILTER (WHERE discharged_at IS NOT NULL)::int AS past, count(*) FILTER (WHERE discharged_at IS NULL)::int AS open,
             (SELECT count(*)::int FROM observations) AS observations FROM room_assignments`);
    sizes = { beds, ...counts.rows[0]! };
    // The nurse at the terminal works on the first bench ward (30 beds).
    await client.query(
      `UPDATE staff SET department_id = (SELECT department_id FROM departments WHERE code = 'BW001') WHERE user_id = (SELECT user_id FROM users WHERE email = 'nurse@demo.clinic')`,
    );
  });
  console.log(
    `built ${sizes.beds.toLocaleString('en')} beds, ${sizes.past.toLocaleString('en')} past admissions, ${sizes.open.toLocaleString('en')} patients in a bed, ` +
      `${sizes.observations.toLocaleString('en')} observations in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  await checkpoint(cluster.superuserUrl('bench_ward'));
  const pool = createPool({ connectionString: appUrl, max: 10 });
  const core = createAppCore({ pool, mode: 'embedded', logInternal: (m, e) => console.error(m, e) });
  const signIn = await core.dispatch('bench', 'session/sign-in', { email: 'nurse@demo.clinic', password: PASSWORD });
  if (!signIn.ok) throw new Error(signIn.error.message);
  const userId = SessionState.parse(signIn.value).user.userId;

  const census = await captureSql(pool, userId, (trx) => getCensus(trx), { readOnly: true });
  const board = await captureSql(pool, userId, (trx) => getBedBoard(trx, undefined, new Date(), true), { readOnly: true });
  if (values.profile) {
    const timed: [number, string][] = [];
    for (const q of board) {
      const runs: number[] = [];
      for (let r = 0; r < 15; r++) {
        const t = performance.now();
        await inRawUserTransaction(pool, userId, (client) => client.query(q.sql, [...q.parameters]), { readOnly: true });
        runs.push(performance.now() - t);
      }
      timed.push([runs.sort((a, b) => a - b)[7]!, q.sql.replace(/\s+/g, ' ').slice(0, 160)]);
    }
    for (const [ms, text] of timed.sort((a, b) => b[0] - a[0])) console.log(`${ms.toFixed(1).padStart(7)} ms  ${text}`);
  }
  if (values.hold) {
    console.log(`holding: superuser ${cluster.superuserUrl('bench_ward')}\napp ${appUrl}\nnurse ${userId}`);
    for (const q of board) console.log(`-- board statement\n${q.sql}\n-- parameters ${JSON.stringify(q.parameters)}`);
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
  const shown = await core.dispatch('bench', 'ward/get-bed-board', {});
  if (!shown.ok) throw new Error(shown.error.message);
  const ward = BedBoard.parse(shown.value);
  console.log(`bed board of ${ward.departmentName}: ${ward.beds.length} beds`);

  const shapes: [string, string, object, typeof census, number][] = [
    ['whole-hospital census', 'ward/get-census', {}, census, 50],
    [`bed board (${ward.beds.length} beds, NEWS2)`, 'ward/get-bed-board', {}, board, 30],
  ];
  const targets: [string, Awaited<ReturnType<typeof measure>>, number][] = [];
  for (const [label, channel, input, queries, targetMs] of values['scan-only'] ? [] : shapes) {
    const door = () =>
      core.dispatch('bench', channel as 'ward/get-census', input as Record<string, never>).then((r) => {
        if (!r.ok) throw new Error(r.error.message);
      });
    const raw = () => replaySql(pool, userId, queries, { readOnly: true });
    // Warm plans, PL/pgSQL functions and pages on both paths: a ward terminal's database is warm all day.
    await measure('warm-up', 100, 4, door);
    await measure('warm-up', 100, 4, raw);
    const through = await measure(`handler: ${label}`, COUNT, 1, door);
    const baseline = await measure(`raw pg, same SQL: ${label}`, COUNT, 1, raw);
    printTable(
      `${label} — ${sizes.beds.toLocaleString('en')} beds, ${sizes.past.toLocaleString('en')} past admissions`,
      [baseline, through],
      baseline,
    );
    targets.push([label, through, targetMs]);
    if (values.explain) await printPlans(cluster.superuserUrl('bench_ward'), 'clinic_bench_app', userId, queries);
  }
  targets.push(
    await benchScanToAnswer({
      appUrl,
      ownerUrl,
      password: PASSWORD,
      count: COUNT,
      beds: sizes.beds,
      past: sizes.past,
      profile: values.profile,
      superuserUrl: cluster.superuserUrl('bench_ward'),
    }),
  );
  printTargets(targets);
  await core.close();
  await pool.end();
} finally {
  await cluster.stop();
}
