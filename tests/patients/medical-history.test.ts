// medical_history encrypted at rest (pgcrypto, key from outside the database), readable only by
// clinicians who can see the patient, every chart open audited as a read, and (017) only the current
// key accepted: a wrong key can neither overwrite a history nor rotate.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest, migrateUpTo, migrationStatus } from '../../main/db/migrator.js';
import { OWNER_ROLE } from '../../main/startup/database-owner.js';
import { createDatabase } from '../../scripts/lib/scratch-cluster.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
let wardPatient: number;
let otherPatient: number;
const KEY = 'test-medical-history-key-0123456789';
const NEW_KEY = 'the-new-medical-history-key-9876543210-abcdef';
const WRONG_KEY = 'a-workstation-holding-another-key-000000';
const HISTORY = 'Allergic to penicillin. Type 2 diabetes.';
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  const pick = async (code: string) =>
    (
      await database.ownerPool.query(
        `SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = $1 ORDER BY patient_id LIMIT 1`,
        [code],
      )
    ).rows[0].patient_id as number;
  wardPatient = await pick('GM'); // the demo doctor's department
  otherPatient = await pick('CAR');
});
afterAll(() => database.drop());

function harnessWithKey(key: string | null = KEY) {
  const harness = createCoreHarness(database);
  const core = createAppCore({
    pool: database.appPool,
    mode: 'embedded',
    terminal: { name: 'chart-terminal', role: 'ward' },
    medicalHistoryKey: () => key,
    logInternal: (m, e) => harness.internalErrors.push({ message: m, error: e }),
  });
  return { ...harness, core };
}

describe('medical history', () => {
  it('is stored only as PGP ciphertext, and a doctor reads it back through the chart', async () => {
    const { core } = harnessWithKey();
    await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('d', 'patients/save-medical-history', { patientId: wardPatient, medicalHistory: HISTORY })).toEqual({
      ok: true,
      value: { saved: true },
    });
    const raw = (await database.ownerPool.query(`SELECT medical_history FROM patients WHERE patient_id = $1`, [wardPatient])).rows[0]
      .medical_history as string;
    expect(raw).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(raw).not.toContain('penicillin');
    const chart = await core.dispatch('d', 'patients/open-chart', { patientId: wardPatient });
    expect(chart).toMatchObject({ ok: true, value: { patient: { patientId: wardPatient }, medicalHistory: HISTORY } });
    // Audited as a read, naming the user, the terminal and the patient.
    const { rows } = await database.ownerPool.query(
      `SELECT table_name, operation, new_values->>'terminal' AS terminal, (new_values->>'patient_id')::int AS patient FROM audit_log WHERE operation = 'CHART_OPEN' ORDER BY log_id DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({ table_name: 'patients', operation: 'CHART_OPEN', terminal: 'chart-terminal', patient: wardPatient });
  });

  it('is refused to the front desk twice over: by the permission in main and by the database', async () => {
    const { core } = harnessWithKey();
    await core.dispatch('f', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('f', 'patients/open-chart', { patientId: wardPatient })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    // Even if main were wrong: the app role cannot select the column, and the function refuses the role.
    await asUser(database.appPool, 'frontdesk@demo.clinic', async (c) => {
      await expect(c.query('SELECT medical_history FROM patients LIMIT 1')).rejects.toMatchObject({ code: '42501' });
    });
    await asUser(database.appPool, 'frontdesk@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [wardPatient, KEY])).rejects.toMatchObject({ code: '42501' });
    });
    // Plaintext from any client is refused by the CHECK.
    await expect(
      database.ownerPool.query(`UPDATE patients SET medical_history = 'plain text' WHERE patient_id = $1`, [wardPatient]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('shows a clinician only the patients in their care, and needs the right key', async () => {
    const { core } = harnessWithKey();
    await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('d', 'patients/open-chart', { patientId: otherPatient })).toMatchObject({
      ok: false,
      error: { code: 'NotFound' },
    });
    const wrongKey = harnessWithKey('not the key');
    await wrongKey.core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    const result = await wrongKey.core.dispatch('d', 'patients/open-chart', { patientId: wardPatient });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/penicillin|PGP|decrypt/i);
    const noKey = harnessWithKey(null);
    await noKey.core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await noKey.core.dispatch('d', 'patients/open-chart', { patientId: wardPatient })).toMatchObject({
      ok: false,
      error: { code: 'Unavailable' },
    });
  });

  it('refuses a write with a wrong key and changes nothing: the right key still reads the old history', async () => {
    // The attack of issue 8 §3: a workstation holding another key saves (or clears) a history. Before 017
    // write_medical_history accepted any key, and the right key could then no longer read the history.
    const before = await storedHistory(wardPatient);
    const keyRowBefore = await keyRow();
    const wrongKey = harnessWithKey(WRONG_KEY);
    await wrongKey.core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    const saved = await wrongKey.core.dispatch('d', 'patients/save-medical-history', {
      patientId: wardPatient,
      medicalHistory: 'Overwritten by the wrong key.',
    });
    expect(saved).toMatchObject({
      ok: false,
      error: { code: 'Unavailable', message: expect.stringMatching(/does not match.*Nothing was saved/) },
    });
    // The same through SQL as the app's login, also for clearing, with a clear SQLSTATE.
    for (const history of ['Overwritten by the wrong key.', '']) {
      await asUser(
        database.appPool,
        'doctor@demo.clinic',
        async (c) => {
          await expect(c.query('SELECT write_medical_history($1, $2, $3)', [wardPatient, history, WRONG_KEY])).rejects.toMatchObject({
            code: 'MHK01',
            message: expect.stringMatching(/not the current medical-history key; nothing was written/),
          });
        },
        true,
      );
    }
    expect(await storedHistory(wardPatient)).toBe(before);
    expect(await keyRow()).toEqual(keyRowBefore);
    const { core } = harnessWithKey();
    await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(await core.dispatch('d', 'patients/open-chart', { patientId: wardPatient })).toMatchObject({
      ok: true,
      value: { medicalHistory: HISTORY },
    });
    // A read with the wrong key is a clear error too, even where the patient has no history to fail on.
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [wardPatient, WRONG_KEY])).rejects.toMatchObject({ code: 'MHK01' });
    });
    const emptyPatient = (
      await database.ownerPool.query(
        `SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = 'GM' AND medical_history IS NULL ORDER BY patient_id LIMIT 1`,
      )
    ).rows[0].patient_id as number;
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [emptyPatient, WRONG_KEY])).rejects.toMatchObject({ code: 'MHK01' });
    });
  });

  it("records the key at the first write as a check message and names it in every ciphertext; the guide's SQL still decrypts", async () => {
    const row = await keyRow();
    expect(row.key_id).toMatch(/^[0-9a-f]{16}$/);
    expect(row.legacy_sample).toBeNull();
    // The check is a known text encrypted under the key like a history: no fast way to test guesses.
    expect(row.key_check).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    const opened = await database.ownerPool.query(`SELECT pgp_sym_decrypt(dearmor($1), $2) AS text`, [row.key_check, KEY]);
    expect(opened.rows[0].text).toBe('Clinic Workstation medical-history key check');
    const { rows } = await database.ownerPool.query(
      `SELECT (SELECT value FROM pgp_armor_headers(medical_history) WHERE key = 'Key-Id') AS key_id, pgp_sym_decrypt(dearmor(medical_history), $2) AS history
         FROM patients WHERE patient_id = $1`,
      [wardPatient, KEY],
    );
    expect(rows[0]).toEqual({ key_id: row.key_id, history: HISTORY });
    // Only the functions see the key table: not the app's login, with or without a user context.
    await expect(database.appPool.query('SELECT * FROM medical_history_key')).rejects.toMatchObject({ code: '42501' });
    await asUser(database.appPool, 'admin@demo.clinic', async (c) => {
      await expect(c.query(`UPDATE medical_history_key SET key_check = NULL`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('refuses a rotation with a wrong old key and changes nothing', async () => {
    const histories = await allStoredHistories();
    const keyRowBefore = await keyRow();
    await asUser(
      database.appPool,
      'admin@demo.clinic',
      async (c) => {
        await expect(c.query('SELECT rotate_medical_history_key($1, $2)', [WRONG_KEY, NEW_KEY])).rejects.toMatchObject({
          code: 'MHK01',
          message: expect.stringMatching(/nothing was changed/),
        });
      },
      true,
    );
    await asUser(
      database.appPool,
      'admin@demo.clinic',
      async (c) => {
        await expect(c.query('SELECT rotate_medical_history_key($1, $2)', [KEY, 'short'])).rejects.toMatchObject({ code: '22023' });
      },
      true,
    );
    expect(await allStoredHistories()).toEqual(histories);
    expect(await keyRow()).toEqual(keyRowBefore);
  });

  it('rotates to a new key in one transaction (administrators only); afterwards the old key is refused', async () => {
    const keyRowBefore = await keyRow();
    const rotated = await asUser(
      database.appPool,
      'admin@demo.clinic',
      async (c) => (await c.query('SELECT rotate_medical_history_key($1, $2) AS n', [KEY, NEW_KEY])).rows[0].n,
      true,
    );
    expect(rotated).toBeGreaterThanOrEqual(1);
    const readBack = await asUser(
      database.appPool,
      'doctor@demo.clinic',
      async (c) => (await c.query('SELECT read_medical_history($1, $2) AS h', [wardPatient, NEW_KEY])).rows[0].h,
    );
    expect(readBack).toBe(HISTORY);
    const after = await keyRow();
    expect(after.key_id).not.toBe(keyRowBefore.key_id);
    expect(
      (
        await database.ownerPool.query(
          `SELECT (SELECT value FROM pgp_armor_headers(medical_history) WHERE key = 'Key-Id') AS id FROM patients WHERE patient_id = $1`,
          [wardPatient],
        )
      ).rows[0].id,
    ).toBe(after.key_id);
    // The old key no longer reads, writes or rotates.
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [wardPatient, KEY])).rejects.toMatchObject({ code: 'MHK01' });
    });
    const oldKey = harnessWithKey(KEY);
    await oldKey.core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: database.demoPassword });
    expect(
      await oldKey.core.dispatch('d', 'patients/save-medical-history', {
        patientId: wardPatient,
        medicalHistory: 'Written with the old key.',
      }),
    ).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    await asUser(database.appPool, 'admin@demo.clinic', async (c) => {
      await expect(c.query('SELECT rotate_medical_history_key($1, $2)', [KEY, `${NEW_KEY}-again`])).rejects.toMatchObject({
        code: 'MHK01',
      });
    });
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT rotate_medical_history_key($1, $2)', [NEW_KEY, `${NEW_KEY}-again`])).rejects.toMatchObject({
        code: '42501',
      });
    });
    // A history put back from before the rotation (a restored backup) is named as written under another key.
    await database.ownerPool.query(`UPDATE patients SET medical_history = $2 WHERE patient_id = $1`, [
      otherPatient,
      keyRowBefore.key_check,
    ]);
    await asUser(database.appPool, 'admin@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [otherPatient, NEW_KEY])).rejects.toMatchObject({ code: 'MHK02' });
    });
    await database.ownerPool.query(`UPDATE patients SET medical_history = NULL WHERE patient_id = $1`, [otherPatient]);
  });

  it('on a database with histories from before 017, records only a key that opens them', async () => {
    // Back to the state 017 leaves an upgraded database in: no key recorded, one old ciphertext kept.
    const legacy = (
      await database.ownerPool.query(`SELECT armor(pgp_sym_encrypt('Old history.', $1, 'cipher-algo=aes256, s2k-mode=3')) AS c`, [KEY])
    ).rows[0].c as string;
    await database.ownerPool.query(`UPDATE patients SET medical_history = NULL WHERE medical_history IS NOT NULL`);
    await database.ownerPool.query(`UPDATE patients SET medical_history = $2 WHERE patient_id = $1`, [wardPatient, legacy]);
    await database.ownerPool.query(`UPDATE medical_history_key SET key_id = NULL, key_check = NULL, legacy_sample = $1`, [legacy]);
    const empty = (
      await database.ownerPool.query(
        `SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = 'GM' AND patient_id <> $1 ORDER BY patient_id LIMIT 1`,
        [wardPatient],
      )
    ).rows[0].patient_id as number;
    // A wrong key may neither overwrite an old history nor become the key through an empty record.
    for (const patientId of [wardPatient, empty]) {
      await asUser(
        database.appPool,
        'doctor@demo.clinic',
        async (c) => {
          await expect(c.query('SELECT write_medical_history($1, $2, $3)', [patientId, 'x', WRONG_KEY])).rejects.toMatchObject({
            code: 'MHK01',
            message: expect.stringMatching(/does not open the medical histories already stored/),
          });
        },
        true,
      );
    }
    expect((await keyRow()).key_check).toBeNull();
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT read_medical_history($1, $2)', [wardPatient, WRONG_KEY])).rejects.toMatchObject({ code: 'MHK01' });
    });
    await asUser(
      database.appPool,
      'doctor@demo.clinic',
      async (c) => {
        expect((await c.query('SELECT read_medical_history($1, $2) AS h', [wardPatient, KEY])).rows[0].h).toBe('Old history.');
        expect((await c.query('SELECT write_medical_history($1, $2, $3) AS w', [empty, 'New history.', KEY])).rows[0].w).toBe(true);
      },
      true,
    );
    const recorded = await keyRow();
    expect(recorded).toMatchObject({ key_id: expect.stringMatching(/^[0-9a-f]{16}$/), legacy_sample: null });
    // The old history (no Key-Id header) still reads; the wrong key is now refused as not the current one.
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      expect((await c.query('SELECT read_medical_history($1, $2) AS h', [wardPatient, KEY])).rows[0].h).toBe('Old history.');
    });
    await asUser(database.appPool, 'doctor@demo.clinic', async (c) => {
      await expect(c.query('SELECT write_medical_history($1, $2, $3)', [empty, 'x', WRONG_KEY])).rejects.toMatchObject({
        code: 'MHK01',
        message: expect.stringMatching(/not the current/),
      });
    });
  });

  it('017 keeps one history written before it as the sample a first key must open (looking past FORCEd RLS)', async () => {
    // Migrated as the schema owner (not a superuser, so FORCEd RLS applies to it); arranged as the superuser.
    const name = `${database.name}_legacy`;
    await createDatabase(`${inject('clusterUrl')}postgres`, name, undefined, OWNER_ROLE);
    const pool = createPool({ connectionString: `${inject('ownerClusterUrl')}${name}`, max: 1 });
    const superuser = createPool({ connectionString: `${inject('clusterUrl')}${name}`, max: 1 });
    const db = createKysely(pool);
    try {
      const migrator = createMigrator(db, path.resolve(import.meta.dirname, '../../migrations'));
      const before017 = (await migrationStatus(migrator)).filter((m) => m.number < '017').at(-1)!.number;
      await migrateUpTo(migrator, before017);
      const legacy = (
        await superuser.query(
          `INSERT INTO patients (first_name, last_name, date_of_birth, medical_history)
         VALUES ('Old', 'Record', '1950-01-01', armor(pgp_sym_encrypt('Before 017.', $1, 'cipher-algo=aes256, s2k-mode=3')))
         RETURNING medical_history`,
          [KEY],
        )
      ).rows[0].medical_history as string;
      await migrateToLatest(migrator);
      const { rows } = await pool.query(`SELECT key_id, key_check, legacy_sample FROM medical_history_key`);
      expect(rows).toEqual([{ key_id: null, key_check: null, legacy_sample: legacy }]);
      expect((await pool.query(`SELECT relforcerowsecurity FROM pg_class WHERE relname = 'patients'`)).rows[0].relforcerowsecurity).toBe(
        true,
      );
      expect((await pool.query(`SELECT count(*)::int AS n FROM patients`)).rows[0].n).toBe(0); // and RLS hides the rows from it again
    } finally {
      await db.destroy();
      await superuser.end();
      const admin = new pg.Client({ connectionString: `${inject('clusterUrl')}postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000); // migrates a fresh database from 001
});

async function storedHistory(patientId: number): Promise<string | null> {
  return (await database.ownerPool.query(`SELECT medical_history FROM patients WHERE patient_id = $1`, [patientId])).rows[0]
    .medical_history;
}

async function allStoredHistories(): Promise<{ patient_id: number; medical_history: string }[]> {
  return (
    await database.ownerPool.query(`SELECT patient_id, medical_history FROM patients WHERE medical_history IS NOT NULL ORDER BY patient_id`)
  ).rows;
}

async function keyRow(): Promise<{ key_id: string | null; key_check: string | null; legacy_sample: string | null; changed_at: Date }> {
  return (await database.ownerPool.query(`SELECT key_id, key_check, legacy_sample, changed_at FROM medical_history_key`)).rows[0];
}
