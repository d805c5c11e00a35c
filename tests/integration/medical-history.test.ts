// medical_history encrypted at rest (pgcrypto, key from outside the database), readable only by
// clinicians who can see the patient, and every chart open audited as a read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
let wardPatient: number;
let otherPatient: number;
const KEY = 'test-medical-history-key-0123456789';
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  const pick = async (code: string) =>
    (await database.ownerPool.query(`SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = $1 ORDER BY patient_id LIMIT 1`, [code])).rows[0].patient_id as number;
  wardPatient = await pick('GM'); // the demo doctor's department
  otherPatient = await pick('CAR');
});
afterAll(() => database.drop());

function harnessWithKey(key: string | null = KEY) {
  const harness = createCoreHarness(database);
  const core = createAppCore({ pool: database.appPool, mode: 'embedded', terminal: { name: 'chart-terminal', role: 'ward' }, medicalHistoryKey: () => key, logInternal: (m, e) => harness.internalErrors.push({ message: m, error: e }) });
  return { ...harness, core };
}

describe('medical history', () => {
  it('is stored only as PGP ciphertext, and a doctor reads it back through the chart', async () => {
    const { core } = harnessWithKey();
    await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('d', 'patients/save-medical-history', { patientId: wardPatient, medicalHistory: 'Allergic to penicillin. Type 2 diabetes.' })).toEqual({ ok: true, value: { saved: true } });
    const raw = (await database.ownerPool.query(`SELECT medical_history FROM patients WHERE patient_id = $1`, [wardPatient])).rows[0].medical_history as string;
    expect(raw).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(raw).not.toContain('penicillin');
    const chart = await core.dispatch('d', 'patients/open-chart', { patientId: wardPatient });
    expect(chart).toMatchObject({ ok: true, value: { patient: { patientId: wardPatient }, medicalHistory: 'Allergic to penicillin. Type 2 diabetes.' } });
    // Audited as a read, naming the user, the terminal and the patient.
    const { rows } = await database.ownerPool.query(`SELECT table_name, operation, new_values->>'terminal' AS terminal, (new_values->>'patient_id')::int AS patient FROM audit_log WHERE operation = 'CHART_OPEN' ORDER BY log_id DESC LIMIT 1`);
    expect(rows[0]).toEqual({ table_name: 'patients', operation: 'CHART_OPEN', terminal: 'chart-terminal', patient: wardPatient });
  });

  it('is refused to the front desk twice over: by the permission in main and by the database', async () => {
    const { core } = harnessWithKey();
    await core.dispatch('f', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('f', 'patients/open-chart', { patientId: wardPatient })).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    // Even if main were wrong: the app role cannot select the column, and the function refuses the role.
    await asUser(database.appPool, 'frontdesk@demo.clinic', async (c) => {
      await expect(c.query('SELECT medical_history FROM patients LIMIT 1')).rejects.toMatchObject({ code: '42501' });
    });
    await asUser(database.appPool, 'frontdesk@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [wardPatient, KEY])).rejects.toMatchObject({ code: '42501' });
    });
    // Plaintext from any client is refused by the CHECK.
    await expect(database.ownerPool.query(`UPDATE patients SET medical_history = 'plain text' WHERE patient_id = $1`, [wardPatient])).rejects.toMatchObject({ code: '23514' });
  });

  it('shows a clinician only the patients in their care, and needs the right key', async () => {
    const { core } = harnessWithKey();
    await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('d', 'patients/open-chart', { patientId: otherPatient })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    const wrongKey = harnessWithKey('not the key');
    await wrongKey.core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    const result = await wrongKey.core.dispatch('d', 'patients/open-chart', { patientId: wardPatient });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/penicillin|PGP|decrypt/i);
    const noKey = harnessWithKey(null);
    await noKey.core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await noKey.core.dispatch('d', 'patients/open-chart', { patientId: wardPatient })).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
  });

  it('rotates to a new key in one transaction (administrators only)', async () => {
    const rotated = await asUser(database.appPool, 'admin@demo.clinic', async (c) => (await c.query('SELECT rotate_medical_history_key($1, $2) AS n', [KEY, 'the new key 9876543210'])).rows[0].n, true);
    expect(rotated).toBeGreaterThanOrEqual(1);
    const readBack = await asUser(database.appPool, 'doctor@demo.clinic', async (c) => (await c.query('SELECT read_medical_history($1, $2) AS h', [wardPatient, 'the new key 9876543210'])).rows[0].h);
    expect(readBack).toBe('Allergic to penicillin. Type 2 diabetes.');
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT rotate_medical_history_key($1, $2)', ['the new key 9876543210', 'x'])).rejects.toMatchObject({ code: '42501' });
    });
  });
});
