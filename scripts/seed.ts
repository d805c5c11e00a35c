// Loads demo data into the database DATABASE_URL names, as the schema owner (which need not be a
// superuser: row level security applies to it, and the load runs as the demo administrator):
//   npm run seed [-- --patients 100000]
// Demo users get the password in CLINIC_DEMO_PASSWORD, or a generated one printed once here.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPool } from '../main/db/connection.js';
import { DEMO_USERS } from '../main/seed/reference-data.js';
import { seedDemoData } from '../main/seed/seed-demo-data.js';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastPrint = 0;
  return (phase: string, done: number, total: number) => {
    const now = performance.now();
    if (done < total && now - lastPrint < 250) return;
    lastPrint = now;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const rate = ((done / Math.max(now - started, 1)) * 1000).toFixed(0);
    const line = `${phase.padEnd(16)} ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${pct}%)${phase === 'patients' ? `  ${rate} rows/s` : ''}`;
    stream.write(stream.isTTY ? `\r${line.padEnd(70)}${done >= total ? '\n' : ''}` : done >= total ? `${line}\n` : '');
  };
}

async function main() {
  const { values } = parseArgs({
    options: { patients: { type: 'string', default: '2000' }, seed: { type: 'string', default: '20261126' } },
  });
  const patients = Number(values.patients);
  if (!Number.isInteger(patients) || patients < 0 || patients > 50_000_000) {
    console.error('--patients must be a whole number from 0 to 50000000');
    process.exit(2);
  }
  if (!process.env.DATABASE_URL) {
    console.error('DATABASE_URL is not set. Run migrations first: npm run migrate -- --all');
    process.exit(2);
  }
  const generated = !process.env.CLINIC_DEMO_PASSWORD;
  const demoPassword = process.env.CLINIC_DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
  const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 1, applicationName: 'clinic-seed' });
  const started = performance.now();
  try {
    const summary = await seedDemoData(pool, { patients, demoPassword, seed: Number(values.seed), onProgress: progressPrinter() });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Seeded ${summary.patientsAdded.toLocaleString('en')} patients and ${summary.appointmentsAdded} appointments in ${seconds.toFixed(1)} s ` +
        `(patients COPY ${(summary.copyMillis / 1000).toFixed(1)} s, ${Math.round(summary.patientsAdded / (summary.copyMillis / 1000)).toLocaleString('en')} rows/s).`,
    );
    console.log(`Demo users: ${DEMO_USERS.map((u) => u.email).join(', ')}`);
    if (generated) console.log(`Their password (shown once, not stored anywhere): ${demoPassword}`);
  } finally {
    await pool.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
