// The demo seed's pharmacy (main/seed/pharmacy-demo.ts), as `npm run seed` leaves it: prescriptions in
// every state, dispensed ones through ledger rows (every lot still equal to its ledger), controlled
// dispenses witnessed, allergies, weights, low stock and an open count discrepancy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPharmacyDemo } from '../../main/seed/pharmacy-demo.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectStockOnLedger } from './pharmacy-world.js';

let database: TestDatabase;
beforeAll(async () => {
  // The clinic_demo template is seeded with seedDemoData (3,000 patients), which runs insertPharmacyDemo.
  database = await createTestDatabase('clinic_demo', 1);
  // Run again, it adds nothing: orders go only into an empty book.
  const client = await database.ownerPool.connect();
  try {
    expect(await insertPharmacyDemo(client, 3000)).toEqual({ orders: 0, dispenses: 0, allergies: 0 });
  } finally {
    client.release();
  }
});
afterAll(async () => {
  await expectStockOnLedger(database);
  await database.drop();
});

const rows = async (text: string) => (await database.ownerPool.query(text)).rows;

describe('the demo pharmacy', () => {
  it('has prescriptions in every state, dispensed ones matching their Dispense rows', async () => {
    const states = await rows(`SELECT status, count(*)::int AS n FROM prescriptions GROUP BY status ORDER BY status`);
    console.log(`demo orders: ${states.map((s) => `${s.status} ${s.n}`).join(', ')}`);
    expect(states.map((s) => s.status)).toEqual([
      'Active',
      'Cancelled',
      'Completed',
      'Dispensed',
      'PartiallyDispensed',
      'Queried',
      'Verified',
    ]);
    expect(
      await rows(`
        SELECT p.prescription_id FROM prescriptions p
        LEFT JOIN (SELECT prescription_id, -sum(quantity)::int AS out FROM pharmacy WHERE transaction_type = 'Dispense' GROUP BY prescription_id) d USING (prescription_id)
        WHERE p.dispensed_quantity <> COALESCE(d.out, 0)`),
    ).toEqual([]);
    expect(await rows(`SELECT 1 FROM prescriptions WHERE status = 'Queried' AND queried_reason IS NULL`)).toEqual([]);
    expect(await rows(`SELECT 1 FROM prescriptions WHERE status = 'Cancelled' AND cancelled_reason IS NULL`)).toEqual([]);
  });

  it('has witnessed controlled dispenses, allergies, weights, interaction pairs, low stock and an open count discrepancy', async () => {
    const [facts] = await rows(`
      SELECT (SELECT count(*)::int FROM pharmacy p JOIN medicine m USING (medicine_id) WHERE m.is_controlled AND p.transaction_type = 'Dispense') AS controlled,
             (SELECT count(*)::int FROM pharmacy p JOIN medicine m USING (medicine_id) WHERE m.is_controlled AND p.transaction_type = 'Dispense' AND p.witnessed_by IS NULL) AS unwitnessed,
             (SELECT count(*)::int FROM patient_allergies) AS allergies,
             (SELECT count(*)::int FROM patient_weights) AS weights,
             (SELECT count(*)::int FROM drug_interactions) AS interactions,
             (SELECT count(*)::int FROM medicine m WHERE m.is_active AND m.reorder_level >= (SELECT COALESCE(sum(quantity_on_hand), 0) FROM medicine_lots l WHERE l.medicine_id = m.medicine_id AND l.expiry_date >= CURRENT_DATE)) AS low,
             (SELECT count(*)::int FROM controlled_drug_counts WHERE difference <> 0 AND resolved_at IS NULL) AS discrepancies`);
    console.log(`demo pharmacy facts: ${JSON.stringify(facts)}`);
    expect(facts.controlled).toBeGreaterThan(0);
    expect(facts.unwitnessed).toBe(0);
    expect(facts.allergies).toBeGreaterThan(0);
    expect(facts.weights).toBeGreaterThan(0);
    expect(facts.interactions).toBeGreaterThanOrEqual(4);
    expect(facts.low).toBeGreaterThan(0);
    expect(facts.discrepancies).toBe(1);
  });
});
