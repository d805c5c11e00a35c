// Stock reports and the ledger grid's pages through the one door on real PostgreSQL: low stock,
// expiring lots, stock on hand with NUMERIC values, and keyset paging in each fixed sort that neither
// skips nor repeats a row, with the medicine / patient / user / date / type filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../contract/pharmacy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createPharmacyWorld, DOCTOR, expectStockOnLedger, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  w = await createPharmacyWorld(database);
});
afterAll(async () => {
  await expectStockOnLedger(database);
  await database.drop();
});

const inDays = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe('stock reports', () => {
  it('low stock counts only usable lots against the reorder level; expiring lots soonest first; stock on hand valued in NUMERIC', async () => {
    const low = await w.newMedicine({ reorderLevel: 100, price: '1.25' });
    await w.addLot(low, inDays(5), 20);
    const expired = await w.addLot(low, inDays(-3), 500);
    const plenty = await w.newMedicine({ reorderLevel: 10 });
    const later = await w.addLot(plenty, inDays(100), 50);

    const lowStock = await w.call(PHARMACIST, 'pharmacy/report-low-stock', {});
    expect(lowStock.find((r) => r.medicineId === low)).toMatchObject({ reorderLevel: 100, usableStock: 20, totalStock: 520 });
    expect(lowStock.some((r) => r.medicineId === plenty)).toBe(false);

    const expiring = await w.call(PHARMACIST, 'pharmacy/report-expiring', { withinDays: 30 });
    const mine = expiring.filter((r) => r.medicineId === low || r.medicineId === plenty);
    expect(mine.map((r) => [r.lotId, r.daysLeft, r.expired, r.value])).toEqual([
      [expired.lotId, -3, true, '625.00'],
      [expect.any(Number), 5, false, '25.00'],
    ]);
    const notExpired = await w.call(PHARMACIST, 'pharmacy/report-expiring', { withinDays: 30, includeExpired: false });
    expect(notExpired.some((r) => r.lotId === expired.lotId || r.lotId === later.lotId)).toBe(false);

    const onHand = await w.call(PHARMACIST, 'pharmacy/report-stock-on-hand', {});
    expect(onHand.rows.find((r) => r.medicineId === low)).toMatchObject({
      quantityOnHand: 520,
      usableQuantity: 20,
      lots: 2,
      unitPrice: '1.25',
      value: '650.00',
    });
    expect(onHand.totalValue).toMatch(/^\d+\.\d{2}$/);
    const cents = onHand.rows.reduce((sum, r) => sum + BigInt(r.value.replace('.', '')), 0n);
    expect(onHand.totalValue.replace('.', '')).toBe(String(cents));
    const controlled = await w.call(PHARMACIST, 'pharmacy/report-stock-on-hand', { controlledOnly: true });
    expect(controlled.rows.every((r) => r.isControlled)).toBe(true);

    const lots = await w.call(PHARMACIST, 'pharmacy/list-lots', { medicineId: low });
    expect(lots.map((l) => l.lotId)[0]).toBe(expired.lotId);
    expect(await w.refused(DOCTOR, 'pharmacy/report-low-stock', {})).toMatchObject({ code: 'Forbidden' });
  });
});

describe('the ledger grid', () => {
  let medicine: number;
  let other: number;
  let performer: { userId: string; email: string };
  const ROWS = 2500;

  beforeAll(async () => {
    medicine = await w.newMedicine();
    other = await w.newMedicine();
    performer = await w.newUser('pharmacist', 'Ledger');
    const lot = await w.addLot(medicine, '2099-01-01', 0);
    const otherLot = await w.addLot(other, '2099-01-01', 0);
    // Rows over about two days, three to a minute (ties on the date), with quantities 1–7 (ties on quantity).
    await database.ownerPool.query(
      `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, notes, transaction_date)
       SELECT CASE WHEN g % 5 = 0 THEN $4::int ELSE $1::int END, CASE WHEN g % 5 = 0 THEN $5::int ELSE $2::int END, 'Receive', 1 + g % 7, $3::uuid, 'bulk',
              now() - (g / 3) * interval '1 minute'
       FROM generate_series(1, ${ROWS}) AS g`,
      [medicine, lot.lotId, performer.userId, other, otherLot.lotId],
    );
  });

  /** Every page of a query, following nextCursor. */
  async function allPages(query: Record<string, unknown>, limit: number) {
    const rows: LedgerEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { rows: LedgerEntry[]; nextCursor: string | null } = await w.call(PHARMACIST, 'pharmacy/list-ledger', {
        ...query,
        limit,
        cursor,
      });
      rows.push(...page.rows);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    return { rows, pages };
  }
  const expected = async (orderBy: string, where: string, params: unknown[]) =>
    (
      await database.ownerPool.query<{ id: number }>(
        `SELECT p.transaction_id AS id FROM pharmacy p JOIN medicine m USING (medicine_id) WHERE ${where} ORDER BY ${orderBy}`,
        params,
      )
    ).rows.map((r) => r.id);

  it('pages in each fixed sort without skipping or repeating a row', async () => {
    const cases = [
      { sort: 'date', direction: 'desc', orderBy: 'p.transaction_date DESC, p.transaction_id DESC' },
      { sort: 'date', direction: 'asc', orderBy: 'p.transaction_date ASC, p.transaction_id ASC' },
      { sort: 'quantity', direction: 'asc', orderBy: 'p.quantity ASC, p.transaction_id ASC' },
      { sort: 'type', direction: 'desc', orderBy: 'p.transaction_type DESC, p.transaction_id DESC' },
      { sort: 'medicine', direction: 'asc', orderBy: 'm.name ASC, p.transaction_id ASC' },
    ] as const;
    for (const c of cases) {
      const { rows, pages } = await allPages({ userId: performer.userId, sort: c.sort, direction: c.direction }, 700);
      const ids = rows.map((r) => r.transactionId);
      console.log(`ledger sort ${c.sort} ${c.direction}: ${rows.length} rows in ${pages} pages, ${new Set(ids).size} distinct`);
      expect(ids).toEqual(await expected(c.orderBy, 'p.performed_by = $1', [performer.userId]));
    }
  });

  it('filters by medicine, type, user and days; a bad cursor is refused', async () => {
    const byMedicine = await allPages({ medicineId: other }, 10_000);
    expect(byMedicine.rows).toHaveLength(ROWS / 5 + 0);
    expect(byMedicine.rows.every((r) => r.medicineId === other && r.performedBy === 'Ledger pharmacist')).toBe(true);
    const today = inDays(0);
    const todays = await allPages({ userId: performer.userId, from: today, to: today }, 10_000);
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    const tomorrow = new Date(midnight);
    tomorrow.setDate(tomorrow.getDate() + 1);
    expect(todays.rows.map((r) => r.transactionId)).toEqual(
      await expected(
        'p.transaction_date DESC, p.transaction_id DESC',
        'p.performed_by = $1 AND p.transaction_date >= $2 AND p.transaction_date < $3',
        [performer.userId, midnight, tomorrow],
      ),
    );
    expect((await w.call(PHARMACIST, 'pharmacy/list-ledger', { userId: performer.userId, types: ['Dispense'] })).rows).toEqual([]);
    expect(await w.refused(PHARMACIST, 'pharmacy/list-ledger', { cursor: 'bm90LWEtY3Vyc29y' })).toMatchObject({
      code: 'Validation',
      issues: [{ path: 'cursor' }],
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/list-ledger', { from: '2026-02-02', to: '2026-02-01' })).toMatchObject({
      code: 'Validation',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/list-ledger', { sort: 'notes' })).toMatchObject({ code: 'Validation' });
    expect((await w.call(PHARMACIST, 'pharmacy/list-ledger-users', {})).map((u) => u.userId)).toContain(performer.userId);
  });

  it("names a dispense row's patient, and filters by patient", async () => {
    const lot = await w.addLot(medicine, '2099-01-01', 10);
    const patient = await w.newPatient('Ledgerpatient');
    const order = await w.verifiedOrder(patient, medicine, 3);
    await w.call(PHARMACIST, 'pharmacy/dispense-order', {
      prescriptionId: order,
      lotChoice: { lotId: lot.lotId, reason: 'Open box first' },
    });
    const rows = (await w.call(PHARMACIST, 'pharmacy/list-ledger', { patientId: patient })).rows;
    expect(rows).toMatchObject([
      { type: 'Dispense', quantity: -3, prescriptionId: order, patientId: patient, patientName: expect.stringContaining('Ledgerpatient-') },
    ]);
  });
});
