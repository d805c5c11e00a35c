// Observations through the one door on real PostgreSQL: scored with NEWS2 and stored, impossible values
// refused with nothing written, corrections append-only, the 72-hour history, and the SpO2 scale a doctor sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedBoard, Observation } from '../../contract/index.js';
import { createWardWorld, type WardWorld } from './ward-world.js';

let w: WardWorld;
let patientId: number;
const nurse = 'ward-a-1';
const admin = 'admin-1';
const normal = {
  respirationRate: 16,
  spo2: 97,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
} as const;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

beforeAll(async () => {
  w = await createWardWorld(4);
  await w.harness.signIn(nurse, 'nurse@demo.clinic');
  await w.harness.signIn(admin, 'admin@demo.clinic');
  patientId = await w.newPatient('Observed');
  await w.value(nurse, 'ward/admit-patient', { patientId, roomId: w.rooms['WA-01']!, bedNumber: 1 });
});
afterAll(() => w.database.drop());

const record = (vitals: Record<string, unknown>, extra: Record<string, unknown> = {}, takenAt = minutesAgo(1)) =>
  w.call(nurse, 'ward/record-observation', { patientId, takenAt, vitals: { ...normal, ...vitals }, ...extra });
const count = () => w.ownerCount(`SELECT count(*) FROM observations WHERE patient_id = $1`, [patientId]);

describe('recording', () => {
  it('scores with NEWS2, stores score and response, and the bed board shows the latest', async () => {
    const first = await record({}, {}, minutesAgo(30));
    expect(first).toMatchObject({
      ok: true,
      value: { news2Score: 0, news2Response: 'low', spo2Scale: 1, flags: [], recordedBy: 'Nia Nurse' },
    });
    const worse = await record({ respirationRate: 26, pulse: 115, temperature: 39.5, onOxygen: true });
    expect(worse).toMatchObject({ ok: true, value: { news2Score: 9, news2Response: 'high', news2SingleThree: true } });
    const board = await w.value<BedBoard>(nurse, 'ward/get-bed-board', {});
    expect(board.beds.find((b) => b.patient?.patientId === patientId)!.patient!.latestNews2).toMatchObject({ score: 9, response: 'high' });
  });

  it("the bed board shows this stay's score, never one from an earlier admission, with the reading's time", async () => {
    const returning = await w.newPatient('Readmitted');
    // Charted on a stay that ended three days ago (the owner writes it as it was then).
    await w.database.ownerPool.query(
      `INSERT INTO observations (patient_id, taken_at, recorded_by, respiration_rate, spo2, spo2_scale, on_oxygen, systolic_bp, pulse,
         consciousness, temperature, news2_score, news2_response, news2_single_three)
       VALUES ($1, now() - interval '3 days', (SELECT user_id FROM users WHERE email = 'nurse@demo.clinic'), 26, 95, 1, false, 120, 80,
         'A', 37.0, 3, 'low-medium', true)`,
      [returning],
    );
    await w.value(nurse, 'ward/admit-patient', { patientId: returning, roomId: w.rooms['WA-02']!, bedNumber: 1 });
    const latest = async () =>
      (await w.value<BedBoard>(nurse, 'ward/get-bed-board', {})).beds.find((b) => b.patient?.patientId === returning)!.patient!.latestNews2;
    expect(await latest()).toBeNull();
    const takenAt = minutesAgo(5);
    await w.value(nurse, 'ward/record-observation', { patientId: returning, takenAt, vitals: normal });
    expect(await latest()).toMatchObject({ score: 0, takenAt });
  });

  it('impossible values are refused with a sentence per field, and nothing is written', async () => {
    const before = await count();
    const refused = await record({ spo2: 101, temperature: 46, respirationRate: -2 });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: expect.stringContaining('SpO2 101 % is not possible') },
    });
    if (!refused.ok) expect(refused.error.issues!.map((i) => i.path).sort()).toEqual(['respirationRate', 'spo2', 'temperature']);
    expect(await record({}, {}, new Date(Date.now() + 3_600_000).toISOString())).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(await count()).toBe(before);
  });

  it('plausible extremes are stored and flagged', async () => {
    expect(await record({ pulse: 190, temperature: 31.5 })).toMatchObject({
      ok: true,
      value: { flags: ['pulse-high', 'temperature-low'] },
    });
  });

  it('a nurse cannot chart for a patient outside her care', async () => {
    const stranger = await w.newPatient('Stranger');
    const result = await w.call(nurse, 'ward/record-observation', { patientId: stranger, takenAt: minutesAgo(1), vitals: normal });
    expect(result).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });
});

describe('corrections and history', () => {
  it('a correction is a new row; the old one is kept, marked entered-in-error, and cannot be corrected twice', async () => {
    const wrong = await w.value<Observation>(nurse, 'ward/record-observation', {
      patientId,
      takenAt: minutesAgo(5),
      vitals: { ...normal, pulse: 170 },
    });
    const fixed = await w.value<Observation>(nurse, 'ward/record-observation', {
      patientId,
      takenAt: minutesAgo(5),
      vitals: { ...normal, pulse: 70 },
      correctsObservationId: wrong.observationId,
    });
    expect(fixed.correctsObservationId).toBe(wrong.observationId);
    const history = await w.value<Observation[]>(nurse, 'ward/get-observations', { patientId });
    expect(history.find((o) => o.observationId === wrong.observationId)).toMatchObject({ enteredInError: true, pulse: 170 });
    expect(await record({}, { correctsObservationId: wrong.observationId })).toMatchObject({ ok: false, error: { code: 'Conflict' } });
  });

  it('history covers the asked hours, newest first; the app login cannot edit a stored reading', async () => {
    const history = await w.value<Observation[]>(nurse, 'ward/get-observations', { patientId, hours: 72 });
    const times = history.map((o) => o.takenAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(await w.value<Observation[]>(nurse, 'ward/get-observations', { patientId, hours: 1 })).toHaveLength(history.length);
    const client = await w.database.appPool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('app.current_user_id', (SELECT user_id::text FROM users WHERE email = 'nurse@demo.clinic'), true)`,
      );
      await expect(client.query(`UPDATE observations SET pulse = 60 WHERE patient_id = $1`, [patientId])).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('SpO2 scale', () => {
  it('only a prescriber sets scale 2; the nurse sees it, with who and why, before any reading; then readings are scored on it', async () => {
    expect(await w.value(nurse, 'ward/get-saturation-scale', { patientId })).toEqual({ scale: 1, decision: null });
    expect(await w.call(nurse, 'ward/set-saturation-scale', { patientId, scale: 2, reason: 'COPD with CO2 retention' })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    await w.value(admin, 'ward/set-saturation-scale', { patientId, scale: 2, reason: 'COPD with CO2 retention, target 88-92%' });
    expect(await w.value(nurse, 'ward/get-saturation-scale', { patientId })).toMatchObject({
      scale: 2,
      decision: { reason: 'COPD with CO2 retention, target 88-92%', decidedBy: expect.any(String) },
    });
    // 90 % on oxygen: scale 2 scores the oxygen only (2); scale 1 would add 3 for the SpO2.
    expect(await record({ spo2: 90, onOxygen: true })).toMatchObject({ ok: true, value: { spo2Scale: 2, news2Score: 2 } });
  });
});
