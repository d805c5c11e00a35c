// The controlled-drug register and physical counts through the one door on real PostgreSQL: every
// movement with its running balance and witness; a count that differs from the book balance is
// flagged to the administrator (and only the administrator resolves it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createPharmacyWorld, expectStockOnLedger, NURSE, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;
const ADMIN = 'admin-1';

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 6);
  w = await createPharmacyWorld(database);
  await w.harness.signIn(ADMIN, 'admin@demo.clinic');
});
afterAll(async () => {
  await expectStockOnLedger(database);
  await database.drop();
});

describe('the controlled-drug register', () => {
  it('lists every movement with the running balance over all lots and who witnessed it; the book balance is the stock', async () => {
    const witness = { email: 'nurse@demo.clinic', password: w.password };
    const medicine = await w.newMedicine({ controlled: true });
    const a = await w.addLot(medicine, '2099-01-01', 60);
    const b = await w.addLot(medicine, '2099-06-30', 40);
    const order = await w.verifiedOrder(await w.newPatient('Register'), medicine, 70);
    await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order, witness }); // 60 from a, 10 from b
    await w.call(PHARMACIST, 'pharmacy/dispose-stock', {
      lotId: b.lotId,
      quantity: 2,
      disposalKind: 'damaged',
      reason: 'Ampoules broken',
      witness,
    });
    await w.call(PHARMACIST, 'pharmacy/adjust-stock', { lotId: b.lotId, quantity: -1, reason: 'One missing at count', witness });
    await w.call(PHARMACIST, 'pharmacy/return-from-ward', {
      prescriptionId: order,
      lotId: a.lotId,
      quantity: 5,
      reason: 'Patient discharged',
    });

    const register = await w.call(PHARMACIST, 'pharmacy/get-controlled-register', { medicineId: medicine });
    const lines = register.entries.map((e) => `${e.type} ${e.quantity} → ${e.balance}${e.witnessedBy ? ` (${e.witnessedBy})` : ''}`);
    console.log(`register: ${lines.join('; ')}; book ${register.bookBalance}`);
    expect(lines).toEqual([
      'Receive 60 → 60',
      'Receive 40 → 100',
      'Dispense -60 → 40 (Nia Nurse)',
      'Dispense -10 → 30 (Nia Nurse)',
      'Dispose -2 → 28 (Nia Nurse)',
      'Adjust -1 → 27 (Nia Nurse)',
      'Return 5 → 32',
    ]);
    expect(register).toMatchObject({ isControlled: true, openingBalance: 0, bookBalance: 32, truncated: false });
    expect(register.entries[2]).toMatchObject({ prescriptionId: order, patientName: expect.stringContaining('Register-') });

    const latest = await w.call(PHARMACIST, 'pharmacy/get-controlled-register', { medicineId: medicine, limit: 2 });
    expect(latest).toMatchObject({ truncated: true, openingBalance: 28, bookBalance: 32 });
    expect(latest.entries.map((e) => e.balance)).toEqual([27, 32]);
  });
});

describe('physical counts', () => {
  it('a count that differs from the book balance is stored and flagged to the administrator, who resolves it once', async () => {
    const medicine = await w.newMedicine({ controlled: true });
    await w.addLot(medicine, '2099-01-01', 30);
    const matching = await w.call(PHARMACIST, 'pharmacy/record-controlled-count', { medicineId: medicine, countedQuantity: 30 });
    expect(matching).toMatchObject({ bookBalance: 30, counted: 30, difference: 0, resolvedAt: null });
    const short = await w.call(PHARMACIST, 'pharmacy/record-controlled-count', {
      medicineId: medicine,
      countedQuantity: 28,
      note: 'Two ampoules not found',
      witness: { email: 'nurse@demo.clinic', password: w.password },
    });
    expect(short).toMatchObject({ bookBalance: 30, counted: 28, difference: -2, countedBy: 'Priya Pharmacist', witnessedBy: 'Nia Nurse' });

    const open = await w.call(ADMIN, 'pharmacy/list-count-discrepancies', {});
    expect(open.map((c) => c.countId)).toContain(short.countId);
    expect(open.map((c) => c.countId)).not.toContain(matching.countId);
    expect(await w.refused(PHARMACIST, 'pharmacy/list-count-discrepancies', {})).toMatchObject({ code: 'Forbidden' });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/resolve-count-discrepancy', { countId: short.countId, resolution: 'Found them' }),
    ).toMatchObject({
      code: 'Forbidden',
    });

    const resolved = await w.call(ADMIN, 'pharmacy/resolve-count-discrepancy', {
      countId: short.countId,
      resolution: 'Found in the fridge; register adjusted',
    });
    expect(resolved).toMatchObject({ resolvedBy: 'Alex Admin', resolution: 'Found in the fridge; register adjusted' });
    expect(
      await w.refused(ADMIN, 'pharmacy/resolve-count-discrepancy', { countId: short.countId, resolution: 'Again and again' }),
    ).toMatchObject({
      code: 'Conflict',
    });
    expect(
      await w.refused(ADMIN, 'pharmacy/resolve-count-discrepancy', { countId: matching.countId, resolution: 'Nothing to do' }),
    ).toMatchObject({
      code: 'Conflict',
    });
    expect((await w.call(ADMIN, 'pharmacy/list-count-discrepancies', {})).map((c) => c.countId)).not.toContain(short.countId);
    expect((await w.call(ADMIN, 'pharmacy/list-count-discrepancies', { includeResolved: true })).map((c) => c.countId)).toContain(
      short.countId,
    );
    const register = await w.call(PHARMACIST, 'pharmacy/get-controlled-register', { medicineId: medicine });
    expect(register.counts.map((c) => c.difference)).toEqual([-2, 0]);
  });

  it('bad input: an unknown medicine, one that is not controlled, a negative count, a nurse — a clear error, nothing stored', async () => {
    const plain = await w.newMedicine();
    const controlled = await w.newMedicine({ controlled: true });
    const counts = () => w.one<number>(`SELECT count(*)::int FROM controlled_drug_counts`);
    const before = await counts();
    expect(await w.refused(PHARMACIST, 'pharmacy/record-controlled-count', { medicineId: 999_999, countedQuantity: 1 })).toMatchObject({
      code: 'NotFound',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/record-controlled-count', { medicineId: plain, countedQuantity: 1 })).toMatchObject({
      code: 'Validation',
      message: expect.stringContaining('is not a controlled drug'),
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/record-controlled-count', { medicineId: controlled, countedQuantity: -1 })).toMatchObject({
      code: 'Validation',
    });
    expect(await w.refused(NURSE, 'pharmacy/record-controlled-count', { medicineId: controlled, countedQuantity: 1 })).toMatchObject({
      code: 'Forbidden',
    });
    expect(await counts()).toBe(before);
    // Whatever the client: the database reads the book balance itself and refuses a count of a non-controlled medicine.
    const pharmacist = await w.userId('pharmacist@demo.clinic');
    await expect(
      database.ownerPool.query(`INSERT INTO controlled_drug_counts (medicine_id, counted_quantity, counted_by) VALUES ($1, 1, $2)`, [
        plain,
        pharmacist,
      ]),
    ).rejects.toMatchObject({ code: 'PH005' });
    const forged = await database.ownerPool.query(
      `INSERT INTO controlled_drug_counts (medicine_id, counted_quantity, counted_by, book_balance) VALUES ($1, 0, $2, 999) RETURNING book_balance, difference`,
      [controlled, pharmacist],
    );
    expect(forged.rows[0]).toEqual({ book_balance: 0, difference: 0 });
  });
});
