import { pipeline } from 'node:stream/promises';
import { faker } from '@faker-js/faker';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { hashPassword } from '../auth/password.js';
import { generatePatients, patientCopyStream, PATIENT_COPY_COLUMNS, seededRandom, type PatientRow } from './patient-rows.js';
import { insertFormulary, insertFormularyBefore020 } from './formulary-seed.js';
import { insertPharmacyDemo } from './pharmacy-demo.js';
import { seedOperationsDemo } from './operations-demo.js';
import { seedWardDemo } from './ward-demo.js';
import { DEMO_USERS, DEPARTMENTS, ROOM_TYPES, SPECIALIZATIONS } from './reference-data.js';

export interface SeedOptions {
  patients: number;
  /** The one password every demo user gets. Never stored anywhere but as argon2id hashes. */
  demoPassword: string;
  seed?: number;
  /** Appointments are laid out from this day for 14 days (default: today). */
  today?: Date;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface SeedSummary {
  patientsAdded: number;
  appointmentsAdded: number;
  copyMillis: number;
}

/**
 * Loads demo data as the table owner in one transaction: reference data is idempotent
 * (ON CONFLICT DO NOTHING), patients are appended through COPY, appointments only into an empty book.
 * Works for a non-superuser owner: row level security is FORCEd for it too, so the patient data is
 * written as the demo administrator (a transaction-local user context), like any administrator's.
 */
export async function seedDemoData(pool: pg.Pool, options: SeedOptions): Promise<SeedSummary> {
  const seed = options.seed ?? 20261126;
  const progress = options.onProgress ?? (() => undefined);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    progress('reference data', 0, 1);
    const departmentIds = await insertDepartments(client);
    const adminId = await insertDemoUsers(client, departmentIds, await hashPassword(options.demoPassword));
    // FORCEd row level security binds a non-superuser owner too: from here on it acts as the demo administrator.
    await client.query(`SELECT set_config('app.current_user_id', $1, true)`, [adminId]);
    const doctorIds = await insertDoctors(client, departmentIds, seed);
    await insertStaffRoomsAndMedicine(client, departmentIds, seed);
    progress('reference data', 1, 1);

    const started = performance.now();
    const wardIds = ['WA', 'WB', 'GM', 'CAR'].map((code) => departmentIds.get(code)!);
    await loadPatients(client, generatePatients(options.patients, seed, wardIds), (copied) =>
      progress('patients', copied, options.patients),
    );
    const copyMillis = performance.now() - started;

    const appointmentsAdded = await insertAppointments(client, doctorIds, options.today ?? new Date(), seed);
    progress('appointments', appointmentsAdded, appointmentsAdded);
    const pharmacy = await insertPharmacyDemo(client, options.patients);
    progress('prescriptions', pharmacy.orders, pharmacy.orders);
    await seedOperationsDemo(client, adminId, options.today ?? new Date(), seed);
    await seedWardDemo(client, adminId, options.today ?? new Date());
    await client.query(
      `INSERT INTO audit_log (table_name, operation, new_values)
       VALUES ('patients', 'SEED', jsonb_build_object('patients_added', $1::int, 'appointments_added', $2::int))`,
      [options.patients, appointmentsAdded],
    );
    await client.query('COMMIT');
    progress('analyze', 0, 1);
    // VACUUM too: a freshly bulk-loaded table has no visibility map yet, and autovacuum would
    // otherwise arrive later and compete with the first users.
    await client.query('VACUUM (ANALYZE)');
    progress('analyze', 1, 1);
    return { patientsAdded: options.patients, appointmentsAdded, copyMillis };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * COPY refuses a table whose row level security applies to the caller, so rows are copied into a
 * temporary table and moved with one INSERT … SELECT, which the policies check like any insert.
 */
async function loadPatients(client: pg.PoolClient, rows: Iterable<PatientRow>, onCopied: (copied: number) => void): Promise<void> {
  const columns = PATIENT_COPY_COLUMNS.join(', ');
  await client.query(`CREATE TEMP TABLE seed_patients ON COMMIT DROP AS SELECT ${columns} FROM patients WITH NO DATA`);
  let copied = 0;
  await pipeline(
    patientCopyStream(rows, (n) => onCopied((copied += n))),
    client.query(copyFrom(`COPY seed_patients (${columns}) FROM STDIN`)),
  );
  // One audit row records the whole load (seedDemoData) and the name words go in as one set: a row
  // trigger per patient would more than double the time. Off for this transaction only: the lock
  // ALTER TABLE takes keeps every other writer of patients waiting until they are on again.
  await client.query('ALTER TABLE patients DISABLE TRIGGER patients_audit, DISABLE TRIGGER patients_name_words');
  await client.query(`INSERT INTO patients (${columns}) SELECT ${columns} FROM seed_patients`);
  await client.query('ALTER TABLE patients ENABLE TRIGGER patients_audit, ENABLE TRIGGER patients_name_words');
  await client.query(`INSERT INTO patient_name_words (word)
    SELECT lower(last_name) FROM seed_patients UNION SELECT lower(first_name) FROM seed_patients ON CONFLICT DO NOTHING`);
}

async function insertDepartments(client: pg.PoolClient): Promise<Map<string, number>> {
  await client.query(
    `INSERT INTO departments (name, code, kind)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (name) DO NOTHING`,
    [DEPARTMENTS.map((d) => d.name), DEPARTMENTS.map((d) => d.code), DEPARTMENTS.map((d) => d.kind)],
  );
  const { rows } = await client.query<{ code: string; department_id: number }>(
    'SELECT code, department_id FROM departments WHERE code IS NOT NULL',
  );
  return new Map(rows.map((r) => [r.code, r.department_id]));
}

/** Returns the demo administrator's id. */
async function insertDemoUsers(client: pg.PoolClient, departments: Map<string, number>, passwordHash: string): Promise<string> {
  let adminId = '';
  for (const demo of DEMO_USERS) {
    // A database migrated only part way (tests seed at older migrations) lacks the later roles: skip their users.
    const role = await client.query(`SELECT 1 FROM roles WHERE role_name = $1`, [demo.role]);
    if (role.rowCount === 0) continue;
    const { rows } = await client.query<{ user_id: string }>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING user_id`,
      [demo.email, passwordHash, demo.displayName],
    );
    const userId = rows[0]!.user_id;
    if (demo.role === 'admin') adminId = userId;
    await client.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = $2 ON CONFLICT DO NOTHING`,
      [userId, demo.role],
    );
    const [first, ...rest] = demo.displayName.replace(/^Dr /, '').split(' ');
    await client.query(
      `INSERT INTO staff (user_id, first_name, last_name, role, department_id, email)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO NOTHING`,
      [userId, first, rest.join(' '), demo.staffRole, departments.get(demo.department), demo.email],
    );
  }
  return adminId;
}

async function insertDoctors(client: pg.PoolClient, departments: Map<string, number>, seed: number): Promise<number[]> {
  faker.seed(seed + 1);
  const demoDoctor = await client.query<{ user_id: string }>(`SELECT user_id FROM users WHERE email = 'doctor@demo.clinic'`);
  for (const [code, specializations] of Object.entries(SPECIALIZATIONS)) {
    for (let n = 1; n <= 3; n += 1) {
      const isDemo = code === 'GM' && n === 1;
      await client.query(
        `INSERT INTO doctors (user_id, first_name, last_name, specialization, department_id, license_number, slot_minutes, email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (license_number) DO NOTHING`,
        [
          isDemo ? (demoDoctor.rows[0]?.user_id ?? null) : null,
          isDemo ? 'Dana' : faker.person.firstName(),
          isDemo ? 'Doctor' : faker.person.lastName(),
          specializations[(n - 1) % specializations.length],
          departments.get(code),
          `LIC-${code}-${String(n).padStart(3, '0')}`,
          code === 'CAR' ? 20 : 15,
          `${code.toLowerCase()}${n}@demo.clinic`,
        ],
      );
    }
  }
  // Weekdays 08:00–12:00 and 13:00–17:00 for any doctor without hours yet.
  await client.query(`
    INSERT INTO doctor_working_hours (doctor_id, iso_weekday, start_time, end_time)
    SELECT d.doctor_id, day, shift.start_time, shift.end_time
    FROM doctors d
    CROSS JOIN generate_series(1, 5) AS day
    CROSS JOIN (VALUES (TIME '08:00', TIME '12:00'), (TIME '13:00', TIME '17:00')) AS shift(start_time, end_time)
    WHERE NOT EXISTS (SELECT 1 FROM doctor_working_hours h WHERE h.doctor_id = d.doctor_id)`);
  const { rows } = await client.query<{ doctor_id: number }>('SELECT doctor_id FROM doctors ORDER BY doctor_id');
  return rows.map((r) => r.doctor_id);
}

async function insertStaffRoomsAndMedicine(client: pg.PoolClient, departments: Map<string, number>, seed: number) {
  faker.seed(seed + 2);
  const {
    rows: [{ count } = { count: '0' }],
  } = await client.query<{ count: string }>(`SELECT count(*) FROM staff WHERE user_id IS NULL`);
  if (Number(count) === 0) {
    for (const code of ['WA', 'WB', 'ED']) {
      for (let n = 0; n < 6; n += 1) {
        await client.query(`INSERT INTO staff (first_name, last_name, role, department_id, hire_date) VALUES ($1, $2, 'nurse', $3, $4)`, [
          faker.person.firstName(),
          faker.person.lastName(),
          departments.get(code),
          faker.date.past({ years: 15 }).toISOString().slice(0, 10),
        ]);
      }
    }
    for (let n = 0; n < 4; n += 1) {
      await client.query(`INSERT INTO staff (first_name, last_name, role) VALUES ($1, $2, 'cleaner')`, [
        faker.person.firstName(),
        faker.person.lastName(),
      ]);
    }
  }
  for (const t of ROOM_TYPES) {
    await client.query(
      `INSERT INTO room_types (type_name, description, daily_rate) VALUES ($1, $2, $3) ON CONFLICT (type_name) DO NOTHING`,
      [t.type_name, t.description, t.daily_rate],
    );
  }
  await client.query(`
    INSERT INTO rooms (room_number, room_type_id, department_id, floor, bed_count)
    SELECT d.code || '-' || lpad(n::text, 2, '0'), rt.room_type_id, d.department_id,
           CASE d.code WHEN 'WA' THEN 2 ELSE 3 END, CASE WHEN rt.type_name = 'General Ward' THEN 4 ELSE 1 END
    FROM departments d
    CROSS JOIN generate_series(1, 12) AS n
    JOIN room_types rt ON rt.type_name = CASE WHEN n <= 8 THEN 'General Ward' WHEN n <= 10 THEN 'Private' WHEN n = 11 THEN 'ICU' ELSE 'Isolation' END
    WHERE d.code IN ('WA', 'WB')
    ON CONFLICT (room_number) DO NOTHING`);
  const { rows } = await client.query<{ ledger: boolean }>(`SELECT to_regclass('public.drug_interactions') IS NOT NULL AS ledger`);
  await (rows[0]?.ledger ? insertFormulary(client) : insertFormularyBefore020(client));
}

/** Fills each doctor's book for the next 14 days at about 60%, one patient per appointment. */
async function insertAppointments(client: pg.PoolClient, doctorIds: number[], today: Date, seed: number): Promise<number> {
  const booked = await client.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM appointments) AS exists');
  if (booked.rows[0]?.exists) return 0;
  const { rows: patients } = await client.query<{ patient_id: number }>('SELECT patient_id FROM patients ORDER BY patient_id LIMIT 20000');
  if (patients.length === 0) return 0;
  const { rows: doctors } = await client.query<{ doctor_id: number; slot_minutes: number; department_id: number | null }>(
    'SELECT doctor_id, slot_minutes, department_id FROM doctors WHERE doctor_id = ANY($1)',
    [doctorIds],
  );
  const random = seededRandom(seed + 3);
  const purposes = [
    'Follow-up',
    'New referral',
    'Blood pressure review',
    'Medication review',
    'Post-operative check',
    'Vaccination',
    'Test results',
  ];
  const columns = {
    patient: [] as number[],
    doctor: [] as number[],
    date: [] as string[],
    time: [] as string[],
    duration: [] as number[],
    department: [] as (number | null)[],
    purpose: [] as string[],
  };
  let nextPatient = 0;
  for (let day = 0; day < 14; day += 1) {
    const date = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate() + day));
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const doctor of doctors) {
      for (const [from, to] of [
        [8 * 60, 12 * 60],
        [13 * 60, 17 * 60],
      ] as const) {
        for (let minute = from; minute + doctor.slot_minutes <= to; minute += doctor.slot_minutes) {
          if (random() > 0.6 || nextPatient >= patients.length) continue;
          // Each patient is used once, so no patient is ever in two places at once.
          columns.patient.push(patients[nextPatient++]!.patient_id);
          columns.doctor.push(doctor.doctor_id);
          columns.date.push(date.toISOString().slice(0, 10));
          columns.time.push(`${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`);
          columns.duration.push(doctor.slot_minutes);
          columns.department.push(doctor.department_id);
          columns.purpose.push(purposes[Math.floor(random() * purposes.length)]!);
        }
      }
    }
  }
  await client.query(
    `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, department_id, purpose)
     SELECT * FROM unnest($1::int[], $2::int[], $3::date[], $4::time[], $5::smallint[], $6::int[], $7::text[])`,
    [columns.patient, columns.doctor, columns.date, columns.time, columns.duration, columns.department, columns.purpose],
  );
  return columns.patient.length;
}
