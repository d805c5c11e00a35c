// Migration 025's catalog promises: 022's NOT VALID constraints are now validated, the new tables are
// under FORCEd row level security with an audit trigger, and one counting row per dose is an index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_migrated', 1);
});
afterAll(() => database.drop());
const rows = async (query: string) => (await database.ownerPool.query(query)).rows;

describe('migration 025', () => {
  it("validates 022's constraints", async () => {
    expect(
      await rows(`SELECT conname, convalidated FROM pg_constraint WHERE conname IN
        ('room_assignments_discharge_destination_known', 'room_assignments_transferred_from_fk', 'cleaning_service_bed_number_positive') ORDER BY 1`),
    ).toEqual([
      { conname: 'cleaning_service_bed_number_positive', convalidated: true },
      { conname: 'room_assignments_discharge_destination_known', convalidated: true },
      { conname: 'room_assignments_transferred_from_fk', convalidated: true },
    ]);
  });

  it('puts the new tables under FORCEd row level security, audited', async () => {
    expect(
      await rows(`SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                         EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = c.relname || '_audit') AS audited
                  FROM pg_class c WHERE c.relname IN ('medication_administrations', 'ward_settings') ORDER BY 1`),
    ).toEqual([
      { relname: 'medication_administrations', rls: true, forced: true, audited: true },
      { relname: 'ward_settings', rls: true, forced: true, audited: true },
    ]);
  });

  it('makes one counting row per dose a unique partial index', async () => {
    const [index] = await rows(`SELECT indexdef FROM pg_indexes WHERE indexname = 'medication_administrations_one_per_dose'`);
    expect(index.indexdef).toMatch(/UNIQUE INDEX .* \(prescription_id, scheduled_for\) WHERE/);
  });
});
