// Stock that moves without a dispense, through the one door on real PostgreSQL: adjustments after a
// count, returns from a ward (into the same lot, never more than was dispensed — the database decides,
// also under concurrency), disposals; bad input refused with nothing written; the ledger equality holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createPharmacyWorld, DESK, DOCTOR, expectStockOnLedger, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 12);
  w = await createPharmacyWorld(database);
});
afterAll(async () => {
  await expectStockOnLedger(database);
  await database.drop();
});

const ledgerRows = () => w.one<number>(`SELECT count(*)::int FROM pharmacy`);
const reason = 'Shelf count on the night shift';

describe('adjusting after a count', () => {
  it('moves a lot up or down by a signed quantity with its reason, as an Adjust row', async () => {
    const medicine = await w.newMedicine();
    const lot = await w.addLot(medicine, '2099-01-01', 20);
    const up = await w.call(PHARMACIST, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: 3, reason });
    expect(up).toMatchObject({ type: 'Adjust', quantity: 3, quantityOnHand: 23, witnessedBy: null });
    const down = await w.call(PHARMACIST, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: -5, reason });
    expect(down).toMatchObject({ quantity: -5, quantityOnHand: 18 });
    expect(await w.one(`SELECT notes FROM pharmacy WHERE transaction_id = $1`, [down.transactionId])).toBe(`Count adjustment: ${reason}`);
  });

  it('bad input — zero, below zero, no reason, an unknown lot, the front desk — a clear error and nothing written', async () => {
    const lot = await w.addLot(await w.newMedicine(), '2099-01-01', 4);
    const before = await ledgerRows();
    expect(await w.refused(PHARMACIST, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: 0, reason })).toMatchObject({
      code: 'Validation',
      issues: [{ path: 'quantity', message: expect.stringContaining('at least one unit') }],
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: -5, reason })).toMatchObject({
      code: 'Validation',
      message: `Lot ${lot.lotNumber} holds 4: an adjustment of -5 would take it below zero.`,
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: 1, reason: ' ' })).toMatchObject({
      code: 'Validation',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/adjust-stock', { lotId: 999_999, quantity: 1, reason })).toMatchObject({
      code: 'NotFound',
    });
    expect(await w.refused(DESK, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: 1, reason })).toMatchObject({ code: 'Forbidden' });
    expect(await ledgerRows()).toBe(before);
    expect(await w.lotStock(lot.lotId)).toBe(4);
  });
});

describe('disposing of stock', () => {
  it('takes expired or damaged units out with the kind and reason, never more than the lot holds', async () => {
    const medicine = await w.newMedicine();
    const expired = await w.addLot(medicine, '2020-06-30', 12);
    const done = await w.call(PHARMACIST, 'pharmacy/dispose-stock', {
      lotId: expired.lotId,
      quantity: 12,
      disposalKind: 'expired',
      reason: 'Past its expiry date',
    });
    expect(done).toMatchObject({ type: 'Dispose', quantity: -12, quantityOnHand: 0 });
    expect(await w.one(`SELECT notes FROM pharmacy WHERE transaction_id = $1`, [done.transactionId])).toBe(
      'Disposed (expired): Past its expiry date',
    );
    const before = await ledgerRows();
    for (const quantity of [0, -1])
      expect(
        await w.refused(PHARMACIST, 'pharmacy/dispose-stock', { lotId: expired.lotId, quantity, disposalKind: 'damaged', reason }),
      ).toMatchObject({ code: 'Validation' });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/dispose-stock', { lotId: expired.lotId, quantity: 1, disposalKind: 'damaged', reason }),
    ).toMatchObject({ code: 'Validation', message: `Lot ${expired.lotNumber} holds only 0: 1 cannot be disposed of.` });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/dispose-stock', { lotId: expired.lotId, quantity: 1, disposalKind: 'lost', reason }),
    ).toMatchObject({ code: 'Validation' });
    expect(await ledgerRows()).toBe(before);
  });
});

describe('returns from a ward', () => {
  /** An order of 10 dispensed first-expiry-first-out from two lots: 4 from `first`, 6 from `second`. */
  async function dispensedOrder() {
    const medicine = await w.newMedicine();
    const first = await w.addLot(medicine, '2099-01-01', 4);
    const second = await w.addLot(medicine, '2099-06-30', 50);
    const order = await w.verifiedOrder(await w.newPatient(), medicine, 10);
    await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order });
    return { medicine, first, second, order };
  }

  it('goes back into the lot it left, never more than was dispensed from it net of earlier returns', async () => {
    const { first, second, order } = await dispensedOrder();
    expect(await w.call(PHARMACIST, 'pharmacy/list-returnable', { prescriptionId: order })).toEqual([
      { lotId: first.lotId, lotNumber: first.lotNumber, expiryDate: '2099-01-01', dispensed: 4, returned: 0, returnable: 4 },
      { lotId: second.lotId, lotNumber: second.lotNumber, expiryDate: '2099-06-30', dispensed: 6, returned: 0, returnable: 6 },
    ]);
    const otherLot = await w.addLot(await w.newMedicine(), '2099-01-01', 5);
    const back = await w.call(PHARMACIST, 'pharmacy/return-from-ward', { prescriptionId: order, lotId: first.lotId, quantity: 3, reason });
    expect(back).toMatchObject({ type: 'Return', quantity: 3, quantityOnHand: 3 });
    expect(await w.one(`SELECT patient_id FROM pharmacy WHERE transaction_id = $1`, [back.transactionId])).toBe(
      await w.one(`SELECT patient_id FROM prescriptions WHERE prescription_id = $1`, [order]),
    );
    const before = await ledgerRows();
    expect(
      await w.refused(PHARMACIST, 'pharmacy/return-from-ward', { prescriptionId: order, lotId: first.lotId, quantity: 2, reason }),
    ).toMatchObject({
      code: 'Validation',
      message: `Only 1 unit(s) can come back into lot ${first.lotNumber}: 4 were dispensed from it for this order and 3 already returned. Nothing was changed.`,
    });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/return-from-ward', { prescriptionId: order, lotId: second.lotId, quantity: 7, reason }),
    ).toMatchObject({ code: 'Validation' });
    // A lot the order never took from (a lot of another medicine).
    expect(
      await w.refused(PHARMACIST, 'pharmacy/return-from-ward', { prescriptionId: order, lotId: otherLot.lotId, quantity: 1, reason }),
    ).toMatchObject({ code: 'Validation', message: expect.stringContaining('a return goes back into the lot it came from') });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/return-from-ward', { prescriptionId: 999_999, lotId: first.lotId, quantity: 1, reason }),
    ).toMatchObject({
      code: 'NotFound',
    });
    expect(
      await w.refused(DOCTOR, 'pharmacy/return-from-ward', { prescriptionId: order, lotId: first.lotId, quantity: 1, reason }),
    ).toMatchObject({
      code: 'Forbidden',
    });
    expect(await ledgerRows()).toBe(before);
  });

  it('the database refuses a return beyond what was dispensed from that lot, for any client', async () => {
    const { medicine, first, second, order } = await dispensedOrder();
    const insert = (lotId: number, quantity: number) =>
      database.ownerPool.query(
        `INSERT INTO pharmacy (medicine_id, lot_id, prescription_id, transaction_type, quantity, notes) VALUES ($1, $2, $3, 'Return', $4, 'test return')`,
        [medicine, lotId, order, quantity],
      );
    await expect(insert(first.lotId, 5)).rejects.toMatchObject({ code: 'PH003' });
    await insert(second.lotId, 6);
    await expect(insert(second.lotId, 1)).rejects.toMatchObject({ code: 'PH003' });
    await expect(
      database.ownerPool.query(
        `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, notes) VALUES ($1, $2, 'Return', 1, 'no order')`,
        [medicine, first.lotId],
      ),
    ).rejects.toMatchObject({ code: '23502' });
  });

  it('ten returns of one unit at once into a lot that 6 left: exactly 6 come back, 4 Conflicts', async () => {
    const { second, order } = await dispensedOrder();
    const senders = Array.from({ length: 10 }, (_, i) => `returner-${i}`);
    for (const sender of senders) await w.harness.signIn(sender, 'pharmacist@demo.clinic');
    const results = await Promise.all(
      senders.map((sender) =>
        w.harness.core.dispatch(sender, 'pharmacy/return-from-ward', { prescriptionId: order, lotId: second.lotId, quantity: 1, reason }),
      ),
    );
    const ok = results.filter((r) => r.ok).length;
    const refused = results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code));
    const returned = await w.one<number>(
      `SELECT sum(quantity)::int FROM pharmacy WHERE prescription_id = $1 AND transaction_type = 'Return'`,
      [order],
    );
    console.log(
      `10 returns at once, 6 returnable: ${ok} returned, ${refused.length} refused (${[...new Set(refused)].join(', ')}), ${returned} units back`,
    );
    expect(ok).toBe(6);
    expect(returned).toBe(6);
    expect(refused.every((code) => code === 'Conflict' || code === 'Validation')).toBe(true);
    expect(await w.lotStock(second.lotId)).toBe(50);
  });
});

describe('the audit trail of a lot (042)', () => {
  it('audits each stock move once, by its ledger row; the lot itself is audited when created and when its own data changes', async () => {
    const lot = await w.addLot(await w.newMedicine(), '2099-01-01', 10);
    const up = await w.call(PHARMACIST, 'pharmacy/adjust-stock', { lotId: lot.lotId, quantity: 2, reason });
    const audited = (table: string, operation: string) =>
      w.one<number>(`SELECT count(*)::int FROM audit_log WHERE table_name = $1 AND operation = $2 AND (new_values->>'lot_id')::int = $3`, [
        table,
        operation,
        lot.lotId,
      ]);
    expect(await audited('pharmacy', 'INSERT')).toBe(2); // the Receive and the Adjust, each with who, what and how many
    expect(
      await w.one(
        `SELECT new_values->>'quantity' FROM audit_log WHERE table_name = 'pharmacy' AND (new_values->>'transaction_id')::int = $1`,
        [up.transactionId],
      ),
    ).toBe('2');
    expect(await audited('medicine_lots', 'INSERT')).toBe(1);
    expect(await audited('medicine_lots', 'UPDATE')).toBe(0); // the two moves of quantity_on_hand: in the ledger rows above
    // A change of the lot's own data is audited, from any client; its stock still cannot be written directly.
    await database.ownerPool.query(`UPDATE medicine_lots SET supplier = 'Relabelled Pharma' WHERE lot_id = $1`, [lot.lotId]);
    expect(await audited('medicine_lots', 'UPDATE')).toBe(1);
    await expect(
      database.ownerPool.query(`UPDATE medicine_lots SET quantity_on_hand = 99 WHERE lot_id = $1`, [lot.lotId]),
    ).rejects.toMatchObject({
      code: '42501',
    });
    expect(await w.lotStock(lot.lotId)).toBe(12);
  });
});
