// Replaying a terminal's offline changes on real PostgreSQL: each exactly once (key → stored result),
// in order, as the user who made it, with refused or clashing changes set aside without blocking the
// rest — under duplication, interruption, reordering, a poisoned entry and two terminals at once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../../main/auth/session-store.js';
import { createHandlers } from '../../../main/app-handlers.js';
import { replayOutbox, type OfflineEntry } from '../../../main/scheduling/offline/replay.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let clerk: string;
let doctorId: number;
const MONDAY = '2030-01-07';
const MADE_AT = new Date(2030, 0, 6, 9, 0).toISOString(); // the Sunday before, when the clerk was offline

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 6);
  clerk = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`)).rows[0].user_id;
  doctorId = (
    await database.ownerPool.query(
      `SELECT doctor_id FROM doctors d JOIN doctor_working_hours USING (doctor_id) WHERE d.slot_minutes = 15 LIMIT 1`,
    )
  ).rows[0].doctor_id;
});
afterAll(() => database.drop());

const deps = () => ({
  handlers: createHandlers(),
  sessions: createSessionStore(),
  terminal: { name: 'desk-offline', role: 'front_desk' as const },
  logInternal: () => undefined,
});
const replay = (entries: OfflineEntry[]) => replayOutbox(database.db, entries, deps());
const change = (channel: string, input: unknown, extra: Partial<OfflineEntry> = {}): OfflineEntry => ({
  key: randomUUID(),
  userId: clerk,
  createdAt: MADE_AT,
  channel,
  input,
  dependsOn: [],
  ...extra,
});
const walkIn = (last: string) =>
  change('patients/register-patient', { firstName: 'Walk', lastName: last, dateOfBirth: '1990-01-01', confirmNotDuplicate: true });
const booking = (time: string, from: OfflineEntry | { patientId: number }) =>
  'key' in from
    ? change(
        'scheduling/book-appointment',
        { patientId: 1, doctorId, slot: { date: MONDAY, time } },
        { patientFrom: from.key, dependsOn: [from.key] },
      )
    : change('scheduling/book-appointment', { patientId: from.patientId, doctorId, slot: { date: MONDAY, time } });
const count = async (query: string, params: unknown[] = []) => (await database.ownerPool.query(query, params)).rows[0].n as number;

describe('offline replay', () => {
  it('registers a walk-in, books for them with the real id, audits both as the clerk, and does nothing the second time', async () => {
    const registered = walkIn('Replayed');
    const booked = booking('09:00', registered);
    const first = await replay([registered, booked]);
    expect(first.map((o) => o.outcome)).toEqual(['applied', 'applied']);
    const patientId = (first[0] as { value: { patient: { patientId: number } } }).value.patient.patientId;
    expect(first[1]).toMatchObject({ value: { patientId, time: '09:00' } });
    const audited = await database.ownerPool.query(
      `SELECT DISTINCT user_id FROM audit_log WHERE table_name IN ('patients', 'appointments') AND (new_values->>'patient_id')::int = $1`,
      [patientId],
    );
    expect(audited.rows).toEqual([{ user_id: clerk }]);

    const again = await replay([registered, booked]);
    expect(again.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await count(`SELECT count(*)::int AS n FROM patients WHERE last_name = 'Replayed'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1`, [patientId])).toBe(1);
  });

  it('puts a reordered queue back in dependency order: the walk-in is registered before it is booked', async () => {
    const registered = walkIn('Reordered');
    const booked = booking('11:00', registered);
    const outcomes = await replay([booked, registered]);
    expect(outcomes.map((o) => [o.key, o.outcome])).toEqual([
      [registered.key, 'applied'],
      [booked.key, 'applied'],
    ]);
    const patientId = (outcomes[0] as { value: { patient: { patientId: number } } }).value.patient.patientId;
    expect(outcomes[1]).toMatchObject({ value: { patientId, time: '11:00' } });
  });

  it('replays a run of bookings as a set: the first of two for one slot wins, clashes get free slots, each once', async () => {
    const people = await Promise.all(
      ['Run1', 'Run2', 'Run3', 'Run4'].map(
        async (last) =>
          (
            await database.ownerPool.query(
              `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Set', $1, '1970-01-01') RETURNING patient_id`,
              [last],
            )
          ).rows[0].patient_id as number,
      ),
    );
    const taken = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Already', 'There', '1970-01-01') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    await database.ownerPool.query(
      `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES ($1, $2, $3, '14:00')`,
      [taken, doctorId, MONDAY],
    );
    const run = [
      booking('13:00', { patientId: people[0]! }),
      booking('13:00', { patientId: people[1]! }), // same slot as the one before: it loses
      booking('14:00', { patientId: people[2]! }), // taken on the server meanwhile
      booking('13:15', { patientId: people[3]! }),
    ];
    const outcomes = await replay(run);
    expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'needs-attention', 'needs-attention', 'applied']);
    expect(outcomes[1]).toMatchObject({
      error: { code: 'Conflict', nextFreeSlots: [{ date: MONDAY, time: '13:30' }, expect.anything(), expect.anything()] },
    });
    expect(outcomes[2]).toMatchObject({ error: { code: 'Conflict', message: expect.stringContaining('14:00') } });
    expect((await replay(run)).map((o) => o.outcome)).toEqual(['duplicate', 'needs-attention', 'needs-attention', 'duplicate']);
    const booked = await database.ownerPool.query(
      `SELECT patient_id FROM appointments WHERE doctor_id = $1 AND appointment_date = $2 AND appointment_time IN ('13:00', '13:15') AND status = 'Scheduled' ORDER BY appointment_time`,
      [doctorId, MONDAY],
    );
    expect(booked.rows.map((r) => r.patient_id)).toEqual([people[0], people[3]]);
    const audited = await database.ownerPool.query(
      `SELECT DISTINCT user_id FROM audit_log WHERE table_name = 'appointments' AND (new_values->>'patient_id')::int = ANY($1::int[])`,
      [people],
    );
    expect(audited.rows).toEqual([{ user_id: clerk }]);
  });

  it('resumes after an interruption halfway, applying each change once', async () => {
    const entries = [walkIn('Half1'), walkIn('Half2'), walkIn('Half3'), walkIn('Half4')];
    await replay(entries.slice(0, 2));
    const resumed = await replay(entries);
    expect(resumed.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate', 'applied', 'applied']);
    expect(await count(`SELECT count(*)::int AS n FROM patients WHERE last_name LIKE 'Half%'`)).toBe(4);
  });

  it('sets aside a poisoned change and a clash without blocking the ones behind them', async () => {
    const taken = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Online', 'Booker', '1980-01-01') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    await database.ownerPool.query(
      `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time) VALUES ($1, $2, $3, '10:00')`,
      [taken, doctorId, MONDAY],
    );
    const poisoned = change('patients/register-patient', {
      firstName: 'Bad',
      lastName: 'Date',
      dateOfBirth: '2999-01-01',
      confirmNotDuplicate: true,
    });
    const clashWalkIn = walkIn('Clash');
    const clashBooking = booking('10:00', clashWalkIn);
    const after = walkIn('After');
    const outcomes = await replay([poisoned, clashWalkIn, clashBooking, after]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['needs-attention', 'applied', 'needs-attention', 'applied']);
    expect(outcomes[0]).toMatchObject({ error: { code: 'Validation' } });
    expect(outcomes[2]).toMatchObject({
      error: {
        code: 'Conflict',
        nextFreeSlots: [
          { date: MONDAY, time: '10:15' },
          { date: MONDAY, time: '10:30' },
          { date: MONDAY, time: '10:45' },
        ],
      },
      entry: { key: clashBooking.key },
    });
    // Replayed again, the refusals are remembered, not retried.
    expect((await replay([poisoned, clashBooking])).map((o) => o.outcome)).toEqual(['needs-attention', 'needs-attention']);
  });

  it('refuses the same key with a different payload, and a change whose maker lost the permission', async () => {
    const original = walkIn('Keyed');
    await replay([original]);
    const tampered = { ...original, input: { ...(original.input as object), lastName: 'Changed' } };
    expect(await replay([tampered])).toMatchObject([
      { outcome: 'needs-attention', error: { code: 'Conflict', message: expect.stringContaining('different details') } },
    ]);
    const pharmacist = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'pharmacist@demo.clinic'`)).rows[0].user_id;
    const notAllowed = { ...walkIn('NoRight'), userId: pharmacist };
    expect(await replay([notAllowed])).toMatchObject([{ outcome: 'needs-attention', error: { code: 'Forbidden' } }]);
    expect(await replay([change('users/create-user', { email: 'x@y.z', displayName: 'X', roles: ['admin'] })])).toMatchObject([
      { outcome: 'needs-attention', error: { code: 'Validation' } },
    ]);
  });

  it('applies a change once even when two terminals replay it at the same moment', async () => {
    const entries = [walkIn('Twice1'), walkIn('Twice2'), walkIn('Twice3')];
    const [a, b] = await Promise.all([replay(entries), replay(entries)]);
    const outcomes = [...a!, ...b!].map((o) => o.outcome).sort();
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'duplicate', 'duplicate', 'duplicate']);
    expect(await count(`SELECT count(*)::int AS n FROM patients WHERE last_name LIKE 'Twice%'`)).toBe(3);
  });
});
