// Two terminals on one real PostgreSQL: terminal A reaches it through a loopback TCP proxy that the
// test cuts like a network cable; terminal B stays online. A keeps booking offline from its sealed
// working set and outbox; when the link returns it replays by itself, and what clashed meanwhile
// lands in its Needs-attention inbox with the next free slots. Nothing acknowledged is lost.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, AttentionItem, PatientSummary, SystemStatus } from '../../../contract/index.js';
import { createAppCore, type AppCore } from '../../../main/app-core.js';
import { createPool } from '../../../main/db/connection.js';
import { addDays, daySlots, minutesOf } from '../../../main/scheduling/booking-rules.js';
import { localNow } from '../../../main/shared/clinic-time.js';
import { startCuttableProxy } from '../../support/cuttable-proxy.js';
import { memorySecretStore } from '../../support/memory-secrets.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
let dir: string;
const key = randomBytes(32);
// The keychain holds the key's companions, the sealed files' generations: in memory here (the real keychain: offline-sealed-keychain.test.ts).
const secrets = memorySecretStore();
let terminalA: AppCore;
let terminalB: AppCore;
let proxiedPool: ReturnType<typeof createPool>;
let doctorId: number;
let day: string;
/** Lets a test act on terminal A's status pushes (cut the link in the middle of a replay). */
let onStatus: ((status: SystemStatus) => void) | null = null;

const openTerminalA = () =>
  createAppCore({
    pool: proxiedPool,
    mode: 'server',
    terminal: { name: 'front-desk-a', role: 'front_desk' },
    offline: { dir, key, secrets },
    logInternal: () => undefined,
    onStatusChange: (status) => onStatus?.(status),
  });

async function call<T>(core: AppCore, sender: string, channel: string, input: unknown): Promise<T> {
  const result = await core.dispatch(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  const target = new URL(database.appUrl);
  proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port) });
  target.port = String(proxy.port);
  proxiedPool = createPool({ connectionString: target.toString(), max: 4, connectionTimeoutMillis: 1000 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'offline-desk-'));
  const doctor = await database.ownerPool.query(
    `SELECT d.doctor_id FROM doctors d WHERE d.slot_minutes = 15 AND EXISTS (SELECT 1 FROM doctor_working_hours h WHERE h.doctor_id = d.doctor_id AND h.start_time <= '10:00' AND h.end_time >= '12:00') ORDER BY d.doctor_id LIMIT 1`,
  );
  doctorId = doctor.rows[0].doctor_id;
  const hours = (
    await database.ownerPool.query(
      `SELECT iso_weekday, EXTRACT(HOUR FROM start_time) * 60 + EXTRACT(MINUTE FROM start_time) AS start, EXTRACT(HOUR FROM end_time) * 60 + EXTRACT(MINUTE FROM end_time) AS "end" FROM doctor_working_hours WHERE doctor_id = $1`,
      [doctorId],
    )
  ).rows.map((h) => ({ iso_weekday: h.iso_weekday, start: Number(h.start), end: Number(h.end) }));
  // The first day from tomorrow on where the doctor works at 10:00, with 10:00–11:00 cleared for the test.
  for (let d = 1; d < 14 && !day; d += 1) {
    const date = addDays(localNow(new Date()).date, d);
    if (daySlots(hours, date, 15).includes(minutesOf('10:00')) && daySlots(hours, date, 15).includes(minutesOf('11:45'))) day = date;
  }
  await database.ownerPool.query(
    `UPDATE appointments SET status = 'Cancelled', cancel_reason = 'cleared for the test' WHERE (doctor_id = $1 OR patient_id = 1) AND appointment_date = $2 AND appointment_time BETWEEN '09:00' AND '12:00'`,
    [doctorId, day],
  );
  terminalA = openTerminalA();
  terminalA.startTimers();
  terminalB = createAppCore({
    pool: database.appPool,
    mode: 'server',
    terminal: { name: 'front-desk-b', role: 'front_desk' },
    logInternal: () => undefined,
  });
  await terminalB.monitor.check();
}, 60_000);

afterAll(async () => {
  await terminalA?.close();
  await terminalB?.close();
  await proxiedPool?.end().catch(() => undefined);
  await proxy?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a front desk through a network cut', () => {
  let walkIn: PatientSummary;
  let offlineBooking: Appointment;

  it('signs in online, keeps a working set, and notices the cut within 5 s', async () => {
    await expect.poll(() => terminalA.status().database, { timeout: 5000 }).toBe('connected');
    await call(terminalA, 'a1', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    await terminalA.offline!.refreshNow();
    expect(terminalA.offline!.view().doctors.some((d) => d.doctorId === doctorId)).toBe(true);

    proxy.cut();
    const cutAt = Date.now();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    console.info(`network cut noticed after ${Date.now() - cutAt} ms`);
  });

  it('signs in offline with the password last used here, with front-desk permissions only', async () => {
    expect(
      await terminalA.dispatch('a2', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: 'not the password' }),
    ).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    expect(
      await terminalA.dispatch('a2', 'session/sign-in', { email: 'admin@demo.clinic', password: database.demoPassword }),
    ).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    const session = await call<{ user: { permissions: string[] } }>(terminalA, 'a2', 'session/sign-in', {
      email: 'frontdesk@demo.clinic',
      password: database.demoPassword,
    });
    expect(session.user.permissions.sort()).toEqual(['appointments.read', 'appointments.write', 'patients.read', 'patients.write']);
  });

  it('registers a walk-in and books it offline: saved on this terminal, counted as waiting', async () => {
    const registered = await call<{ status: string; patient: PatientSummary }>(terminalA, 'a2', 'patients/register-patient', {
      firstName: 'Wanda',
      lastName: 'Walkin',
      dateOfBirth: '1991-04-05',
      contactNumber: '0499 123 456',
    });
    expect(registered).toMatchObject({ status: 'registered', patient: { queued: true } });
    walkIn = registered.patient;
    expect(walkIn.patientId).toBeLessThan(0);
    offlineBooking = await call<Appointment>(terminalA, 'a2', 'scheduling/book-appointment', {
      patientId: walkIn.patientId,
      doctorId,
      slot: { date: day, time: '10:00' },
    });
    expect(offlineBooking).toMatchObject({ queued: true, status: 'Scheduled', patientName: 'Walkin, Wanda', time: '10:00' });
    // The terminal's own rules hold offline: the same patient cannot be in two places.
    expect(
      await terminalA.dispatch('a2', 'scheduling/book-appointment', {
        patientId: walkIn.patientId,
        doctorId,
        slot: { date: day, time: '10:00' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Conflict', nextFreeSlots: [{ date: day, time: '10:15' }, expect.anything(), expect.anything()] },
    });
    expect(await call(terminalA, 'a2', 'patients/search-patients', { query: 'walkin, wan' })).toMatchObject([
      { patientId: walkIn.patientId, queued: true },
    ]);
    const book = await call<{ slots: { time: string; appointmentId: number | null }[] }[]>(terminalA, 'a2', 'scheduling/get-book', {
      doctorIds: [doctorId],
      from: day,
      days: 1,
    });
    expect(book[0]!.slots.find((s) => s.time === '10:00')?.appointmentId).toBe(offlineBooking.appointmentId);
    expect(terminalA.status()).toMatchObject({ database: 'unreachable', waitingChanges: 2, needsAttention: 0 });
  });

  it('keeps what it acknowledged across a restart of the app', async () => {
    await terminalA.close();
    terminalA = openTerminalA();
    terminalA.startTimers();
    expect(terminalA.offline!.counts().waitingChanges).toBe(2);
    expect(
      terminalA
        .offline!.view()
        .appointments.some((a) => a.appointmentId === offlineBooking.appointmentId && a.patientName === 'Walkin, Wanda'),
    ).toBe(true);
  });

  it('after the link returns, replays by itself: the walk-in exists once, the clash waits in Needs attention', async () => {
    // Meanwhile terminal B, online, books the same doctor at 10:00.
    await call(terminalB, 'b1', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    await call(terminalB, 'b1', 'scheduling/book-appointment', { patientId: 1, doctorId, slot: { date: day, time: '10:00' } });

    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 10_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 1 });
    const onServer = await database.ownerPool.query(`SELECT patient_id FROM patients WHERE last_name = 'Walkin' AND first_name = 'Wanda'`);
    expect(onServer.rowCount).toBe(1);
    const audited = await database.ownerPool.query(
      `SELECT u.email FROM audit_log a JOIN users u ON u.user_id = a.user_id WHERE a.table_name = 'patients' AND a.operation = 'INSERT' AND (a.new_values->>'patient_id')::int = $1`,
      [onServer.rows[0].patient_id],
    );
    expect(audited.rows).toEqual([{ email: 'frontdesk@demo.clinic' }]);
    // The offline sign-in reached the server's audit trail too, marked as made offline on this terminal.
    const signIns = await database.ownerPool.query(
      `SELECT new_values->>'terminal' AS terminal, new_values->>'signed_in_at' AS at FROM audit_log WHERE operation = 'SIGNIN' AND new_values->>'offline' = 'true'`,
    );
    expect(signIns.rows).toEqual([{ terminal: 'front-desk-a', at: expect.any(String) }]);

    await call(terminalA, 'a3', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    const [item] = await call<AttentionItem[]>(terminalA, 'a3', 'offline/list-attention-items', {});
    expect(item).toMatchObject({
      code: 'Conflict',
      summary: expect.stringContaining(`${day} 10:00, for Walkin, Wanda`),
      madeBy: expect.any(String),
      fixes: ['book-slot', 'discard'],
      nextFreeSlots: [
        { date: day, time: '10:15' },
        { date: day, time: '10:30' },
        { date: day, time: '10:45' },
      ],
    });

    // One key: the first free slot. The booking is made for the walk-in's server id.
    expect(
      await call(terminalA, 'a3', 'offline/resolve-attention-item', { key: item!.key, fix: 'book-slot', slot: item!.nextFreeSlots[0] }),
    ).toEqual([]);
    const booked = await database.ownerPool.query(
      `SELECT to_char(appointment_time, 'HH24:MI') AS time FROM appointments WHERE patient_id = $1 AND status = 'Scheduled'`,
      [onServer.rows[0].patient_id],
    );
    expect(booked.rows).toEqual([{ time: '10:15' }]);
    expect(terminalA.status()).toMatchObject({ waitingChanges: 0, needsAttention: 0 });
  }, 30_000);

  it('a fix that is refused changes nothing and keeps the item', async () => {
    expect(
      await terminalA.dispatch('a3', 'offline/resolve-attention-item', { key: randomBytes(16).toString('hex'), fix: 'discard' }),
    ).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });

  it('a replay cut off halfway by the network resumes when it returns, and applies each change once', async () => {
    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    const QUEUED = 1500; // more than one replay batch (1,000)
    for (let i = 0; i < QUEUED; i += 1) {
      const result = await terminalA.dispatch('a3', 'patients/register-patient', {
        firstName: 'Halfway',
        lastName: `Queued${i}`,
        dateOfBirth: '1988-08-08',
        confirmNotDuplicate: true,
      });
      expect(result.ok).toBe(true);
    }
    expect(terminalA.status().waitingChanges).toBe(QUEUED);
    let cutsMidReplay = 0;
    onStatus = (status) => {
      // The first batch is committed and marked done: cut the cable before the next one.
      if (cutsMidReplay === 0 && status.waitingChanges > 0 && status.waitingChanges < QUEUED) {
        cutsMidReplay += 1;
        proxy.cut();
      }
    };
    proxy.restore();
    await expect.poll(() => cutsMidReplay, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    const halfway = terminalA.status().waitingChanges;
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(QUEUED);
    onStatus = null;
    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 15_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 0 });
    const rows = await database.ownerPool.query(
      `SELECT count(*)::int AS n, count(DISTINCT last_name)::int AS distinct_names FROM patients WHERE first_name = 'Halfway'`,
    );
    expect(rows.rows[0]).toEqual({ n: QUEUED, distinct_names: QUEUED });
    console.info(`replay cut with ${halfway} of ${QUEUED} changes still waiting; resumed and finished with each applied once`);
  }, 60_000);

  it('a walk-in the server already knows waits with its booking; "use the existing patient" sends the booking for them', async () => {
    const known = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth, contact_number) VALUES ('Olga', 'Onfile', '1960-06-06', '0400 555 666') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    const twin = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Tom', 'Twin', '1950-05-05') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    // Not in this terminal's working set, so only the server can tell they are already on file.
    const olga = await call<{ patient: PatientSummary }>(terminalA, 'a3', 'patients/register-patient', {
      firstName: 'Olga',
      lastName: 'Onfile',
      dateOfBirth: '1960-06-06',
    });
    const tom = await call<{ patient: PatientSummary }>(terminalA, 'a3', 'patients/register-patient', {
      firstName: 'Tom',
      lastName: 'Twin',
      dateOfBirth: '1950-05-05',
    });
    await call(terminalA, 'a3', 'scheduling/book-appointment', {
      patientId: olga.patient.patientId,
      doctorId,
      slot: { date: day, time: '11:00' },
    });
    await call(terminalA, 'a3', 'scheduling/book-appointment', {
      patientId: tom.patient.patientId,
      doctorId,
      slot: { date: day, time: '11:15' },
    });
    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 15_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 4 });

    const items = await call<AttentionItem[]>(terminalA, 'a3', 'offline/list-attention-items', {});
    const olgaItem = items.find((i) => i.summary.includes('Onfile') && i.channel === 'patients/register-patient')!;
    expect(olgaItem).toMatchObject({ fixes: ['use-patient', 'register-anyway', 'discard'], possibleDuplicates: [{ patientId: known }] });
    expect(items.filter((i) => i.blockedBy !== null).map((i) => i.fixes)).toEqual([['discard'], ['discard']]);
    // A fix that does not apply to the item is refused and changes nothing.
    expect(
      await terminalA.dispatch('a3', 'offline/resolve-attention-item', {
        key: olgaItem.key,
        fix: 'book-slot',
        slot: { date: day, time: '12:00' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'Validation' } });

    const afterOlga = await call<AttentionItem[]>(terminalA, 'a3', 'offline/resolve-attention-item', {
      key: olgaItem.key,
      fix: 'use-patient',
      patientId: known,
    });
    expect(afterOlga).toHaveLength(2);
    const olgaBooked = await database.ownerPool.query(
      `SELECT to_char(appointment_time, 'HH24:MI') AS time FROM appointments WHERE patient_id = $1 AND appointment_date = $2 AND status = 'Scheduled'`,
      [known, day],
    );
    expect(olgaBooked.rows).toEqual([{ time: '11:00' }]);
    expect((await database.ownerPool.query(`SELECT count(*)::int AS n FROM patients WHERE last_name = 'Onfile'`)).rows[0].n).toBe(1);

    // "Register anyway": a second Tom Twin is made, and his booking follows.
    const tomItem = afterOlga.find((i) => i.channel === 'patients/register-patient')!;
    expect(await call(terminalA, 'a3', 'offline/resolve-attention-item', { key: tomItem.key, fix: 'register-anyway' })).toEqual([]);
    const toms = await database.ownerPool.query(`SELECT patient_id FROM patients WHERE last_name = 'Twin' ORDER BY patient_id`);
    expect(toms.rows.map((r) => r.patient_id)[0]).toBe(twin);
    expect(toms.rowCount).toBe(2);
    const tomBooked = await database.ownerPool.query(
      `SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1 AND appointment_time = '11:15' AND status = 'Scheduled'`,
      [toms.rows[1].patient_id],
    );
    expect(tomBooked.rows[0].n).toBe(1);
    expect(terminalA.status()).toMatchObject({ needsAttention: 0 });
  }, 60_000);

  it('moves and cancels offline, including a booking made offline; replay binds each to the real appointment', async () => {
    const patientId = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Mona', 'Mover', '1966-01-01') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    const onServer = await call<Appointment>(terminalB, 'b1', 'scheduling/book-appointment', {
      patientId,
      doctorId,
      slot: { date: day, time: '09:00' },
    });
    await call(terminalA, 'a3', 'patients/get-patient', { patientId }); // seen here: kept for offline work
    await terminalA.offline!.refreshNow();
    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');

    const booked = await call<Appointment>(terminalA, 'a3', 'scheduling/book-appointment', {
      patientId,
      doctorId,
      slot: { date: day, time: '09:30' },
    });
    expect(booked.appointmentId).toBeLessThan(0);
    expect(
      await call(terminalA, 'a3', 'scheduling/reschedule-appointment', {
        appointmentId: booked.appointmentId,
        slot: { date: day, time: '09:45' },
      }),
    ).toMatchObject({ time: '09:45', queued: true });
    expect(
      await call(terminalA, 'a3', 'scheduling/cancel-appointment', { appointmentId: onServer.appointmentId, reason: 'Called to cancel' }),
    ).toMatchObject({ status: 'Cancelled', queued: true });
    // The rules still hold offline: a cancelled appointment cannot be checked in.
    expect(
      await terminalA.dispatch('a3', 'scheduling/set-appointment-status', { appointmentId: onServer.appointmentId, status: 'CheckedIn' }),
    ).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    expect(await call<Appointment[]>(terminalA, 'a3', 'scheduling/list-patient-appointments', { patientId })).toMatchObject([
      { time: '09:00', status: 'Cancelled' },
      { time: '09:45', status: 'Scheduled', queued: true },
    ]);

    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 15_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 0 });
    const rows = await database.ownerPool.query(
      `SELECT to_char(appointment_time, 'HH24:MI') AS time, status, cancel_reason FROM appointments WHERE patient_id = $1 ORDER BY appointment_time`,
      [patientId],
    );
    expect(rows.rows).toEqual([
      { time: '09:00', status: 'Cancelled', cancel_reason: 'Called to cancel' },
      { time: '09:45', status: 'Scheduled', cancel_reason: null },
    ]);
  }, 60_000);

  it('an offline move that clashes waits in Needs attention; one key moves it to a free slot instead', async () => {
    const patientId = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Rita', 'Rescheduled', '1955-05-05') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    const other = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Otto', 'Other', '1956-06-06') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    const original = await call<Appointment>(terminalB, 'b1', 'scheduling/book-appointment', {
      patientId,
      doctorId,
      slot: { date: day, time: '11:30' },
    });
    await terminalA.offline!.refreshNow();
    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    expect(
      await call(terminalA, 'a3', 'scheduling/reschedule-appointment', {
        appointmentId: original.appointmentId,
        slot: { date: day, time: '11:45' },
      }),
    ).toMatchObject({ time: '11:45', queued: true });
    await call(terminalB, 'b1', 'scheduling/book-appointment', { patientId: other, doctorId, slot: { date: day, time: '11:45' } });
    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 15_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 1 });
    const [item] = await call<AttentionItem[]>(terminalA, 'a3', 'offline/list-attention-items', {});
    expect(item).toMatchObject({
      channel: 'scheduling/reschedule-appointment',
      summary: expect.stringContaining('Move Rescheduled, Rita'),
      fixes: ['book-slot', 'discard'],
    });
    const slot = item!.nextFreeSlots[0]!;
    expect(await call(terminalA, 'a3', 'offline/resolve-attention-item', { key: item!.key, fix: 'book-slot', slot })).toEqual([]);
    const moved = await database.ownerPool.query(
      `SELECT appointment_date::text AS date, to_char(appointment_time, 'HH24:MI') AS time FROM appointments WHERE appointment_id = $1`,
      [original.appointmentId],
    );
    expect(moved.rows).toEqual([slot]);
  }, 60_000);

  it('discarding a walk-in that is already on file discards the booking that waited on it, and nothing reaches the server', async () => {
    await database.ownerPool.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Dora', 'Discard', '1949-04-04')`);
    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    const dora = await call<{ patient: PatientSummary }>(terminalA, 'a3', 'patients/register-patient', {
      firstName: 'Dora',
      lastName: 'Discard',
      dateOfBirth: '1949-04-04',
    });
    await call(terminalA, 'a3', 'scheduling/book-appointment', {
      patientId: dora.patient.patientId,
      doctorId,
      slot: { date: day, time: '09:15' },
    });
    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 15_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 2 });
    const items = await call<AttentionItem[]>(terminalA, 'a3', 'offline/list-attention-items', {});
    const registration = items.find((i) => i.channel === 'patients/register-patient')!;
    expect(items.find((i) => i.channel === 'scheduling/book-appointment')).toMatchObject({ blockedBy: registration.key });
    expect(await call(terminalA, 'a3', 'offline/resolve-attention-item', { key: registration.key, fix: 'discard' })).toEqual([]);
    expect((await database.ownerPool.query(`SELECT count(*)::int AS n FROM patients WHERE last_name = 'Discard'`)).rows[0].n).toBe(1);
    expect(
      (
        await database.ownerPool.query(
          `SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND appointment_date = $2 AND appointment_time = '09:15' AND status = 'Scheduled'`,
          [doctorId, day],
        )
      ).rows[0].n,
    ).toBe(0);
  }, 60_000);

  it('a damaged outbox keeps every change it can read, reports the rest in Needs attention, and keeps the file aside', async () => {
    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    for (const n of [1, 2, 3])
      await call(terminalA, 'a3', 'patients/register-patient', {
        firstName: 'Dana',
        lastName: `Damaged${n}`,
        dateOfBirth: '1977-07-07',
        confirmNotDuplicate: true,
      });
    await terminalA.close();
    // Someone with the terminal's files but not its key flips one byte in the second record.
    const log = path.join(dir, 'outbox', 'outbox.log');
    const bytes = readFileSync(log);
    const first = 8 + bytes.readUInt32BE(4);
    const second = 8 + bytes.readUInt32BE(4 + first);
    bytes[4 + first + Math.floor(second / 2)] = bytes[4 + first + Math.floor(second / 2)]! ^ 0x01;
    writeFileSync(log, bytes);

    terminalA = openTerminalA();
    terminalA.startTimers();
    expect(terminalA.status()).toMatchObject({ waitingChanges: 2, needsAttention: 1 });
    proxy.restore();
    await expect
      .poll(() => terminalA.status(), { timeout: 15_000, interval: 100 })
      .toMatchObject({ database: 'connected', waitingChanges: 0, needsAttention: 1 });
    const made = await database.ownerPool.query(`SELECT last_name FROM patients WHERE first_name = 'Dana' ORDER BY last_name`);
    expect(made.rows).toEqual([{ last_name: 'Damaged1' }, { last_name: 'Damaged3' }]);

    await call(terminalA, 'a4', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    await terminalA.offline!.refreshNow();
    const [notice] = await call<AttentionItem[]>(terminalA, 'a4', 'offline/list-attention-items', {});
    expect(notice).toMatchObject({
      summary: '1 change(s) saved on this terminal while offline could not be read',
      fixes: ['discard'],
      reason: expect.stringMatching(/outbox\.log\.damaged-.*\.bin/),
    });
    expect(notice!.reason).not.toContain('Damaged');
    expect(await call(terminalA, 'a4', 'offline/resolve-attention-item', { key: notice!.key, fix: 'discard' })).toEqual([]);
  }, 60_000);
});

describe('offline serves no one more than they see online (issue 8 §6)', () => {
  it('a nurse and a pharmacist see offline no patient the server does not show them online; the clerk keeps the whole book', async () => {
    if (terminalA.status().database !== 'connected') proxy.restore(); // (restoring a live link would reset its connections)
    await expect.poll(() => terminalA.status().database, { timeout: 10_000 }).toBe('connected');
    // The clerk signs in last: the working set is hers, the nurse and pharmacist are remembered too.
    await call(terminalA, 'nurse', 'session/sign-in', { email: 'nurse@demo.clinic', password: database.demoPassword });
    await call(terminalA, 'pharmacist', 'session/sign-in', { email: 'pharmacist@demo.clinic', password: database.demoPassword });
    await call(terminalA, 'clerk', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    await terminalA.offline!.refreshNow(); // each remembered user asked, in their own context, whether they see all of it
    const kept = terminalA.offline!.view().patients;
    let hidden: number | null = null; // a patient kept here whom the nurse cannot see online
    for (const p of kept.slice(0, 50)) {
      if ((await terminalA.dispatch('nurse', 'patients/get-patient', { patientId: p.patientId })).ok === false) {
        hidden = p.patientId;
        break;
      }
    }
    expect(hidden).not.toBeNull();
    type Row = { patientId: number };
    // The pharmacist sees patients with a prescription: give one of two namesakes kept here one.
    const name = kept.map((p) => p.lastName).find((n, i, all) => all.indexOf(n) !== all.lastIndexOf(n))!;
    await database.ownerPool.query(`INSERT INTO prescriptions (patient_id, dosage) VALUES ($1, '1 tablet')`, [
      kept.find((p) => p.lastName === name)!.patientId,
    ]);
    const online = await call<Row[]>(terminalA, 'pharmacist', 'patients/search-patients', { query: name });
    expect(online).toHaveLength(1);
    const clerkOnline = await call<Row[]>(terminalA, 'clerk', 'patients/search-patients', { query: name });

    proxy.cut();
    await expect.poll(() => terminalA.status().database, { timeout: 20_000, interval: 50 }).toBe('unreachable');
    // Sessions begun online, now answered from this terminal.
    expect(await terminalA.dispatch('nurse', 'patients/get-patient', { patientId: hidden })).toMatchObject({
      ok: false,
      error: { code: 'NotFound' },
    });
    const pharmacistOffline = await call<Row[]>(terminalA, 'pharmacist', 'patients/search-patients', { query: name });
    const seenOnline = new Set(online.map((r) => r.patientId));
    expect(
      pharmacistOffline.filter((r) => !seenOnline.has(r.patientId)),
      'rows the pharmacist does not see online',
    ).toEqual([]);
    console.info(
      `pharmacist search "${name}": ${online.length} row(s) online, ${pharmacistOffline.length} offline (the clerk: ${clerkOnline.length})`,
    );
    // Offline sign-in of the nurse: she may, but sees no more than online.
    await call(terminalA, 'nurse-offline', 'session/sign-in', { email: 'nurse@demo.clinic', password: database.demoPassword });
    expect(await terminalA.dispatch('nurse-offline', 'patients/get-patient', { patientId: hidden })).toMatchObject({
      ok: false,
      error: { code: 'NotFound' },
    });
    expect(
      await call(terminalA, 'nurse-offline', 'scheduling/get-book', {
        doctorIds: terminalA.offline!.view().doctors.map((d) => d.doctorId),
        from: localNow(new Date()).date,
        days: 1,
      }),
    ).toSatisfy((days: { appointments: unknown[] }[]) => days.every((d) => d.appointments.length === 0));
    expect(await call(terminalA, 'nurse', 'offline/list-attention-items', {})).toEqual([]);
    // The clerk, whom the server showed all of it, still has the whole book offline.
    expect((await call<Row[]>(terminalA, 'clerk', 'patients/search-patients', { query: name })).length).toBeGreaterThan(0);
    expect((await terminalA.dispatch('clerk', 'patients/get-patient', { patientId: hidden })).ok).toBe(true);
    proxy.restore();
  }, 60_000);
});
