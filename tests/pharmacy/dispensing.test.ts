// Dispensing and stock through the one door on real PostgreSQL: FEFO, expired lots, partial dispense,
// the bill line, bad input, the append-only ledger — and the concurrency proofs, with their counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createPharmacyWorld, DOCTOR, expectStockOnLedger, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 25);
  w = await createPharmacyWorld(database);
});
afterAll(async () => {
  // Over the whole database, after everything this file moved: stock equals the signed ledger sum.
  await expectStockOnLedger(database);
  await database.drop();
});

const dispense = (
  prescriptionId: number,
  extra: { quantity?: number; lotChoice?: { lotId: number; reason: string } } = {},
  sender = PHARMACIST,
) => w.harness.core.dispatch(sender, 'pharmacy/dispense-order', { prescriptionId, ...extra });
const ledgerRows = () => w.one<number>(`SELECT count(*)::int FROM pharmacy`);

describe('dispensing', () => {
  it('picks first expiry first out across lots, never an expired one, flags a lot expiring before the course ends, and bills unit price × quantity', async () => {
    const medicine = await w.newMedicine({ price: '1.25' });
    const expired = await w.addLot(medicine, '2020-01-31', 100);
    const soon = await w.addLot(medicine, '2099-01-01', 4);
    const later = await w.addLot(medicine, '2099-06-30', 50);
    const patient = await w.newPatient();
    const order = await w.verifiedOrder(patient, medicine, 10);
    const result = await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order });
    expect(result).toMatchObject({ status: 'Dispensed', dispensed: 10, remaining: 0, amount: '12.50' });
    expect(result.lines.map((l) => [l.lotId, l.quantity])).toEqual([
      [soon.lotId, 4],
      [later.lotId, 6],
    ]);
    expect([await w.lotStock(expired.lotId), await w.lotStock(soon.lotId), await w.lotStock(later.lotId)]).toEqual([100, 0, 44]);
    expect(await w.one(`SELECT amount::text FROM billing WHERE bill_id = $1`, [result.billId])).toBe('12.50');

    const shortLived = await w.newMedicine();
    await w.addLot(shortLived, new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10), 30);
    const course = await w.verifiedOrder(patient, shortLived, 14, 14);
    // Told before dispensing, by the same rule: the course would end after the lot expires.
    const before = await w.call(PHARMACIST, 'pharmacy/get-order', { prescriptionId: course });
    expect(before.courseEndsOn > new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)).toBe(true);
    const flagged = await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: course });
    expect(flagged.lines.map((l) => l.expiresBeforeCourseEnds)).toEqual([true]);
  });

  it('refuses an expired lot the pharmacist picks, and a lot of another medicine; takes a chosen lot with its reason', async () => {
    const medicine = await w.newMedicine();
    const expired = await w.addLot(medicine, '2021-03-01', 20);
    const good = await w.addLot(medicine, '2099-01-01', 20);
    const foreign = await w.addLot(await w.newMedicine(), '2099-01-01', 20);
    const order = await w.verifiedOrder(await w.newPatient(), medicine, 5);
    const before = await ledgerRows();
    const reason = 'Opened box on the counter';
    expect(await dispense(order, { lotChoice: { lotId: expired.lotId, reason } })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(await dispense(order, { lotChoice: { lotId: foreign.lotId, reason } })).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: `Lot ${foreign.lotNumber} is not a lot of the prescribed medicine.` },
    });
    expect(await ledgerRows()).toBe(before);
    const chosen = await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order, lotChoice: { lotId: good.lotId, reason } });
    expect(chosen.lines).toMatchObject([{ lotId: good.lotId, quantity: 5 }]);
    expect(await w.one(`SELECT notes FROM pharmacy WHERE transaction_id = $1`, [chosen.lines[0]!.transactionId])).toContain(reason);
  });

  it('dispenses part, then the rest; the order shows PartiallyDispensed in between and nothing more after', async () => {
    const medicine = await w.newMedicine();
    await w.addLot(medicine, '2099-01-01', 100);
    const order = await w.verifiedOrder(await w.newPatient(), medicine, 30);
    expect(await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order, quantity: 12 })).toMatchObject({
      status: 'PartiallyDispensed',
      remaining: 18,
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order, quantity: 19 })).toMatchObject({
      code: 'Validation',
      message: 'Only 18 left to dispense on this order.',
    });
    expect(await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order })).toMatchObject({
      status: 'Dispensed',
      remaining: 0,
      dispensed: 18,
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order })).toMatchObject({ code: 'Conflict' });
  });

  it("audits each dispensed count once, by its ledger row; the order's own changes stay audited (044)", async () => {
    const medicine = await w.newMedicine();
    await w.addLot(medicine, '2099-01-01', 100);
    const order = await w.verifiedOrder(await w.newPatient(), medicine, 30);
    const audited = (table: string, operation: string) =>
      w.one<number>(
        `SELECT count(*)::int FROM audit_log WHERE table_name = $1 AND operation = $2 AND (new_values->>'prescription_id')::int = $3`,
        [table, operation, order],
      );
    await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order, quantity: 12 });
    await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order });
    // Each dispense's ledger row carries the order, the quantity and the pharmacist; the order's count follows from them.
    expect(await audited('pharmacy', 'INSERT')).toBe(2);
    expect(
      await w.one<number>(
        `SELECT sum((new_values->>'quantity')::int)::int FROM audit_log WHERE table_name = 'pharmacy' AND (new_values->>'prescription_id')::int = $1`,
        [order],
      ),
    ).toBe(-30);
    expect(await audited('prescriptions', 'INSERT')).toBe(1);
    expect(await audited('prescriptions', 'UPDATE')).toBe(0); // the two count and status moves: in the ledger rows above
    // A change made to the order itself is audited, from any client; its count still moves only with the ledger.
    await w.one(`UPDATE prescriptions SET status = 'Completed' WHERE prescription_id = $1 RETURNING status`, [order]);
    expect(await audited('prescriptions', 'UPDATE')).toBe(1);
    await expect(
      w.one(`UPDATE prescriptions SET dispensed_quantity = 0 WHERE prescription_id = $1 RETURNING 1`, [order]),
    ).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('bad input: zero or negative quantity, unknown order, unverified or cancelled order — a clear error, nothing written', async () => {
    const medicine = await w.newMedicine();
    await w.addLot(medicine, '2099-01-01', 100);
    const patient = await w.newPatient();
    const verified = await w.verifiedOrder(patient, medicine, 5);
    const before = await ledgerRows();
    for (const quantity of [0, -1])
      expect(await dispense(verified, { quantity })).toMatchObject({ ok: false, error: { code: 'Validation' } });
    expect(await dispense(999_999)).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    // Another patient: this one's verified order of the same medicine would fire the duplicate check.
    const prescribed = await w.call(DOCTOR, 'pharmacy/prescribe-medicine', {
      order: {
        patientId: await w.newPatient(),
        medicineId: medicine,
        doseAmount: '10',
        doseUnit: 'mg',
        route: 'oral',
        frequency: { code: 'OD' },
        quantity: 5,
      },
    });
    if (prescribed.outcome !== 'done') throw new Error('not prescribed');
    expect(await dispense(prescribed.prescriptionId)).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: expect.stringContaining('not been verified') },
    });
    await w.one(`UPDATE prescriptions SET status = 'Cancelled' WHERE prescription_id = $1 RETURNING status`, [verified]);
    expect(await dispense(verified)).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: expect.stringContaining('cancelled') },
    });
    expect(await ledgerRows()).toBe(before);
  });

  it('receives a delivery as a new lot through a Receive row; refuses an expired lot, a repeated lot, an unknown medicine', async () => {
    const medicine = await w.newMedicine();
    const delivery = { medicineId: medicine, lotNumber: 'DEL-1', expiryDate: '2099-12-31', quantity: 240, supplier: 'Northern Wholesale' };
    const received = await w.call(PHARMACIST, 'pharmacy/receive-delivery', delivery);
    expect(received.quantityOnHand).toBe(240);
    expect(await w.one(`SELECT transaction_type FROM pharmacy WHERE transaction_id = $1`, [received.transactionId])).toBe('Receive');
    expect(await w.refused(PHARMACIST, 'pharmacy/receive-delivery', delivery)).toMatchObject({ code: 'Conflict' });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/receive-delivery', { ...delivery, lotNumber: 'DEL-2', expiryDate: '2020-01-01' }),
    ).toMatchObject({
      code: 'Validation',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/receive-delivery', { ...delivery, medicineId: 999_999 })).toMatchObject({
      code: 'NotFound',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/receive-delivery', { ...delivery, lotNumber: 'DEL-3', quantity: 0 })).toMatchObject({
      code: 'Validation',
    });
    expect(await w.refused(DOCTOR, 'pharmacy/receive-delivery', { ...delivery, lotNumber: 'DEL-4' })).toMatchObject({ code: 'Forbidden' });
  });
});

describe('what the database guarantees, for any client', () => {
  // Fifty signed-in pharmacist windows, made before the race (each sign-in is a deliberate argon2 hash).
  const senders = Array.from({ length: 50 }, (_, i) => `pharmacist-race-${i}`);
  beforeAll(async () => {
    for (const sender of senders) await w.harness.signIn(sender, 'pharmacist@demo.clinic');
  });

  it('the ledger is append-only and stock moves only with a ledger row', async () => {
    const medicine = await w.newMedicine();
    const lot = await w.addLot(medicine, '2099-01-01', 10);
    const app = await database.appPool.connect();
    try {
      const attempt = async (text: string, params: unknown[]) => {
        await app.query(
          `BEGIN; SELECT set_config('app.current_user_id', (SELECT user_id::text FROM users WHERE email = 'pharmacist@demo.clinic'), true)`,
        );
        try {
          await app.query(text, params);
          return 'ok';
        } catch (error) {
          return (error as { code: string }).code;
        } finally {
          await app.query('ROLLBACK');
        }
      };
      expect(await attempt(`UPDATE pharmacy SET quantity = 1 WHERE lot_id = $1`, [lot.lotId])).toBe('42501');
      expect(await attempt(`DELETE FROM pharmacy WHERE lot_id = $1`, [lot.lotId])).toBe('42501');
      expect(await attempt(`UPDATE medicine_lots SET quantity_on_hand = 99 WHERE lot_id = $1`, [lot.lotId])).toBe('42501');
      expect(
        await attempt(
          `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, quantity_on_hand) VALUES ($1, 'X', '2099-01-01', 5)`,
          [medicine],
        ),
      ).toBe('42501');
      // A dispense names its order's own patient (046): one with none would be missing from the patient's history.
      const patient = await w.newPatient();
      const order = await w.verifiedOrder(patient, medicine, 5);
      const dispenseFor = (patientId: number | null) =>
        attempt(
          `INSERT INTO pharmacy (medicine_id, lot_id, prescription_id, patient_id, transaction_type, quantity, performed_by)
           VALUES ($1, $2, $3, $4, 'Dispense', -2, app_current_user_id())`,
          [medicine, lot.lotId, order, patientId],
        );
      expect(await dispenseFor(null)).toBe('23502');
      expect(await dispenseFor(await w.newPatient())).not.toBe('ok');
      expect(await dispenseFor(patient)).toBe('ok'); // rolled back, as every attempt here
      // A row that only moves stock names no order and no patient: it would be filed in that patient's history.
      expect(
        await attempt(
          `INSERT INTO pharmacy (medicine_id, lot_id, prescription_id, patient_id, transaction_type, quantity, notes, performed_by)
           VALUES ($1, $2, $3, $4, 'Adjust', -1, 'Shelf count', app_current_user_id())`,
          [medicine, lot.lotId, order, patient],
        ),
      ).toBe('23514');
    } finally {
      app.release();
    }
    // Even the owner (acting as an administrator) cannot move stock without a ledger row.
    await expect(
      database.ownerPool.query(`UPDATE medicine_lots SET quantity_on_hand = 99 WHERE lot_id = $1`, [lot.lotId]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      database.ownerPool.query(`INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity) VALUES ($1, $2, 'Dispose', 11)`, [
        medicine,
        lot.lotId,
      ]),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await w.lotStock(lot.lotId)).toBe(10);
  });

  it('50 pharmacists dispensing the last 10 units of one lot at once: exactly 10 leave, the rest get a Conflict naming what is left and where', async () => {
    const medicine = await w.newMedicine();
    const last = await w.addLot(medicine, '2099-01-01', 10);
    const other = await w.addLot(medicine, '2099-09-30', 40);
    const patient = await w.newPatient();
    const orders = await Promise.all(Array.from({ length: 50 }, () => w.verifiedOrder(patient, medicine, 1)));
    const reason = 'Last box on the shelf';
    const results = await Promise.all(orders.map((order, i) => dispense(order, { lotChoice: { lotId: last.lotId, reason } }, senders[i])));
    const succeeded = results.filter((r) => r.ok).length;
    const conflicts = results.filter((r) => !r.ok && r.error.code === 'Conflict');
    const left = await w.lotStock(last.lotId);
    const dispensedFromLot = -(await w.one<number>(
      `SELECT sum(quantity)::int FROM pharmacy WHERE lot_id = $1 AND transaction_type = 'Dispense'`,
      [last.lotId],
    ));
    console.log(
      `50 pharmacists, last 10 units: ${succeeded} dispensed, ${conflicts.length} conflicts, ${dispensedFromLot} units left the lot, ${left} remain`,
    );
    expect(succeeded).toBe(10);
    expect(conflicts).toHaveLength(40);
    expect(dispensedFromLot).toBe(10);
    expect(left).toBe(0);
    expect(await w.lotStock(other.lotId)).toBe(40);
    for (const r of conflicts)
      if (!r.ok)
        expect(r.error.message).toBe(
          `Not enough stock: lot ${last.lotNumber} has 0 left; other lots with stock: ${other.lotNumber} (40, expires 2099-09-30). Nothing was dispensed.`,
        );
  });

  it('the same race first-expiry-first-out, with the only other lot expired: exactly 10 leave, 40 Conflicts say 0 are left', async () => {
    const medicine = await w.newMedicine();
    const last = await w.addLot(medicine, '2099-01-01', 10);
    const expired = await w.addLot(medicine, '2020-01-01', 30);
    const patient = await w.newPatient();
    const orders = await Promise.all(Array.from({ length: 50 }, () => w.verifiedOrder(patient, medicine, 1)));
    const results = await Promise.all(orders.map((order, i) => dispense(order, {}, senders[i])));
    const conflicts = results.filter((r) => !r.ok && r.error.code === 'Conflict');
    console.log(`50 pharmacists, FEFO, last 10 units: ${results.filter((r) => r.ok).length} dispensed, ${conflicts.length} conflicts`);
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(conflicts).toHaveLength(40);
    for (const r of conflicts) if (!r.ok) expect(r.error.message).toMatch(/has 0 left; no other lot|Only 0 usable unit\(s\)/);
    expect([await w.lotStock(last.lotId), await w.lotStock(expired.lotId)]).toEqual([0, 30]);
  });

  it('two pharmacists dispensing the same order at once: it is dispensed once', async () => {
    const medicine = await w.newMedicine();
    const lot = await w.addLot(medicine, '2099-01-01', 100);
    const patient = await w.newPatient();
    await w.harness.signIn('pharmacist-2', 'pharmacist@demo.clinic');
    let dispensedTwice = 0;
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const order = await w.verifiedOrder(patient, medicine, 7);
      const [a, b] = await Promise.all([dispense(order), dispense(order, {}, 'pharmacist-2')]);
      const wins = [a, b].filter((r) => r.ok).length;
      if (wins !== 1) dispensedTwice += 1;
      for (const r of [a, b]) if (!r.ok) expect(r.error.code).toBe('Conflict');
      expect(await w.one(`SELECT dispensed_quantity FROM prescriptions WHERE prescription_id = $1`, [order])).toBe(7);
    }
    const left = await w.lotStock(lot.lotId);
    console.log(
      `same order, two pharmacists, ${rounds} rounds: dispensed once in ${rounds - dispensedTwice}, ${100 - left} units left the lot`,
    );
    expect(dispensedTwice).toBe(0);
    expect(left).toBe(100 - 7 * rounds);
  });

  it('a dispense row beyond the order is refused by the database, whatever the client', async () => {
    const medicine = await w.newMedicine();
    const lot = await w.addLot(medicine, '2099-01-01', 100);
    const patient = await w.newPatient();
    const order = await w.verifiedOrder(patient, medicine, 5);
    await expect(
      database.ownerPool.query(
        `INSERT INTO pharmacy (medicine_id, lot_id, prescription_id, patient_id, transaction_type, quantity) VALUES ($1, $2, $3, $4, 'Dispense', -6)`,
        [medicine, lot.lotId, order, patient],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await w.lotStock(lot.lotId)).toBe(100);
  });
});
