// The prescriber's side through the one door on real PostgreSQL: the orders a pharmacist queried
// back, cancelling with a reason (stamped by the database; a cancelled order cannot be dispensed), and
// a patient's weight shown with their orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderInput } from '../../contract/pharmacy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';
import { createPharmacyWorld, DOCTOR, expectStockOnLedger, NURSE, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  w = await createPharmacyWorld(database);
});
afterAll(async () => {
  await expectStockOnLedger(database); // this file dispenses
  await database.drop();
});

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

  it("lists a patient's open orders, newest first: the prescriber's own can be changed or stopped, a colleague's not", async () => {
    const medicine = await w.newMedicine();
    const patient = await w.newPatient('OpenOrders');
    const mine = await prescribed(patient, medicine);
    // A colleague's order for the same patient (another doctor of the hospital), written as the administrator would.
    const colleagues = await w.one<number>(
      `INSERT INTO prescriptions (patient_id, doctor_id, medicine_id, dosage, quantity)
       VALUES ($1, (SELECT min(doctor_id) FROM doctors WHERE user_id IS DISTINCT FROM (SELECT user_id FROM users WHERE email = 'doctor@demo.clinic')), $2, '10 mg oral OD', 7)
       RETURNING prescription_id`,
      [patient, medicine],
    );
    const listed = await w.call(DOCTOR, 'pharmacy/list-open-orders', { patientId: patient });
    expect(listed.map((o) => [o.prescriptionId, o.changeable, o.status])).toEqual([
      [colleagues, false, 'Active'],
      [mine, true, 'Active'],
    ]);
    await w.call(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: mine, reason: 'Course no longer needed' });
    expect((await w.call(DOCTOR, 'pharmacy/list-open-orders', { patientId: patient })).map((o) => o.prescriptionId)).toEqual([colleagues]);
    expect(await w.refused(PHARMACIST, 'pharmacy/list-open-orders', { patientId: patient })).toMatchObject({ code: 'Forbidden' });
    expect(await w.refused(DOCTOR, 'pharmacy/list-open-orders', { patientId: 999_999 })).toMatchObject({ code: 'NotFound' });
  });

  it('a course dispensed in full is stopped by its prescriber with a reason (054); it then leaves the open orders and is not dispensed again', async () => {
    const medicine = await w.newMedicine();
    await w.addLot(medicine, '2099-01-01', 50);
    const patient = await w.newPatient('Running');
    // The demo doctor's order, verified (as the administrator enters it for a test), then dispensed in full.
    const order = await w.one<number>(
      `INSERT INTO prescriptions (patient_id, doctor_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity, duration_days, status)
       SELECT $1, d.doctor_id, $2, '10 mg OD', 10, 'mg', 'OD', 10, 10, 'Verified'
       FROM doctors d JOIN users u ON u.user_id = d.user_id WHERE u.email = 'doctor@demo.clinic' RETURNING prescription_id`,
      [patient, medicine],
    );
    await w.call(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order });
    const listed = await w.call(DOCTOR, 'pharmacy/list-open-orders', { patientId: patient });
    expect(listed.find((o) => o.prescriptionId === order)).toMatchObject({ status: 'Dispensed' });
    expect(await w.call(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: order, reason: 'Rash after the third dose' })).toMatchObject({
      status: 'Cancelled',
    });
    expect(await w.one(`SELECT status || ': ' || cancelled_reason FROM prescriptions WHERE prescription_id = $1`, [order])).toBe(
      'Cancelled: Rash after the third dose',
    );
    expect((await w.call(DOCTOR, 'pharmacy/list-open-orders', { patientId: patient })).map((o) => o.prescriptionId)).not.toContain(order);
    // Dispensed and then stopped: Completed stays closed to it, and so does stopping it twice.
    expect(await w.refused(DOCTOR, 'pharmacy/cancel-order', { prescriptionId: order, reason: 'Stop it again' })).toMatchObject({
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
    // A replacement names an order of the same patient: another patient's open order is never cancelled by it.
    const stranger = await w.newPatient('Stranger');
    const strangersOrder = await prescribed(stranger, medicine);
    const orders = await w.one<number>(`SELECT count(*)::int FROM prescriptions`);
    const crossed = {
      order: {
        patientId: patient,
        medicineId: medicine,
        doseAmount: '20',
        doseUnit: 'mg',
        route: 'oral',
        frequency: { code: 'BD' },
        quantity: 14,
        replacesPrescriptionId: strangersOrder,
      },
    };
    const refusal = { code: 'Validation', message: expect.stringContaining("another patient's") };
    expect(await w.refused(DOCTOR, 'pharmacy/check-order', crossed.order)).toMatchObject(refusal);
    expect(await w.refused(DOCTOR, 'pharmacy/prescribe-medicine', crossed)).toMatchObject(refusal);
    expect(await w.one(`SELECT status FROM prescriptions WHERE prescription_id = $1`, [strangersOrder])).toBe('Active');
    expect(await w.one<number>(`SELECT count(*)::int FROM prescriptions`)).toBe(orders);
    // The database refuses it for any client (052), the administrator's direct insert included.
    await expect(
      asUser(database.appPool, 'admin@demo.clinic', (client) =>
        client.query(
          `INSERT INTO prescriptions (patient_id, medicine_id, dosage, quantity, replaces_prescription_id) VALUES ($1, $2, '20 mg oral BD', 14, $3)`,
          [patient, medicine, strangersOrder],
        ),
      ),
    ).rejects.toMatchObject({ code: 'PH005' });
    // A direct edit of the cancellation columns is refused by the database, whoever asks.
    await expect(
      database.ownerPool.query(`UPDATE prescriptions SET cancelled_reason = 'rewritten' WHERE prescription_id = $1`, [old]),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe('an order something has happened to', () => {
  /** One statement as the app's login in the demo administrator's context, committed: rows changed, or the SQLSTATE. */
  const asAs = (email: string) => (text: string, params: unknown[]) =>
    asUser(database.appPool, email, (client) => client.query(text, params), true).then(
      (result) => result.rowCount ?? 0,
      (error: { code: string }) => error.code,
    );
  const asAdministrator = asAs('admin@demo.clinic');
  const orderOf = (id: number) =>
    w.one<string>(`SELECT patient_id || '/' || medicine_id FROM prescriptions WHERE prescription_id = $1`, [id]);

  it('keeps its patient and medicine once dispensed or given, even for an administrator (049), and so does every order (050)', async () => {
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
    // Nor is anything else of it edited in place, nor an order nothing has happened to yet moved (050).
    expect(await asAdministrator(`UPDATE prescriptions SET instructions = 'With food' WHERE prescription_id = $1`, [dispensed])).toBe(
      '42501',
    );
    const fresh = await w.verifiedOrder(patient, medicine, 10);
    expect(await asAdministrator(`UPDATE prescriptions SET patient_id = $2 WHERE prescription_id = $1`, [fresh, other])).toBe('42501');
    expect(await orderOf(fresh)).toBe(`${patient}/${medicine}`);
  });

  it('is never edited in place by an administrator, nor entered already verified (050); the administrator still cancels', async () => {
    const patient = await w.newPatient('Kept');
    const medicine = await w.newMedicine();
    const verified = await w.verifiedOrder(patient, medicine, 10);
    const content = () =>
      w.one<string>(
        `SELECT concat_ws('/', dose_amount, dose_unit, route, frequency_code, quantity, dosage, status) FROM prescriptions WHERE prescription_id = $1`,
        [verified],
      );
    const before = await content();
    // The attack: a verified order's dose, frequency or quantity changed under the pharmacist's verification.
    for (const change of [`dose_amount = 100`, `frequency_code = 'QDS'`, `quantity = 500`, `dosage = '10 tablets'`, `route = 'iv'`])
      expect(await asAdministrator(`UPDATE prescriptions SET ${change} WHERE prescription_id = $1`, [verified])).toBe('42501');
    expect(await content()).toBe(before);
    // Nor a new order that skips verification, naming a pharmacist as its verifier.
    const pharmacistId = await w.one<string>(`SELECT user_id::text FROM users WHERE email = 'pharmacist@demo.clinic'`);
    const forged = `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity, status, verified_by, verified_at)
                    VALUES ($1, $2, '10 mg OD', 10, 'mg', 'OD', 7, 'Verified', $3, now())`;
    expect(await asAdministrator(forged, [patient, medicine, pharmacistId])).toBe('42501');
    expect(await w.one<number>(`SELECT count(*)::int FROM prescriptions WHERE patient_id = $1`, [patient])).toBe(1);
    // An order the administrator enters waits for a pharmacist; the administrator cancels, stamped by the database.
    const entered = `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity)
                     VALUES ($1, $2, '10 mg OD', 10, 'mg', 'OD', 7)`;
    expect(await asAdministrator(entered, [patient, medicine])).toBe(1);
    expect(
      await asAdministrator(
        `UPDATE prescriptions SET status = 'Cancelled', cancelled_reason = 'Entered for the wrong ward' WHERE prescription_id = $1`,
        [verified],
      ),
    ).toBe(1);
    expect(
      await w.one<string>(`SELECT status || ' by ' || (cancelled_by IS NOT NULL) FROM prescriptions WHERE prescription_id = $1`, [
        verified,
      ]),
    ).toBe('Cancelled by true');
    // The table's owner still repairs (audited).
    await database.ownerPool.query(`UPDATE prescriptions SET instructions = 'Repaired by the DBA' WHERE prescription_id = $1`, [verified]);
  });

  it('keeps who verified or queried an order as it happened, and takes no id, date or state from the app on insert (050, attacker review)', async () => {
    const patient = await w.newPatient('Stamped');
    const medicine = await w.newMedicine();
    const userId = (email: string) => w.one<string>(`SELECT user_id::text FROM users WHERE email = $1`, [email]);
    const [nurseId, pharmacistId] = [await userId('nurse@demo.clinic'), await userId('pharmacist@demo.clinic')];
    // The review's attack: delete an order and insert it again under its own id (or backdated) with new content.
    const reinsert = `INSERT INTO prescriptions (prescription_id, patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity)
                      VALUES ($1, $2, $3, '10 tablets QDS', 100, 'mg', 'QDS', 500)`;
    expect(await asAdministrator(reinsert, [2_000_000_001, patient, medicine])).toBe('42501');
    const backdated = `INSERT INTO prescriptions (patient_id, medicine_id, dosage, quantity, prescribed_at) VALUES ($1, $2, '1 tablet', 7, now() - interval '3 days')`;
    expect(await asAdministrator(backdated, [patient, medicine])).toBe('42501');
    expect(
      await asAs('doctor@demo.clinic')(
        `INSERT INTO prescriptions (patient_id, medicine_id, dosage, quantity, queried_reason) VALUES ($1, $2, '1 tablet', 7, 'Checked, fine')`,
        [patient, medicine],
      ),
    ).toBe('42501');

    // Verified by the pharmacist through the door: nobody rewrites or erases that afterwards.
    const verified = await prescribed(patient, medicine);
    await w.call(PHARMACIST, 'pharmacy/verify-order', { prescriptionId: verified, overrides: [] });
    const stamp = (id: number) =>
      w.one<string>(
        `SELECT concat_ws('/', verified_by, verified_at, queried_by, queried_reason) FROM prescriptions WHERE prescription_id = $1`,
        [id],
      );
    const verifiedStamp = await stamp(verified);
    expect(verifiedStamp.startsWith(pharmacistId)).toBe(true);
    for (const [email, change] of [
      ['admin@demo.clinic', `verified_by = '${nurseId}'`],
      ['admin@demo.clinic', `verified_at = now() - interval '2 hours'`],
      ['pharmacist@demo.clinic', `verified_by = NULL, verified_at = NULL`],
      ['doctor@demo.clinic', `verified_by = '${nurseId}'`],
    ] as const)
      expect(await asAs(email)(`UPDATE prescriptions SET ${change} WHERE prescription_id = $1`, [verified])).toBe('42501');
    expect(await stamp(verified)).toBe(verifiedStamp);
    // Nor deleted to be written again: an order is cancelled, never deleted.
    expect(await asAdministrator(`DELETE FROM prescriptions WHERE prescription_id = $1`, [verified])).toBe('42501');

    // Queried back with a reason: the prescriber cannot rewrite the pharmacist's reason (nor name another querier).
    const queried = await prescribed(patient, await w.newMedicine());
    await w.call(PHARMACIST, 'pharmacy/query-order', { prescriptionId: queried, reason: 'Dose too high for this weight' });
    const queriedStamp = await stamp(queried);
    expect(
      await asAs('doctor@demo.clinic')(`UPDATE prescriptions SET queried_reason = 'All fine' WHERE prescription_id = $1`, [queried]),
    ).toBe('42501');
    expect(await asAs('admin@demo.clinic')(`UPDATE prescriptions SET queried_by = $2 WHERE prescription_id = $1`, [queried, nurseId])).toBe(
      '42501',
    );
    expect(await stamp(queried)).toBe(queriedStamp);
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
