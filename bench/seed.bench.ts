// `npm run seed`'s patient load (faker vocabulary + generator + COPY, with indexes, in one
// transaction) beside a plain COPY of the very same rows, pre-rendered in memory, into an
// identical empty table. Prints times and rows/s; asserts nothing.
//   npm run bench:seed [-- --patients 1000000]
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import { createPool } from '../main/db/connection.js';
import { generatePatients, patientCopyStream, PATIENT_COPY_COLUMNS } from '../main/seed/patient-rows.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';
import { progressPrinter } from '../scripts/seed.js';
import { benchDatabase } from './support.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '1000000' } } });
const PATIENTS = Number(values.patients);

const { cluster, ownerUrl } = await benchDatabase('bench_seed');
try {
  const pool = createPool({ connectionString: ownerUrl, max: 2 });
  const started = performance.now();
  const summary = await seedDemoData(pool, { patients: PATIENTS, demoPassword: 'bench-only-demo-password', onProgress: progressPrinter() });
  const seedSeconds = (performance.now() - started) / 1000;

  // Baseline: the same rows, rendered to COPY text before timing starts, into a fresh copy of the table.
  const departments = (
    await pool.query<{ department_id: number }>(
      `SELECT department_id FROM departments WHERE code IN ('WA','WB','GM','CAR') ORDER BY array_position(ARRAY['WA','WB','GM','CAR'], code::text)`,
    )
  ).rows.map((r) => r.department_id);
  const chunks: string[] = [];
  await new Promise<void>((resolve, reject) => {
    patientCopyStream(generatePatients(PATIENTS, 20261126, departments))
      .on('data', (c: Buffer | string) => chunks.push(c.toString()))
      .on('end', resolve)
      .on('error', reject);
  });
  const client = await pool.connect();
  await client.query('CREATE TABLE patients_copy_baseline (LIKE patients INCLUDING ALL)');
  const t0 = performance.now();
  await client.query('BEGIN');
  await pipeline(
    Readable.from(chunks),
    client.query(copyFrom(`COPY patients_copy_baseline (${PATIENT_COPY_COLUMNS.join(', ')}) FROM STDIN`)),
  );
  await client.query('COMMIT');
  const copySeconds = (performance.now() - t0) / 1000;
  client.release();
  await pool.end();

  const patientSeconds = summary.copyMillis / 1000;
  console.log(`\nSeed of ${PATIENTS.toLocaleString('en')} patients (embedded PostgreSQL 18, 2 cores)`);
  console.log(
    `  npm run seed, total (reference data, patients, ${summary.appointmentsAdded} appointments, ANALYZE): ${seedSeconds.toFixed(1)} s`,
  );
  console.log(
    `  patients phase (generate + COPY):   ${patientSeconds.toFixed(1)} s  ${Math.round(PATIENTS / patientSeconds).toLocaleString('en')} rows/s`,
  );
  console.log(
    `  plain COPY of the same rows:        ${copySeconds.toFixed(1)} s  ${Math.round(PATIENTS / copySeconds).toLocaleString('en')} rows/s`,
  );
  console.log(`  ratio (seed patients phase / plain COPY): ${(patientSeconds / copySeconds).toFixed(2)}×`);
} finally {
  await cluster.stop();
}
