// Ward → Admit finds any registered patient (issue 11): a nurse's row level security shows only
// patients in her care, so 031's find_patients_to_admit is the narrow, audited path. Real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionCandidate } from '../../contract/index.js';
import { asUser } from '../support/user-context.js';
import { createWardWorld, type WardWorld } from './ward-world.js';

let w: WardWorld;
const nurse = 'ward-a-1';
const desk = 'desk-1';
const pharmacist = 'pharm-1';
let wardBPatient: number;
const BIRTH_DATE = '1911-03-07'; // no demo patient is this old

beforeAll(async () => {
  w = await createWardWorld(4);
  await w.harness.signIn(nurse, 'nurse@demo.clinic');
  await w.harness.signIn(desk, 'frontdesk@demo.clinic');
  await w.harness.signIn(pharmacist, 'pharmacist@demo.clinic');
  // Registered at the front desk for Ward B, with contact details and an address: not in the Ward A nurse's care.
  const { rows } = await w.database.ownerPool.query(
    `INSERT INTO patients (first_name, last_name, date_of_birth, gender, contact_number, address, email, department_id)
     VALUES ('Quillon', 'Zarubeth', $1, 'F', '07700900123', '1 Secret Lane', 'q@example.org', $2) RETURNING patient_id`,
    [BIRTH_DATE, w.departments.WB],
  );
  wardBPatient = rows[0].patient_id;
});
afterAll(() => w.database.drop());

const find = (query: string, sender = nurse) => w.call(sender, 'ward/find-patients-to-admit', { query });
const found = async (query: string) => {
  const result = await find(query);
  if (!result.ok) throw new Error(`${result.error.code} ${result.error.message}`);
  return result.value as AdmissionCandidate[];
};
const ids = (rows: AdmissionCandidate[]) => rows.map((r) => r.patientId);

describe('a nurse finds a patient of another department and admits them', () => {
  it('the front-desk search (her own RLS view) does not find the patient: the reason for this channel', async () => {
    const result = await w.call(nurse, 'patients/search-patients', { query: 'zarubeth', limit: 12, wider: true });
    expect(result.ok ? ids(result.value as AdmissionCandidate[]) : []).not.toContain(wardBPatient);
  });

  it('finds them by name (either order, partial, "last, first"), birth date and number', async () => {
    for (const query of [
      'zarubeth',
      'Zaru',
      'quillon zaru',
      'zarubeth quil',
      'Zarubeth, Quillon',
      BIRTH_DATE,
      `#${wardBPatient}`,
      String(wardBPatient),
    ]) {
      expect(ids(await found(query)), query).toContain(wardBPatient);
    }
    // "last, first" is read only that way round.
    expect(ids(await found('quillon, zarubeth'))).not.toContain(wardBPatient);
  });

  it('returns identity only: no contact details, address or history', async () => {
    const [row] = (await found(`#${wardBPatient}`)) as [AdmissionCandidate];
    expect(row).toEqual({
      patientId: wardBPatient,
      firstName: 'Quillon',
      lastName: 'Zarubeth',
      dateOfBirth: BIRTH_DATE,
      gender: 'F',
      admitted: false,
    });
    // The function's own role cannot read those columns at all.
    const { rows } = await w.database.ownerPool.query(
      `SELECT c AS column, has_column_privilege('clinic_admission', 'patients', c, 'SELECT') AS readable
       FROM unnest(ARRAY['contact_number', 'address', 'email', 'medical_history', 'user_id']) AS c`,
    );
    expect(rows.filter((r: { readable: boolean }) => r.readable)).toEqual([]);
  });

  it('admits the patient found, who then shows as already in a bed', async () => {
    const admitted = await w.call(nurse, 'ward/admit-patient', { patientId: wardBPatient, roomId: w.rooms['WA-05']!, bedNumber: 1 });
    expect(admitted.ok).toBe(true);
    expect(await found(`#${wardBPatient}`)).toMatchObject([{ patientId: wardBPatient, admitted: true }]);
  });

  it('returns at most 20 patients', async () => {
    const { rows } = await w.database.ownerPool.query(`SELECT count(*)::int AS n FROM patients WHERE date_of_birth = '1950-06-15'`);
    for (let i = rows[0].n; i < 25; i += 1) await w.newPatient(`Many${i}`);
    const many = await found('1950-06-15');
    console.log(`birth date 1950-06-15: ${Math.max(rows[0].n, 25)} patients, ${many.length} returned`);
    expect(many).toHaveLength(20);
  });

  it('bad input is a Validation error: too short, too long, an impossible date', async () => {
    for (const query of ['z', 'x'.repeat(101), '2026-02-31']) {
      expect(await find(query), query).toMatchObject({ ok: false, error: { code: 'Validation' } });
    }
  });
});

describe('only holders of rooms.assign may search, and every search is audited', () => {
  it('front desk and pharmacist are refused at the door', async () => {
    for (const sender of [desk, pharmacist]) {
      expect(await find('zarubeth', sender), sender).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    }
  });

  it('and the function refuses them when called directly as the app role in their context', async () => {
    for (const email of ['frontdesk@demo.clinic', 'pharmacist@demo.clinic']) {
      const code = await asUser(w.database.appPool, email, (client) =>
        client.query(`SELECT * FROM find_patients_to_admit('zarubeth')`).then(
          () => 'answered',
          (error: { code?: string }) => error.code,
        ),
      );
      expect(code, email).toBe('42501');
    }
    // With no user context at all.
    const client = await w.database.appPool.connect();
    try {
      await expect(client.query(`SELECT * FROM find_patients_to_admit('zarubeth')`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      client.release();
    }
  });

  it('writes who searched for what and which patients came back', async () => {
    await found('Zarubeth, Quil');
    const { rows } = await w.database.ownerPool.query(
      `SELECT a.user_id = u.user_id AS by_nurse, a.new_values FROM audit_log a, users u
       WHERE u.email = 'nurse@demo.clinic' AND a.operation = 'ADMIT_FIND' AND a.new_values ->> 'query' = 'Zarubeth, Quil'`,
    );
    expect(rows).toMatchObject([{ by_nurse: true, new_values: { found: 1, patient_ids: [wardBPatient] } }]);
    const refused = await w.ownerCount(`SELECT count(*) FROM audit_log a JOIN users u ON u.user_id = a.user_id
      WHERE a.operation = 'ADMIT_FIND' AND u.email IN ('frontdesk@demo.clinic', 'pharmacist@demo.clinic')`);
    expect(refused).toBe(0);
  });
});
