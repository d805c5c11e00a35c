// Prescribing and verification through the one door on real PostgreSQL: every check firing and not
// firing, overrides stored and audited, the verification queue's order, and bad input refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, CheckKind } from '../../contract/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createPharmacyWorld, DESK, DOCTOR, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;
let med: Record<'amoxicillin' | 'warfarin' | 'aspirin' | 'paracetamol', number>;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  w = await createPharmacyWorld(database);
  const id = (name: string) => w.one<number>(`SELECT medicine_id FROM medicine WHERE name = $1`, [name]);
  med = {
    amoxicillin: await id('Amoxicillin'),
    warfarin: await id('Warfarin'),
    aspirin: await id('Aspirin'),
    paracetamol: await id('Paracetamol'),
  };
});
afterAll(() => database.drop());

const order = (
  patientId: number,
  medicineId: number,
  extra: Partial<ChannelInput<'pharmacy/check-order'>> = {},
): ChannelInput<'pharmacy/check-order'> => ({
  patientId,
  medicineId,
  doseAmount: '500',
  doseUnit: 'mg',
  route: 'oral',
  frequency: { code: 'TDS' },
  quantity: 15,
  ...extra,
});
const prescribe = (o: ChannelInput<'pharmacy/check-order'>, overrides: { kind: CheckKind; reason: string }[] = []) =>
  w.call(DOCTOR, 'pharmacy/prescribe-medicine', { order: o, overrides });
const rowCount = (table: string) => w.one<number>(`SELECT count(*)::int FROM ${table}`);

describe('the formulary', () => {
  it('finds medicines by brand, generic and strength, with usable stock; typed wildcards match nothing special', async () => {
    const found = await w.call(DOCTOR, 'pharmacy/search-medicines', { query: 'amoxicillin 500' });
    expect(found.map((m) => `${m.name} ${m.strength} ${m.form}`)).toContain('Amoxicillin 500 mg capsule');
    expect(found.find((m) => m.name === 'Amoxicillin')).toMatchObject({
      genericName: 'amoxicillin',
      drugClass: 'penicillin',
      maxDailyDose: '3000.000',
    });
    expect((await w.call(DOCTOR, 'pharmacy/search-medicines', { query: 'acetaminophen' })).length).toBeGreaterThan(1);
    expect(await w.call(PHARMACIST, 'pharmacy/search-medicines', { query: '_' })).toEqual([]);
    expect(await w.one<number>(`SELECT count(*)::int FROM medicine`)).toBeGreaterThanOrEqual(300);
  });
});

describe('medication checks at prescribing', () => {
  it('a clean order is written as Active (waiting for verification), with no check', async () => {
    const patient = await w.newPatient();
    const result = await prescribe(order(patient, med.amoxicillin));
    expect(result).toMatchObject({ outcome: 'done', status: 'Active', checks: [] });
  });

  it('allergy by generic name fires; without a reason nothing is written; with one the override is stored and audited', async () => {
    const patient = await w.newPatient();
    await w.call(DOCTOR, 'pharmacy/record-allergy', {
      patientId: patient,
      substance: 'Amoxicillin',
      matchKind: 'generic',
      severity: 'severe',
      reaction: 'hives',
    });
    const before = await rowCount('prescriptions');
    const blocked = await prescribe(order(patient, med.amoxicillin));
    expect(blocked).toMatchObject({ outcome: 'checks-need-override', checks: [{ kind: 'allergy', severity: 'severe' }] });
    expect(blocked.checks[0]!.message).toContain('allergic to amoxicillin (hives)');
    expect(await rowCount('prescriptions')).toBe(before);

    const done = await prescribe(order(patient, med.amoxicillin), [
      { kind: 'allergy', reason: 'Tolerated amoxicillin in 2024, rash only' },
    ]);
    expect(done).toMatchObject({ outcome: 'done', checks: [{ kind: 'allergy' }] });
    if (done.outcome !== 'done') throw new Error('not prescribed');
    const stored = await database.ownerPool.query(
      `SELECT stage, check_kind, reason, overridden_by FROM medication_check_overrides WHERE prescription_id = $1`,
      [done.prescriptionId],
    );
    expect(stored.rows).toEqual([
      {
        stage: 'prescribing',
        check_kind: 'allergy',
        reason: 'Tolerated amoxicillin in 2024, rash only',
        overridden_by: expect.any(String),
      },
    ]);
    const audited = await database.ownerPool.query(
      `SELECT new_values->>'reason' AS reason FROM audit_log WHERE table_name = 'medication_check_overrides' AND operation = 'INSERT'
       AND (new_values->>'prescription_id')::int = $1`,
      [done.prescriptionId],
    );
    expect(audited.rows).toEqual([{ reason: 'Tolerated amoxicillin in 2024, rash only' }]);
  });

  it('allergy by drug class fires for a penicillin, not for a medicine of another class', async () => {
    const patient = await w.newPatient();
    await w.call(DOCTOR, 'pharmacy/record-allergy', {
      patientId: patient,
      substance: 'penicillin',
      matchKind: 'class',
      severity: 'life-threatening',
    });
    expect(await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.amoxicillin))).toMatchObject([{ kind: 'allergy' }]);
    expect(await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.paracetamol))).toEqual([]);
  });

  it('duplicate therapy fires for the same generic, and not for the order being replaced', async () => {
    const patient = await w.newPatient();
    const first = await prescribe(order(patient, med.paracetamol));
    if (first.outcome !== 'done') throw new Error('not prescribed');
    expect(await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.paracetamol))).toMatchObject([{ kind: 'duplicate' }]);
    const change = await prescribe(order(patient, med.paracetamol, { doseAmount: '1000', replacesPrescriptionId: first.prescriptionId }));
    expect(change).toMatchObject({ outcome: 'done', checks: [] });
    expect(await w.one(`SELECT status FROM prescriptions WHERE prescription_id = $1`, [first.prescriptionId])).toBe('Cancelled');
  });

  it('an interaction fires only when the partner is ordered (warfarin + aspirin)', async () => {
    const patient = await w.newPatient();
    const warfarin = order(patient, med.warfarin, { doseAmount: '5', frequency: { code: 'OD' } });
    expect(await w.call(DOCTOR, 'pharmacy/check-order', warfarin)).toEqual([]);
    await prescribe(order(patient, med.aspirin, { doseAmount: '75', frequency: { code: 'OD' } }));
    expect(await w.call(DOCTOR, 'pharmacy/check-order', warfarin)).toMatchObject([{ kind: 'interaction', severity: 'major' }]);
  });

  it('duplicate and interaction fire against orders a doctor of another department wrote (037: the whole list, not colleagues only)', async () => {
    const patient = await w.newPatient();
    const otherDoctor = await w.one<number>(
      `SELECT doctor_id FROM doctors WHERE department_id <> (SELECT department_id FROM patients WHERE patient_id = $1) ORDER BY doctor_id LIMIT 1`,
      [patient],
    );
    const othersOrder = (medicineId: number) =>
      w.one<number>(
        `INSERT INTO prescriptions (patient_id, doctor_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity)
         SELECT $1, $2, $3, '1 OD', 1, dose_unit, 'OD', 10 FROM medicine WHERE medicine_id = $3 RETURNING prescription_id`,
        [patient, otherDoctor, medicineId],
      );
    await othersOrder(med.aspirin);
    await othersOrder(med.paracetamol);
    expect(await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.paracetamol))).toMatchObject([{ kind: 'duplicate' }]);
    const warfarin = order(patient, med.warfarin, { doseAmount: '5', frequency: { code: 'OD' } });
    expect(await w.call(DOCTOR, 'pharmacy/check-order', warfarin)).toMatchObject([{ kind: 'interaction', severity: 'major' }]);
  });

  it("the pharmacist's verification sees a long course dispensed over 90 days ago, as the prescriber does (053)", async () => {
    const patient = await w.newPatient();
    // Warfarin for 180 days, dispensed 100 days ago: still being taken.
    await w.one<number>(
      `INSERT INTO prescriptions (patient_id, doctor_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity, duration_days,
                                  status, prescribed_at)
       SELECT $1, (SELECT min(doctor_id) FROM doctors), $2, '5 mg OD', 5, 'mg', 'OD', 180, 180, 'Dispensed', now() - interval '100 days'
       RETURNING prescription_id`,
      [patient, med.warfarin],
    );
    const aspirin = order(patient, med.aspirin, { doseAmount: '75', frequency: { code: 'OD' } });
    expect(await w.call(DOCTOR, 'pharmacy/check-order', aspirin)).toMatchObject([{ kind: 'interaction', severity: 'major' }]);
    const written = await prescribe(aspirin, [{ kind: 'interaction', reason: 'INR monitored weekly by the anticoagulation clinic' }]);
    if (written.outcome !== 'done') throw new Error('not prescribed');
    const detail = await w.call(PHARMACIST, 'pharmacy/get-order', { prescriptionId: written.prescriptionId });
    expect(detail.checks).toMatchObject([{ kind: 'interaction', severity: 'major' }]);
    expect(detail.otherActiveMedicines.map((m) => m.medicineName)).toContain('Warfarin');
    // Verifying without a reason of the pharmacist's own is not possible.
    expect(await w.call(PHARMACIST, 'pharmacy/verify-order', { prescriptionId: written.prescriptionId, overrides: [] })).toMatchObject({
      outcome: 'checks-need-override',
    });
  });

  it('maximum daily dose fires above the stated maximum, not at it', async () => {
    const patient = await w.newPatient();
    expect(
      await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.paracetamol, { doseAmount: '1000', frequency: { code: 'QDS' } })),
    ).toEqual([]);
    const over = await w.call(
      DOCTOR,
      'pharmacy/check-order',
      order(patient, med.paracetamol, { doseAmount: '1', doseUnit: 'g', frequency: { code: 'QxH', intervalHours: 4 } }),
    );
    expect(over).toMatchObject([{ kind: 'max-dose' }]);
    expect(over[0]!.message).toContain('6000 mg a day is above the maximum of 4000 mg');
  });
});

describe('allergies', () => {
  it('say when the checks cannot match what was recorded: a class typed as a generic name, a misspelling, latex', async () => {
    const patient = await w.newPatient();
    await w.newMedicine({ generic: 'zolpicillin', drugClass: 'zolpicillins' });
    const record = (substance: string, matchKind: 'generic' | 'class') =>
      w.call(DOCTOR, 'pharmacy/record-allergy', { patientId: patient, substance, matchKind, severity: 'moderate' });
    expect(await record('Zolpicillin', 'generic')).toMatchObject({ matchesFormulary: true, matchesAsOtherKind: false });
    expect(await record('zolpicillins', 'class')).toMatchObject({ matchesFormulary: true, matchesAsOtherKind: false });
    expect(await record('zolpicillins', 'generic')).toMatchObject({ matchesFormulary: false, matchesAsOtherKind: true });
    expect(await record('zolpicilin', 'generic')).toMatchObject({ matchesFormulary: false, matchesAsOtherKind: false });
    expect(await record('latex', 'generic')).toMatchObject({ substance: 'latex', matchesFormulary: false, matchesAsOtherKind: false });
  });

  it('are marked entered-in-error with a reason, never deleted; the checks then ignore them; a second mark is a Conflict', async () => {
    const patient = await w.newPatient();
    const allergy = await w.call(DOCTOR, 'pharmacy/record-allergy', {
      patientId: patient,
      substance: 'amoxicillin',
      matchKind: 'generic',
      severity: 'mild',
    });
    expect(await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.amoxicillin))).toMatchObject([{ kind: 'allergy' }]);
    // No reason, nothing marked: the app refuses it, and so does the database for any client (055).
    expect(await w.refused(DOCTOR, 'pharmacy/mark-allergy-in-error', { allergyId: allergy.allergyId, reason: '' })).toMatchObject({
      code: 'Validation',
    });
    await expect(
      w.one(
        `UPDATE patient_allergies SET entered_in_error = true, entered_in_error_by = app_current_user_id(), entered_in_error_at = now()
         WHERE allergy_id = $1 RETURNING allergy_id`,
        [allergy.allergyId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    expect(
      await w.call(DOCTOR, 'pharmacy/mark-allergy-in-error', { allergyId: allergy.allergyId, reason: 'Recorded on the wrong patient' }),
    ).toEqual({ allergyId: allergy.allergyId });
    expect(await w.call(DOCTOR, 'pharmacy/list-allergies', { patientId: patient })).toEqual([]);
    expect(await w.call(DOCTOR, 'pharmacy/check-order', order(patient, med.amoxicillin))).toEqual([]);
    const again = { reason: 'Marked a second time' };
    expect(await w.refused(DOCTOR, 'pharmacy/mark-allergy-in-error', { allergyId: allergy.allergyId, ...again })).toMatchObject({
      code: 'Conflict',
    });
    expect(await w.refused(DOCTOR, 'pharmacy/mark-allergy-in-error', { allergyId: 999_999, ...again })).toMatchObject({ code: 'NotFound' });
    expect(
      await w.one(
        `SELECT entered_in_error_by IS NOT NULL AND entered_in_error_reason = 'Recorded on the wrong patient' FROM patient_allergies WHERE allergy_id = $1`,
        [allergy.allergyId],
      ),
    ).toBe(true);
  });
});

describe('verification', () => {
  it('the queue puts STAT first, then urgent, then oldest; verify re-runs the checks and needs a reason for each', async () => {
    const patient = await w.newPatient();
    const written: Record<string, number> = {};
    for (const urgency of ['routine', 'urgent', 'STAT'] as const) {
      const r = await prescribe(
        order(patient, [med.paracetamol, med.amoxicillin, med.aspirin][['routine', 'urgent', 'STAT'].indexOf(urgency)]!, {
          urgency,
          doseAmount: '75',
          frequency: { code: 'OD' },
        }),
      );
      if (r.outcome !== 'done') throw new Error('not prescribed');
      written[urgency] = r.prescriptionId;
    }
    const queue = await w.call(PHARMACIST, 'pharmacy/get-verification-queue', {});
    const positions = ['STAT', 'urgent', 'routine'].map((u) => queue.findIndex((q) => q.prescriptionId === written[u]));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(queue.findIndex((q) => q.urgency !== 'STAT')).toBeGreaterThan(queue.findLastIndex((q) => q.urgency === 'STAT'));

    await w.call(PHARMACIST, 'pharmacy/record-allergy', {
      patientId: patient,
      substance: 'aspirin',
      matchKind: 'generic',
      severity: 'mild',
    });
    const blocked = await w.call(PHARMACIST, 'pharmacy/verify-order', { prescriptionId: written.STAT! });
    expect(blocked).toMatchObject({ outcome: 'checks-need-override', checks: [{ kind: 'allergy' }] });
    const verified = await w.call(PHARMACIST, 'pharmacy/verify-order', {
      prescriptionId: written.STAT!,
      overrides: [{ kind: 'allergy', reason: 'Mild GI upset only, benefit outweighs' }],
    });
    expect(verified).toMatchObject({ outcome: 'done', status: 'Verified' });
    const detail = await w.call(PHARMACIST, 'pharmacy/get-order', { prescriptionId: written.STAT! });
    expect(detail).toMatchObject({
      status: 'Verified',
      allergies: [{ substance: 'aspirin' }],
      overrides: [{ kind: 'allergy', stage: 'verification' }],
    });
    expect(detail.otherActiveMedicines.map((m) => m.prescriptionId).sort()).toEqual([written.routine, written.urgent].sort());
    expect(
      await w.one(`SELECT verified_by IS NOT NULL AND verified_at IS NOT NULL FROM prescriptions WHERE prescription_id = $1`, [
        written.STAT,
      ]),
    ).toBe(true);
  });

  it('query back stores the reason; the doctor sees it; a queried order cannot be verified', async () => {
    const patient = await w.newPatient();
    const r = await prescribe(order(patient, med.paracetamol));
    if (r.outcome !== 'done') throw new Error('not prescribed');
    expect(
      await w.call(PHARMACIST, 'pharmacy/query-order', { prescriptionId: r.prescriptionId, reason: 'Please confirm the weight' }),
    ).toEqual({
      prescriptionId: r.prescriptionId,
      status: 'Queried',
    });
    expect(await w.call(DOCTOR, 'pharmacy/get-order', { prescriptionId: r.prescriptionId })).toMatchObject({
      status: 'Queried',
      queriedReason: 'Please confirm the weight',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/verify-order', { prescriptionId: r.prescriptionId })).toMatchObject({ code: 'Conflict' });
  });
});

describe('bad input: a clear error, nothing written', () => {
  it('unknown medicine, zero or negative quantity, a dose unit that does not fit, a patient not in care, the wrong role', async () => {
    const patient = await w.newPatient();
    const before = await rowCount('prescriptions');
    expect(await w.refused(DOCTOR, 'pharmacy/prescribe-medicine', { order: order(patient, 999_999) })).toMatchObject({ code: 'NotFound' });
    for (const quantity of [0, -5])
      expect(
        await w.refused(DOCTOR, 'pharmacy/prescribe-medicine', { order: { ...order(patient, med.paracetamol), quantity } }),
      ).toMatchObject({
        code: 'Validation',
      });
    expect(
      await w.refused(DOCTOR, 'pharmacy/prescribe-medicine', { order: order(patient, med.paracetamol, { doseUnit: 'ml' }) }),
    ).toMatchObject({
      code: 'Validation',
      message: 'Give the dose of Paracetamol in mg.',
    });
    const stranger = await w.one<number>(
      `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Not', 'Mine', '1990-01-01') RETURNING patient_id`,
    );
    expect(await w.refused(DOCTOR, 'pharmacy/prescribe-medicine', { order: order(stranger, med.paracetamol) })).toMatchObject({
      code: 'NotFound',
    });
    expect(await w.refused(PHARMACIST, 'pharmacy/prescribe-medicine', { order: order(patient, med.paracetamol) })).toMatchObject({
      code: 'Forbidden',
    });
    expect(
      await w.refused(DESK, 'pharmacy/record-allergy', { patientId: patient, substance: 'latex', matchKind: 'generic', severity: 'mild' }),
    ).toMatchObject({
      code: 'Forbidden',
    });
    expect(await rowCount('prescriptions')).toBe(before);
  });
});
