// The front desk's offline working set, built on real PostgreSQL as a front-desk user and kept on
// disk only sealed (AES-256-GCM): searchable and bookable against while the database is away.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inUserTransaction } from '../../../main/db/user-transaction.js';
import { buildLocalView } from '../../../main/scheduling/offline/local-view.js';
import {
  buildWorkingSet,
  loadWorkingSet,
  saveWorkingSet,
  searchWorkingSet,
  type WorkingSet,
} from '../../../main/scheduling/offline/working-set.js';
import { coversWorkingSet } from '../../../main/scheduling/offline/offline-desk.repository.js';
import { assembleBook } from '../../../main/scheduling/booking-rules.js';
import { addDays } from '../../../main/scheduling/booking-rules.js';
import { testSealedFiles } from '../../support/memory-secrets.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let dir: string;
let set: WorkingSet;
const key = randomBytes(32);
// Generations of sealed files live in the OS keychain; an in-memory one stands in here (the real one: offline-sealed-keychain.test.ts).
const files = testSealedFiles(key);
const today = (() => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
})();

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  dir = mkdtempSync(path.join(os.tmpdir(), 'working-set-'));
  const recent = (
    await database.ownerPool.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth, contact_number) VALUES ('Maria', 'Garcia', '1980-02-03', '0411000001') RETURNING patient_id`,
    )
  ).rows[0].patient_id;
  const clerk = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`)).rows[0].user_id;
  set = await inUserTransaction(database.db, clerk, (trx) => buildWorkingSet(trx, { today, recentPatientIds: [recent] }), {
    readOnly: true,
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe('offline working set', () => {
  it('holds the doctors with their hours, two weeks of appointments, and the patients they need', async () => {
    expect(set.doctors.length).toBeGreaterThan(5);
    expect(set.doctors.every((d) => d.hours.length > 0)).toBe(true);
    const demoAppointments = Number(
      (
        await database.ownerPool.query(`SELECT count(*) FROM appointments WHERE appointment_date BETWEEN $1 AND $2`, [
          today,
          addDays(today, 14),
        ])
      ).rows[0].count,
    );
    expect(set.appointments).toHaveLength(demoAppointments);
    const ids = new Set(set.patients.map((p) => p.patientId));
    expect(set.appointments.every((a) => ids.has(a.patientId))).toBe(true);
  });

  it('is stored sealed: no names in the file, unreadable with another key, refused when altered', () => {
    const bytes = saveWorkingSet(dir, files, set);
    expect(bytes).toBeGreaterThan(1000);
    const raw = readFileSync(path.join(dir, 'working-set.bin'));
    expect(raw.includes(Buffer.from('Garcia'))).toBe(false);
    expect(loadWorkingSet(dir, files)?.patients.length).toBe(set.patients.length);
    expect(loadWorkingSet(dir, { ...files, key: randomBytes(32) })).toBeNull();
    raw[raw.length - 5] = raw[raw.length - 5]! ^ 0x01;
    writeFileSync(path.join(dir, 'working-set.bin'), raw);
    expect(loadWorkingSet(dir, files)).toBeNull();
  });

  it('is covered only for users who see every patient and appointment in it online (asked as each user, RLS applies)', async () => {
    const idOf = async (email: string) =>
      (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = $1`, [email])).rows[0].user_id as string;
    const covers = async (email: string) =>
      inUserTransaction(database.db, await idOf(email), (trx) => coversWorkingSet(trx, set), { readOnly: true });
    expect(await covers('frontdesk@demo.clinic')).toBe(true);
    expect(await covers('admin@demo.clinic')).toBe(true);
    expect(await covers('nurse@demo.clinic')).toBe(false);
    expect(await covers('pharmacist@demo.clinic')).toBe(false);
    expect(await covers('doctor@demo.clinic')).toBe(false);
  });

  it('answers the same kinds of search as online, and knows the free slots', () => {
    expect(searchWorkingSet(set, 'Garcia, Maria').map((p) => p.dateOfBirth)).toContain('1980-02-03');
    expect(searchWorkingSet(set, 'maria garc')).toHaveLength(1);
    expect(searchWorkingSet(set, '0411000001')).toHaveLength(1);
    expect(searchWorkingSet(set, '03/02/1980')).toHaveLength(1);
    // Free slots as the offline book shows them: the working set with this terminal's own bookings laid over it.
    const freeAt = (view: WorkingSet, doctorId: number, date: string) =>
      assembleBook(
        view.doctors.filter((d) => d.doctorId === doctorId),
        view.appointments,
        date,
        1,
      )[0]!
        .slots.filter((s) => s.appointmentId === null)
        .map((s) => s.time);
    const booked = set.appointments.find((a) => a.status === 'Scheduled')!;
    const free = freeAt(set, booked.doctorId, booked.date);
    expect(free).not.toContain(booked.time);
    const firstFree = free[0]!;
    const bookedHere = {
      key: 'offline-1',
      userId: 'u',
      createdAt: new Date().toISOString(),
      channel: 'scheduling/book-appointment',
      input: { patientId: booked.patientId, doctorId: booked.doctorId, slot: { date: booked.date, time: firstFree } },
      dependsOn: [],
      provisionalId: -1,
    };
    expect(freeAt(buildLocalView(set, [bookedHere]), booked.doctorId, booked.date)).not.toContain(firstFree);
  });

  it("keeps only its department's doctors and their patients when the terminal books for one", async () => {
    const clerk = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`)).rows[0].user_id;
    const departmentId = set.doctors[0]!.departmentId!;
    const one = await inUserTransaction(database.db, clerk, (trx) => buildWorkingSet(trx, { today, departmentId, recentPatientIds: [] }), {
      readOnly: true,
    });
    expect(one.doctors.length).toBeGreaterThan(0);
    expect(one.doctors.length).toBeLessThan(set.doctors.length);
    expect(one.doctors.every((d) => d.departmentId === departmentId)).toBe(true);
    const doctorIds = new Set(one.doctors.map((d) => d.doctorId));
    expect(one.appointments.every((a) => doctorIds.has(a.doctorId))).toBe(true);
    expect(one.patients.length).toBeLessThan(set.patients.length);
  });
});
