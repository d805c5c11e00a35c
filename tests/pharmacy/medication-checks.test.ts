// The one rule set, on its own: each check firing and not firing.
import { describe, expect, it } from 'vitest';
import { doseInUnit, dosesPerDay, runMedicationChecks, type CheckedOrder } from '../../main/pharmacy/medication-checks.js';
import { lineAmount } from '../../main/pharmacy/dispensing-service.js';
import { courseEndDate, planFirstExpiryFirstOut } from '../../main/pharmacy/stock-rules.js';

const amoxicillin: CheckedOrder = {
  medicine: { name: 'Amoxicillin', genericName: 'amoxicillin', drugClass: 'penicillin', maxDailyDose: '3000', doseUnit: 'mg' },
  doseAmount: '500',
  doseUnit: 'mg',
  frequency: { code: 'TDS' },
};
const none = { allergies: [], otherOrders: [], interactions: [] };
const kinds = (order: CheckedOrder, context: Parameters<typeof runMedicationChecks>[1]) =>
  runMedicationChecks(order, context).map((c) => c.kind);

describe('medication checks', () => {
  it('fire nothing for a clean order', () => {
    expect(runMedicationChecks(amoxicillin, none)).toEqual([]);
  });
  it('allergy by generic name, and by drug class; not for another generic or class', () => {
    const allergy = (substance: string, matchKind: 'generic' | 'class') => ({ substance, matchKind, severity: 'severe', reaction: 'rash' });
    expect(kinds(amoxicillin, { ...none, allergies: [allergy('amoxicillin', 'generic')] })).toEqual(['allergy']);
    expect(kinds(amoxicillin, { ...none, allergies: [allergy('penicillin', 'class')] })).toEqual(['allergy']);
    expect(kinds(amoxicillin, { ...none, allergies: [allergy('penicillin', 'generic'), allergy('amoxicillin', 'class')] })).toEqual([]);
    expect(kinds(amoxicillin, { ...none, allergies: [allergy('sulfonamide', 'class')] })).toEqual([]);
  });
  it('duplicate therapy for the same generic only', () => {
    const other = (genericName: string) => ({ prescriptionId: 7, medicineName: 'X', genericName });
    expect(kinds(amoxicillin, { ...none, otherOrders: [other('amoxicillin')] })).toEqual(['duplicate']);
    expect(kinds(amoxicillin, { ...none, otherOrders: [other('flucloxacillin')] })).toEqual([]);
  });
  it('interaction only when the partner is among the other orders', () => {
    const warfarin = { ...amoxicillin, medicine: { ...amoxicillin.medicine, name: 'Warfarin', genericName: 'warfarin', drugClass: null } };
    const pair = { genericA: 'aspirin', genericB: 'warfarin', severity: 'major', advice: 'Bleeding risk.' };
    const aspirin = { prescriptionId: 3, medicineName: 'Aspirin', genericName: 'aspirin' };
    expect(runMedicationChecks(warfarin, { ...none, interactions: [pair], otherOrders: [aspirin] })).toEqual([
      { kind: 'interaction', severity: 'major', message: 'Interaction warfarin + aspirin (major): Bleeding risk.' },
    ]);
    expect(kinds(warfarin, { ...none, interactions: [pair], otherOrders: [] })).toEqual([]);
  });
  it('maximum daily dose: dose × doses a day, across units; at the maximum is fine', () => {
    expect(kinds({ ...amoxicillin, doseAmount: '1000', frequency: { code: 'TDS' } }, none)).toEqual([]); // 3000 mg
    expect(kinds({ ...amoxicillin, doseAmount: '1000', frequency: { code: 'QDS' } }, none)).toEqual(['max-dose']); // 4000 mg
    expect(kinds({ ...amoxicillin, doseAmount: '1', doseUnit: 'g', frequency: { code: 'QDS' } }, none)).toEqual(['max-dose']);
    expect(kinds({ ...amoxicillin, doseAmount: '500', frequency: { code: 'QxH', intervalHours: 4 } }, none)).toEqual([]); // 6 × 500
    expect(kinds({ ...amoxicillin, doseAmount: '500', frequency: { code: 'PRN', minIntervalHours: 2, maxPer24h: 8 } }, none)).toEqual([
      'max-dose',
    ]);
    expect(kinds({ ...amoxicillin, medicine: { ...amoxicillin.medicine, maxDailyDose: null }, doseAmount: '9000' }, none)).toEqual([]);
  });
  it('counts doses a day and converts units', () => {
    expect(
      [{ code: 'OD' }, { code: 'BD' }, { code: 'TDS' }, { code: 'QDS' }, { code: 'STAT' }].map((f) => dosesPerDay(f as never)),
    ).toEqual([1, 2, 3, 4, 1]);
    expect(dosesPerDay({ code: 'QxH', intervalHours: 5 })).toBe(5);
    expect(doseInUnit('1.5', 'g', 'mg')).toBe(1500);
    expect(doseInUnit('5', 'ml', 'mg')).toBeNull();
  });
});

describe('stock rules', () => {
  const lot = (lotId: number, expiryDate: string, quantityOnHand: number) => ({
    lotId,
    medicineId: 1,
    lotNumber: `L${lotId}`,
    expiryDate,
    quantityOnHand,
  });
  it('takes first expiry first, skips expired and empty lots, and says what it cannot cover', () => {
    const lots = [lot(1, '2031-01-01', 5), lot(2, '2030-06-01', 3), lot(3, '2020-01-01', 50), lot(4, '2030-01-01', 0)];
    const plan = planFirstExpiryFirstOut(lots, 6, '2029-01-01');
    expect(plan.takes.map((t) => [t.lot.lotId, t.quantity])).toEqual([
      [2, 3],
      [1, 3],
    ]);
    expect(planFirstExpiryFirstOut(lots, 10, '2029-01-01').short).toBe(2);
  });
  it('ends a course after its duration, or when the quantity runs out', () => {
    expect(courseEndDate('2030-01-30', 5, 100, { code: 'OD' })).toBe('2030-02-03');
    expect(courseEndDate('2030-01-01', null, 28, { code: 'BD' })).toBe('2030-01-14');
  });
});

describe('bill lines', () => {
  it('multiply in whole cents', () => {
    expect([lineAmount('0.10', 3), lineAmount('1.25', 10), lineAmount('12', 7), lineAmount('0.07', 1)]).toEqual([
      '0.30',
      '12.50',
      '84.00',
      '0.07',
    ]);
  });
});
