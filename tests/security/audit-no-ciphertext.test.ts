// Key rotation used to leave every earlier ciphertext of a medical history in audit_log (old_values
// and new_values of patients), readable with the old key. Since migration 018 the audit trail keeps a
// history only as its Key-Id and a digest of the ciphertext: no OpenPGP message at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

const KEY = 'audit-test-medical-history-key-0123456789';
const NEW_KEY = 'audit-test-the-next-medical-history-key-98765';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
});
afterAll(() => database.drop());

describe('the audit trail after a history is written and the key rotated', () => {
  it('holds no armored text, only key ids and digests that tell the versions apart', async () => {
    const {
      rows: [{ patient_id: patientId }],
    } = await database.ownerPool.query(
      `SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = 'GM' ORDER BY patient_id LIMIT 1`,
    );
    await asUser(
      database.appPool,
      'doctor@demo.clinic',
      (c) => c.query('SELECT write_medical_history($1, $2, $3)', [patientId, 'Allergic to penicillin.', KEY]),
      true,
    );
    await asUser(database.appPool, 'admin@demo.clinic', (c) => c.query('SELECT rotate_medical_history_key($1, $2)', [KEY, NEW_KEY]), true);
    expect(
      await asUser(
        database.appPool,
        'doctor@demo.clinic',
        async (c) => (await c.query('SELECT read_medical_history($1, $2) AS h', [patientId, NEW_KEY])).rows[0].h,
      ),
    ).toBe('Allergic to penicillin.');

    const armored = await database.ownerPool.query(
      `SELECT log_id, table_name FROM audit_log WHERE coalesce(old_values::text, '') || coalesce(new_values::text, '') LIKE '%BEGIN PGP%'`,
    );
    expect(armored.rows).toEqual([]);
    const { rows } = await database.ownerPool.query(
      `SELECT old_values->'medical_history' AS before, new_values->'medical_history' AS after FROM audit_log
        WHERE table_name = 'patients' AND operation = 'UPDATE' AND new_values->>'patient_id' = $1::text ORDER BY log_id`,
      [patientId],
    );
    expect(rows).toHaveLength(2); // the write, then the rotation
    const [write, rotation] = rows;
    expect(write.before).toBeNull();
    expect(write.after).toEqual({
      key_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      ciphertext_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(rotation.before).toEqual(write.after);
    expect(rotation.after.key_id).not.toBe(write.after.key_id);
    // The key check of 017 is kept the same way.
    const keyRows = await database.ownerPool.query(
      `SELECT new_values->'key_check' AS check FROM audit_log WHERE table_name = 'medical_history_key' AND new_values->'key_check' <> 'null'::jsonb`,
    );
    expect(keyRows.rows.length).toBeGreaterThan(0);
    for (const row of keyRows.rows) expect(row.check).toEqual({ key_id: expect.any(String), ciphertext_sha256: expect.any(String) });
  });
});
