// Scan-to-answer for bench/ward.bench.ts: 20 nurses of the bench ward each scan a wristband and a
// medicine at once; every scan is checked (patient, medicine, time, already given, PRN, allergy) and its
// dose stored. Beside it, the very same statements on raw `pg` (captured from one scan per patient),
// each replay storing a dose of its own (the INSERT's order and time swapped for a fresh one).
import type { CompiledQuery } from 'kysely';
import { medicineCode, wristbandCode } from '../contract/barcodes.js';
import { SessionState } from '../contract/index.js';
import { ScanAdministration } from '../contract/ward.js';
import { createAppCore } from '../main/app-core.js';
import { createPool } from '../main/db/connection.js';
import { administerDose } from '../main/ward/administration-service.js';
import {
  startStatementStats,
  asAdministrator,
  captureSql,
  inRawUserTransaction,
  measure,
  measureAlternating,
  printTable,
  type Summary,
} from './support.js';

const NURSES = 20;
const WARM_UP = 100;
/** Scans by one nurse with the machine to itself, between the warm-up and the 20 at once. */
const ALONE = 50;

interface Options {
  appUrl: string;
  ownerUrl: string;
  password: string;
  count: number;
  beds: number;
  past: number;
  /** Times each statement of one scan alone (median of 9, rolled back), slowest first. */
  profile?: boolean;
  /** With profile: the superuser's URL, to read pg_stat_statements (planning and executing) over the measured scans. */
  superuserUrl?: string;
}

export async function benchScanToAnswer(options: Options): Promise<[string, Summary, number]> {
  // Twenty terminals hold twenty connections between them (each terminal's own pool in real life).
  const pool = createPool({ connectionString: options.appUrl, max: NURSES });
  const core = createAppCore({ pool, mode: 'embedded', logInternal: (m, e) => console.error(m, e) });
  try {
    return await scanToAnswer({ ...options, core, pool });
  } finally {
    await core.close();
    await pool.end();
  }
}

async function scanToAnswer(
  o: Options & { core: ReturnType<typeof createAppCore>; pool: ReturnType<typeof createPool> },
): Promise<[string, Summary, number]> {
  // With --profile the door also scans `count` times alone for pg_stat_statements, apart from the comparison.
  const doorScans = WARM_UP + ALONE + o.count * (o.profile ? 2 : 1);
  let patients: { patient_id: number }[] = [];
  let doorMedicines: number[] = [];
  let rawMedicines: number[] = [];
  await asAdministrator(o.ownerUrl, async (client) => {
    // Twenty nurses on the bench ward (the demo nurse's password hash).
    await client.query(
      `INSERT INTO users (email, password_hash, display_name)
       SELECT 'bench-nurse-' || n || '@demo.clinic', u.password_hash, 'Bench Nurse ' || n
       FROM users u, generate_series(1, $1::int) AS n WHERE u.email = 'nurse@demo.clinic'`,
      [NURSES],
    );
    await client.query(`INSERT INTO user_roles (user_id, role_id) SELECT u.user_id, r.role_id FROM users u, roles r
                        WHERE u.email LIKE 'bench-nurse-%' AND r.role_name = 'nurse'`);
    await client.query(`INSERT INTO staff (user_id, first_name, last_name, role, department_id)
                        SELECT u.user_id, 'Bench', u.display_name, 'nurse', d.department_id FROM users u, departments d
                        WHERE u.email LIKE 'bench-nurse-%' AND d.code = 'BW001'`);
    const { rows } = await client.query<{ patient_id: number }>(
      `SELECT ra.patient_id FROM room_assignments ra JOIN rooms r ON r.room_id = ra.room_id JOIN departments d ON d.department_id = r.department_id
       WHERE d.code = 'BW001' AND ra.discharged_at IS NULL ORDER BY ra.patient_id`,
    );
    patients = rows;
    // Each patient has one STAT order, prescribed ten minutes ago, of each of as many medicines as scans will
    // give them (one set for the door, one for raw pg): every scan finds a due dose of the medicine scanned,
    // and, as on a real chart, the medicine scanned matches one order.
    const perPatient = Math.ceil(doorScans / patients.length) + 2;
    const { rows: medicines } = await client.query<{ medicine_id: number }>(
      `SELECT medicine_id FROM medicine WHERE NOT is_controlled AND is_active AND generic_name IS NOT NULL ORDER BY medicine_id LIMIT $1`,
      [2 * perPatient],
    );
    if (medicines.length < 2 * perPatient)
      throw new Error(`--count needs ${2 * perPatient} medicines; the formulary has ${medicines.length}`);
    doorMedicines = medicines.slice(0, perPatient).map((m) => m.medicine_id);
    rawMedicines = medicines.slice(perPatient).map((m) => m.medicine_id);
    await client.query(
      `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity, prescribed_at, status)
       SELECT p, m, '1 tablet', 1, 'tablet', 'STAT', 1, now() - interval '10 minutes', 'Verified'
       FROM unnest($1::int[]) AS p, unnest($2::int[]) AS m`,
      [patients.map((p) => p.patient_id), medicines.map((m) => m.medicine_id)],
    );
  });
  const senders: { sender: string; userId: string }[] = [];
  for (let n = 1; n <= NURSES; n++) {
    const signIn = await o.core.dispatch(`scan-${n}`, 'session/sign-in', { email: `bench-nurse-${n}@demo.clinic`, password: o.password });
    if (!signIn.ok) throw new Error(signIn.error.message);
    senders.push({ sender: `scan-${n}`, userId: SessionState.parse(signIn.value).user.userId });
  }
  // A patient's next scan through the door gives the next of their medicines.
  const scansOf = new Map<number, number>();
  const scanOf = (i: number, medicine: 'door' | 'raw') => {
    const p = patients[i % patients.length]!;
    const n = medicine === 'raw' ? 0 : (scansOf.get(p.patient_id) ?? 0);
    if (medicine === 'door') scansOf.set(p.patient_id, n + 1);
    const medicineId = (medicine === 'door' ? doorMedicines : rawMedicines)[n]!;
    return { patientId: p.patient_id, wristbandScan: wristbandCode(p.patient_id), medicineScan: medicineCode(medicineId) };
  };
  const stored = { door: 0, raw: 0 };
  const door = (i: number) =>
    o.core.dispatch(senders[i % NURSES]!.sender, 'ward/administer-dose', scanOf(i, 'door')).then((r) => {
      if (!r.ok) throw new Error(r.error.message);
      if (ScanAdministration.parse(r.value).outcome === 'recorded') stored.door++;
    });

  // Raw pg: one scan per patient captured through the service, then replayed with a fresh dose each time.
  const captured = new Map<number, CompiledQuery[]>();
  const fresh = new Map<number, { prescription_id: number; at: Date }[]>();
  const nurse0 = senders[0]!.userId;
  for (const p of patients) {
    captured.set(
      p.patient_id,
      await captureSql(o.pool, nurse0, async (trx) =>
        administerDose(trx, scanOf(patients.indexOf(p), 'raw'), new Date(), {
          userId: nurse0,
          terminal: { name: 'bench', role: 'ward' },
        }),
      ),
    );
  }
  // The raw path's fresh doses (read as the administrator: the app pool has no user context here).
  await asAdministrator(o.ownerUrl, async (client) => {
    for (const p of patients) {
      const { rows } = await client.query<{ prescription_id: number; at: Date }>(
        `SELECT prescription_id, prescribed_at AS at FROM prescriptions p
         WHERE p.patient_id = $1 AND p.medicine_id = ANY($2::int[]) AND p.frequency_code = 'STAT'
           AND NOT EXISTS (SELECT 1 FROM medication_administrations a WHERE a.prescription_id = p.prescription_id)`,
        [p.patient_id, rawMedicines],
      );
      fresh.set(p.patient_id, rows);
    }
  });
  const raw = (i: number) => {
    const { patientId } = scanOf(i, 'raw');
    const dose = fresh.get(patientId)!.pop()!;
    const nurse = senders[i % NURSES]!.userId;
    return inRawUserTransaction(o.pool, nurse, async (client) => {
      let drawnId: unknown;
      for (const q of captured.get(patientId)!) {
        const params = [...q.parameters];
        const insert = q.sql.includes('INSERT INTO medication_administrations');
        // The dose goes in under the id its own read drew (the captured one is taken), for this nurse's fresh dose.
        if (insert) [params[0], params[1], params[3], params[10]] = [drawnId, dose.prescription_id, dose.at, nurse];
        const result = await client.query(q.sql, params);
        if (q.sql.includes('nextval(')) drawnId = (result.rows[0] as { administrationId: number }).administrationId;
        if (insert && result.rowCount === 1) stored.raw++;
      }
    });
  };

  if (o.profile) await profileScan(o.pool, nurse0, captured.get(patients[0]!.patient_id)!);

  await measure('warm-up', WARM_UP, NURSES, door);
  await measure('warm-up', Math.min(WARM_UP, patients.length), NURSES, raw);
  // One nurse alone: the time a scan takes with the machine to itself, about the CPU it costs.
  const alone = await measure('handler: scan-to-answer, one nurse alone', ALONE, 1, door);
  if (o.profile && o.superuserUrl) {
    const statements = await startStatementStats(o.superuserUrl);
    await measure('profile', o.count, NURSES, door);
    await statements.print(o.count);
  }
  // The door and raw pg in alternating rounds, so a drift of this VM's speed falls on both alike.
  const [through, baseline] = await measureAlternating(
    [
      { label: `handler: scan-to-answer, ${NURSES} nurses at once`, op: door, cpu: 'scan' },
      { label: `raw pg, same SQL: scan-to-answer, ${NURSES} at once`, op: raw, cpu: 'raw pg scan' },
    ],
    o.count,
    NURSES,
  );
  printTable(
    `scan-to-answer (both scans checked, dose stored) — ${NURSES} nurses, ${patients.length} patients, ${o.beds.toLocaleString('en')} beds, ${o.past.toLocaleString('en')} past admissions`,
    [baseline, alone, through],
    baseline,
  );
  console.log(`doses stored: through the door ${stored.door} of ${doorScans}, raw pg ${stored.raw}`);
  return [`scan-to-answer (${NURSES} nurses at once)`, through, 50];
}

async function profileScan(pool: ReturnType<typeof createPool>, userId: string, queries: CompiledQuery[]) {
  const runs = new Map<string, number[]>();
  for (let r = 0; r < 9; r++) {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${userId}', true)`);
      for (const q of queries) {
        const t = performance.now();
        await client.query(q.sql, [...q.parameters]);
        const label = q.sql.replace(/\s+/g, ' ').slice(0, 150);
        runs.set(label, [...(runs.get(label) ?? []), performance.now() - t]);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
  const medians = [...runs].map(([label, times]) => [times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, label] as const);
  for (const [ms, label] of medians.sort((a, b) => b[0] - a[0])) console.log(`${ms.toFixed(2).padStart(7)} ms  ${label}`);
}
