// The prescriber's side through the one door on real PostgreSQL: the orders a pharmacist queried
// back, cancelling with a reason (stamped by the database; a cancelled order cannot be dispensed), and
// a patient's weight shown with their orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderInput } from '../../contract/pharmacy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';
import { createPharmacyWorld, DOCTOR, NURSE, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  w = await createPharmacyWorld(database);
});
afterAll(() => database.drop());

async function prescribed(patientId: number, medicineId: number) {
  const order: Partial<OrderInput> & Pick<OrderInput, 'patientId' | 'medicineId'> = {
    patientId,
    medicineId,
    doseAmount: '10',
    doseUnit: 'mg',
    route: 'oral',
    frequency: { code: 'OD' },
    quantity: 7,
  };
  const result = await w.call(DOCTOR, 'pharmacy/prescribe-medicine', { order: order as OrderInput });
  if (result.outcome !== 'done') throw new Error('not prescribed');
  return result.prescriptionId;
}

describe('queried orders', () => {
  it('the prescriber sees the orders a pharmacist queried back, with the reason and who queried', async () => {
    const patient = await w.newPatient('Queried');
    const medicine = await w.newMedicine();
    await w.addLot(medicine, '2099-01-01', 20);
    const order = await prescribed(patient, medicine);
    await w.call(PHARMACIST, 'pharmacy/query-order', { prescriptionId: order, reason: 'Please confirm the dose for this weight' });
    const list = await w.call(DOCTOR, 'pharmacy/list-queried-orders', {});
    expect(list.find((o) => o.prescriptionId === order)).toMatchObject({
      status: 'Queried',
      queriedReason: 'Please confirm the dose for this weight',
      queriedBy: 'Priya Pharmacist',
      patientName: expect.stringContaining('Queried-'),
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/list-queried-orders', {})).toMatchObject({ code: 'Forbidden' });
  });
});

describe('cancelling an order', () => {
  it('the prescriber cancels with a reason; the database stamps who and when; it can no longer be dispensed', async () => {
    const medicine = await w.newMedicine();
    await w.addLot(medicine, '2099-01-01', 20);
    const patient = await w.newPatient('Cancel');
    const order = await prescribed(patient, medicine);
    expect(await w.call(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: order, reason: 'Switched to IV therapy' })).toEqual({
      prescriptionId: order,
      status: 'Cancelled',
    });
    const row = await database.ownerPool.query(
      `SELECT p.cancelled_reason, u.email, p.cancelled_at IS NOT NULL AS stamped FROM prescriptions p JOIN users u ON u.user_id = p.cancelled_by WHERE p.prescription_id = $1`,
      [order],
    );
    expect(row.rows[0]).toEqual({ cancelled_reason: 'Switched to IV therapy', email: 'doctor@demo.clinic', stamped: true });
    expect((await w.call(PHARMACIST, 'pharmacy/get-order', { prescriptionId: order })).cancelledReason).toBe('Switched to IV therapy');
    const ledger = await w.one<number>(`SELECT count(*)::int FROM pharmacy`);
    expect(await w.refused(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order })).toMatchObject({
      code: 'Conflict',
      message: expect.stringContaining('cancelled'),
    });
    expect(await w.one<number>(`SELECT count(*)::int FROM pharmacy`)).toBe(ledger);
    expect(await w.refused(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: order, reason: 'Cancel it again' })).toMatchObject({
      code: 'Conflict',
    });
  });

  it('a change replaces the order (the old one is cancelled, naming its replacement); others cannot cancel; bad input is refused', async () => {
    const medicine = await w.newMedicine();
    const patient = await w.newPatient('Replace');
    const old = await prescribed(patient, medicine);
    const renewed = await w.call(DOCTOR, 'pharmacy/prescribe-medicine', {
      order: {
        patientId: patient,
        medicineId: medicine,
        doseAmount: '20',
        doseUnit: 'mg',
        route: 'oral',
        frequency: { code: 'BD' },
        quantity: 14,
        replacesPrescriptionId: old,
      },
    });
    if (renewed.outcome !== 'done') throw new Error('not prescribed');
    expect(await w.one(`SELECT status || ': ' || cancelled_reason FROM prescriptions WHERE prescription_id = $1`, [old])).toBe(
      `Cancelled: Replaced by order ${renewed.prescriptionId}`,
    );
    expect(
      await w.refused(PHARMACIST, 'pharmacy/cancel-order', { prescriptionId: renewed.prescriptionId, reason: 'Not mine to cancel' }),
    ).toMatchObject({
      code: 'Forbidden',
    });
    expect(await w.refused(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: renewed.prescriptionId, reason: 'no' })).toMatchObject({
      code: 'Validation',
    });
    expect(await w.refused(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: 999_999, reason: 'No such order' })).toMatchObject({
      code: 'NotFound',
    });
    // A direct edit of the cancellation columns is refused by the database, whoever asks.
    await expect(
      database.ownerPool.query(`UPDATE prescriptions SET cancelled_reason = 'rewritten' WHERE prescription_id = $1`, [old]),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe('an order something has happened to', () => {
  /** One statement as the app's login in the demo administrator's context, committed: rows changed, or the SQLSTATE. */
  const asAdministrator = (text: string, params: unknown[]) =>
    asUser(database.appPool, 'admin@demo.clinic', (client) => client.query(text, params), true).then(
      (result) => result.rowCount ?? 0,
      (error: { code: string }) => error.code,
    );
  const orderOf = (id: number) =>
    w.one<string>(`SELECT patient_id || '/' || medicine_id FROM prescriptions WHERE prescription_id = $1`, [id]);

  it('keeps its patient and medicine once dispensed or given, even for an administrator (049); a fresh order may still be moved', async () => {
    const [patient, other] = [await w.newPatient('Moved'), await w.newPatient('Other')];
    const [medicine, another] = [await w.newMedicine(), await w.newMedicine()];
    await w.addLot(medicine, '2099-01-01', 50);
    const dispensed = await w.verifiedOrder(patient, medicine, 10);
    await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: dispensed, quantity: 3 });
    const given = await w.verifiedOrder(patient, medicine, 10);
    expect(
      await asAdministrator(
        `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, recorded_by)
         VALUES ($1, $2, now(), 'given', app_current_user_id())`,
        [given, patient],
      ),
    ).toBe(1);

    for (const order of [dispensed, given]) {
      const before = await orderOf(order);
      expect(await asAdministrator(`UPDATE prescriptions SET patient_id = $2 WHERE prescription_id = $1`, [order, other])).toBe('42501');
      expect(await asAdministrator(`UPDATE prescriptions SET medicine_id = $2 WHERE prescription_id = $1`, [order, another])).toBe('42501');
      expect(await orderOf(order)).toBe(before);
    }
    // The administrator still amends the rest of it, and moves an order nothing has happened to yet.
    expect(await asAdministrator(`UPDATE prescriptions SET instructions = 'With food' WHERE prescription_id = $1`, [dispensed])).toBe(1);
    const fresh = await w.verifiedOrder(patient, medicine, 10);
    expect(await asAdministrator(`UPDATE prescriptions SET patient_id = $2 WHERE prescription_id = $1`, [fresh, other])).toBe(1);
    expect(await orderOf(fresh)).toBe(`${other}/${medicine}`);
  });
});

describe('patient weight', () => {
  it('recorded by a doctor (a new row each time), the latest shown with the order; bad weights and the pharmacist refused', async () => {
    const medicine = await w.newMedicine();
    const patient = await w.newPatient('Weighed');
    const order = await prescribed(patient, medicine);
    expect((await w.call(PHARMACIST, 'pharmacy/get-order', { prescriptionId: order })).weightKg).toBeNull();
    await w.call(DOCTOR, 'pharmacy/record-weight', { patientId: patient, weightKg: '81.20' });
    const latest = await w.call(DOCTOR, 'pharmacy/record-weight', { patientId: patient, weightKg: '72.5' });
    expect(latest).toMatchObject({ patientId: patient, weightKg: '72.5' });
    const detail = await w.call(PHARMACIST, 'pharmacy/get-order', { prescriptionId: order });
    expect(detail).toMatchObject({ weightKg: '72.5', weightRecordedAt: latest.recordedAt });
    const weights = () => w.one<number>(`SELECT count(*)::int FROM patient_weights WHERE patient_id = $1`, [patient]);
    expect(await weights()).toBe(2);
    for (const weightKg of ['0', '0.1', '401', '72.555', '-5', 'heavy'])
      expect(await w.refused(DOCTOR, 'pharmacy/record-weight', { patientId: patient, weightKg }), weightKg).toMatchObject({
        code: 'Validation',
      });
    expect(await w.refused(PHARMACIST, 'pharmacy/record-weight', { patientId: patient, weightKg: '70' })).toMatchObject({
      code: 'Forbidden',
    });
    // A nurse records weights too, but only for patients in her care: this one is not on her ward.
    expect(await w.refused(NURSE, 'pharmacy/record-weight', { patientId: patient, weightKg: '70' })).toMatchObject({ code: 'NotFound' });
    expect(await weights()).toBe(2);
  });
});
