// Bedside administration through the one door on real PostgreSQL: the MAR's states, every scan
// mismatch (each its own stop, nothing recorded), the right dose recorded once, PRN limits, allergies,
// the controlled-drug witness, held/refused with a reason, corrections, and append-only rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispenseLabelCode, medicineCode, wristbandCode } from '../../contract/barcodes.js';
import { expectStockOnLedger } from '../pharmacy/pharmacy-world.js';
import type { DispenseResult } from '../../contract/pharmacy.js';
import type { Mar, ScanAdministration } from '../../contract/ward.js';
import { asUser } from '../support/user-context.js';
import { createMarWorld, type MarWorld } from './mar-world.js';

let w: MarWorld;
const nurse = 'mar-nurse';
const nurse2 = 'mar-nurse-2';
let patientId: number;
let otherPatientId: number;
let od: { prescriptionId: number; medicineId: number };
let tds: { prescriptionId: number; medicineId: number };
let prn: { prescriptionId: number; medicineId: number };
let cd: { prescriptionId: number; medicineId: number };
let allergic: { prescriptionId: number; medicineId: number };
let notOnChart: number;

beforeAll(async () => {
  w = await createMarWorld(0, 6);
  await w.harness.signIn(nurse, 'nurse@demo.clinic');
  await w.harness.signIn(nurse2, 'nurse2@demo.clinic');
  await w.harness.signIn('pharmacist', 'pharmacist@demo.clinic');
  await w.harness.signIn('admin', 'admin@demo.clinic');
  patientId = await w.newPatient('Round');
  otherPatientId = await w.newPatient('Neighbour');
  await w.value(nurse, 'ward/admit-patient', { patientId, roomId: w.rooms['WA-02']!, bedNumber: 1, notes: 'Community-acquired pneumonia' });
  await w.value(nurse, 'ward/admit-patient', { patientId: otherPatientId, roomId: w.rooms['WA-02']!, bedNumber: 2 });
  const arrange = async (m: { medicine_id: number }, frequency: Parameters<MarWorld['order']>[2]) => ({
    prescriptionId: await w.order(patientId, m.medicine_id, frequency),
    medicineId: m.medicine_id,
  });
  od = await arrange(await w.plainMedicine(), { code: 'OD' });
  tds = await arrange(await w.plainMedicine(), { code: 'TDS' });
  prn = await arrange(await w.plainMedicine(), { code: 'PRN', minIntervalHours: 4, maxPer24h: 2 });
  cd = await arrange(await w.controlledMedicine(), { code: 'BD' });
  const allergen = await w.plainMedicine();
  allergic = await arrange(allergen, { code: 'OD' });
  await w.allergy(patientId, allergen.generic_name);
  notOnChart = (await w.plainMedicine()).medicine_id;
});
afterAll(async () => {
  await expectStockOnLedger(w.database); // this file dispenses the labels it scans
  await w.database.drop();
});

const band = () => wristbandCode(patientId);
const scan = (medicineScan: string, extra: Record<string, unknown> = {}, sender = nurse) =>
  w.call(sender, 'ward/administer-dose', { patientId, wristbandScan: band(), medicineScan, ...extra }) as Promise<
    { ok: true; value: ScanAdministration } | { ok: false; error: { code: string; message: string } }
  >;
const stopOf = async (p: ReturnType<typeof scan>) => {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value.outcome === 'stopped' ? r.value.stop : r.value.outcome;
};

describe('the MAR', () => {
  it("lays out the ward's doses at 08:10: OD 08:00 due, yesterday's missed, TDS 14:00 scheduled, PRN allowed now", async () => {
    const mar = await w.value<Mar>(nurse, 'ward/get-mar', {});
    const chart = mar.patients.find((p) => p.patientId === patientId)!;
    expect(chart).toMatchObject({ roomNumber: 'WA-02', bedNumber: 1 });
    expect(chart.allergies[0]).toContain('anaphylaxis');
    const line = (id: number) => chart.orders.find((o) => o.prescriptionId === id)!;
    const stateAt = (id: number, day: number, hour: number) =>
      line(id).doses.find((d) => d.scheduledFor === w.local(day, hour).toISOString())?.state;
    expect(stateAt(od.prescriptionId, 0, 8)).toBe('due');
    expect(stateAt(tds.prescriptionId, -1, 14)).toBe('missed');
    expect(stateAt(tds.prescriptionId, -1, 20)).toBe('missed');
    expect(stateAt(tds.prescriptionId, 0, 14)).toBe('scheduled');
    expect(line(tds.prescriptionId).frequencyText).toBe('TDS: 08:00, 14:00, 20:00');
    expect(line(prn.prescriptionId).prn).toEqual({
      minIntervalHours: 4,
      maxPer24h: 2,
      givenLast24h: 0,
      dosesLeft24h: 2,
      nextAllowedAt: null,
    });
    expect(line(cd.prescriptionId).isControlled).toBe(true);
    expect(mar).toMatchObject({ windowMinutes: 60, timeZone: w.timeZone });
  });
});

describe('scan mismatches: each its own stop, nothing recorded', () => {
  it('garbage, a wrong patient, a wrong medicine, a medicine first, a wrong time', async () => {
    const before = await w.administrations(patientId);
    expect(await stopOf(scan(medicineCode(od.medicineId), { wristbandScan: '%%garbage%%' }))).toBe('unreadable-scan');
    expect(await stopOf(scan('hello', {}))).toBe('unreadable-scan');
    expect(await stopOf(scan(medicineCode(od.medicineId), { wristbandScan: medicineCode(od.medicineId) }))).toBe('unreadable-scan');
    const wrongBand = await scan(medicineCode(od.medicineId), { wristbandScan: wristbandCode(otherPatientId) });
    expect(wrongBand).toMatchObject({ ok: true, value: { stop: 'wrong-patient', message: expect.stringContaining('WRONG PATIENT') } });
    // The scan's one read names the medicine that is not on the chart.
    const [notOnChartName] = await w.rows(`SELECT name || ' ' || strength AS name FROM medicine WHERE medicine_id = $1`, [notOnChart]);
    expect(await scan(medicineCode(notOnChart))).toMatchObject({
      ok: true,
      value: { stop: 'wrong-medicine', message: expect.stringContaining(`WRONG MEDICINE: ${notOnChartName!.name as string} is not on`) },
    });
    // The dose chosen on the chart is of another order: the stop names both medicines.
    const [odName, tdsName] = await Promise.all(
      [od, tds].map(async (o) => (await w.rows(`SELECT name FROM medicine WHERE medicine_id = $1`, [o.medicineId]))[0]!.name as string),
    );
    expect(
      await scan(medicineCode(od.medicineId), { dose: { prescriptionId: tds.prescriptionId, scheduledFor: w.local(0, 14).toISOString() } }),
    ).toMatchObject({
      ok: true,
      value: { stop: 'wrong-medicine', message: `WRONG MEDICINE: you scanned ${odName}, the dose chosen is ${tdsName}.` },
    });
    // TDS: the 08:00 dose is due — but choose 14:00, six hours early, with no reason.
    const early = scan(medicineCode(tds.medicineId), {
      dose: { prescriptionId: tds.prescriptionId, scheduledFor: w.local(0, 14).toISOString() },
    });
    expect(await stopOf(early)).toBe('wrong-time');
    expect(await stopOf(scan(medicineCode(allergic.medicineId)))).toBe('allergy');
    expect(await stopOf(scan(medicineCode(cd.medicineId)))).toBe('witness-needed');
    expect(await w.administrations(patientId)).toBe(before);
  });

  it('a chart the nurse may not see is NotFound, not a stop', async () => {
    const stranger = await w.newPatient('Stranger');
    const r = await w.call(nurse, 'ward/administer-dose', {
      patientId: stranger,
      wristbandScan: wristbandCode(stranger),
      medicineScan: medicineCode(od.medicineId),
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });
});

describe('giving', () => {
  it('the check says which dose; the right scan records it once; again is already given', async () => {
    const check = await w.value<{ outcome: string; dose: { scheduledFor: string }; needsReason: boolean }>(
      nurse,
      'ward/check-administration',
      {
        patientId,
        wristbandScan: band(),
        medicineScan: medicineCode(od.medicineId),
      },
    );
    expect(check).toMatchObject({ outcome: 'ready', needsReason: false, dose: { scheduledFor: w.local(0, 8).toISOString() } });
    const given = await scan(medicineCode(od.medicineId));
    expect(given).toMatchObject({ ok: true, value: { outcome: 'recorded', dose: { prescriptionId: od.prescriptionId } } });
    const again = await scan(medicineCode(od.medicineId).toLowerCase(), {}, nurse2);
    expect(again).toMatchObject({ ok: true, value: { stop: 'already-given', message: expect.stringContaining('Nia Nurse') } });
    expect(await w.ownerCount(`SELECT count(*) FROM medication_administrations WHERE prescription_id = $1`, [od.prescriptionId])).toBe(1);
  });

  it('outside the window with a reason is recorded with it', async () => {
    const early = {
      dose: { prescriptionId: tds.prescriptionId, scheduledFor: w.local(0, 14).toISOString() },
      outOfWindowReason: 'Going to theatre at 12:00',
    };
    expect(await stopOf(scan(medicineCode(tds.medicineId), early))).toBe('recorded');
    const [row] = await w.rows(`SELECT reason, scanned_code FROM medication_administrations WHERE prescription_id = $1`, [
      tds.prescriptionId,
    ]);
    expect(row).toEqual({ reason: 'Going to theatre at 12:00', scanned_code: medicineCode(tds.medicineId) });
  });

  it('a pharmacy label (RX…) leads to its order; the label of another patient is a wrong medicine', async () => {
    const otherOrder = await w.order(otherPatientId, tds.medicineId, { code: 'OD' });
    const dispensed = await w.value<DispenseResult>('pharmacist', 'pharmacy/dispense-order', { prescriptionId: otherOrder, quantity: 2 });
    const label = dispenseLabelCode(dispensed.lines[0]!.transactionId);
    expect(await stopOf(scan(label))).toBe('wrong-medicine');
    const r = await w.call(nurse, 'ward/administer-dose', {
      patientId: otherPatientId,
      wristbandScan: wristbandCode(otherPatientId),
      medicineScan: label,
    });
    expect(r).toMatchObject({ ok: true, value: { outcome: 'recorded', dose: { prescriptionId: otherOrder } } });
  });

  it('PRN: given now, then too soon (next allowed shown), and the 24 h maximum', async () => {
    expect(await stopOf(scan(medicineCode(prn.medicineId)))).toBe('recorded');
    const soon = await scan(medicineCode(prn.medicineId));
    expect(soon).toMatchObject({ ok: true, value: { stop: 'prn-too-soon', message: expect.stringContaining('Next allowed at 12:10') } });
    await w.travel(w.local(0, 12, 30), [nurse, nurse2]);
    expect(await stopOf(scan(medicineCode(prn.medicineId)))).toBe('recorded');
    await w.travel(w.local(0, 17, 0), [nurse, nurse2]);
    expect(await stopOf(scan(medicineCode(prn.medicineId)))).toBe('prn-limit-reached');
    await w.travel(w.local(0, 8, 10), [nurse, nurse2]);
    const mar = await w.value<Mar>(nurse, 'ward/get-mar', { patientId });
    expect(mar.patients[0]!.orders.find((o) => o.prescriptionId === prn.prescriptionId)!.doses).toHaveLength(2);
  });

  it('a controlled drug: a wrong witness password is refused, the same person is refused, a second nurse witnesses', async () => {
    const before = await w.administrations(patientId);
    const wrong = await scan(medicineCode(cd.medicineId), { witness: { email: 'nurse2@demo.clinic', password: 'not the password' } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    const self = await scan(medicineCode(cd.medicineId), { witness: { email: 'nurse@demo.clinic', password: w.database.demoPassword } });
    expect(self).toMatchObject({ ok: true, value: { stop: 'witness-refused' } });
    const doctor = await scan(medicineCode(cd.medicineId), { witness: { email: 'doctor@demo.clinic', password: w.database.demoPassword } });
    expect(doctor).toMatchObject({ ok: true, value: { stop: 'witness-refused' } });
    expect(await w.administrations(patientId)).toBe(before);
    const witnessed = await scan(medicineCode(cd.medicineId), {
      witness: { email: 'nurse2@demo.clinic', password: w.database.demoPassword },
    });
    expect(witnessed).toMatchObject({ ok: true, value: { outcome: 'recorded' } });
    const [row] = await w.rows(
      `SELECT u.email FROM medication_administrations a JOIN users u ON u.user_id = a.witnessed_by WHERE a.prescription_id = $1`,
      [cd.prescriptionId],
    );
    expect(row.email).toBe('nurse2@demo.clinic');
  });
});

describe('held, refused, not given; corrections; append-only', () => {
  it('a dose held with a reason; recording it again is a Conflict; corrected, it can be recorded again', async () => {
    const dose = { patientId, prescriptionId: tds.prescriptionId, scheduledFor: w.local(0, 20).toISOString() };
    const held = await w.value<{ administrationId: number }>(nurse, 'ward/record-dose-outcome', {
      ...dose,
      outcome: 'held',
      reason: 'Nil by mouth for theatre',
    });
    expect(await w.call(nurse2, 'ward/record-dose-outcome', { ...dose, outcome: 'refused', reason: 'Patient declined' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict' },
    });
    expect(
      await w.call(nurse, 'ward/record-dose-outcome', {
        ...dose,
        scheduledFor: w.local(0, 9).toISOString(),
        outcome: 'held',
        reason: 'Not a dose time',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    // The MAR offers "Entered in error…" only where the database takes it (056): to the recorder or an administrator.
    const heldAsSeenBy = async (sender: string) => {
      const mar = await w.value<Mar>(sender, 'ward/get-mar', { patientId });
      const order = mar.patients[0]!.orders.find((o) => o.prescriptionId === tds.prescriptionId)!;
      return order.doses.find((d) => d.administrationId === held.administrationId)!;
    };
    expect((await heldAsSeenBy(nurse)).mayMarkInError).toBe(true);
    expect((await heldAsSeenBy(nurse2)).mayMarkInError).toBe(false);
    expect((await heldAsSeenBy('admin')).mayMarkInError).toBe(true);
    expect(
      await w.call(nurse2, 'ward/mark-administration-in-error', { administrationId: held.administrationId, reason: 'Not mine to fix' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    const correction = await w.value<{ administrationId: number }>(nurse, 'ward/mark-administration-in-error', {
      administrationId: held.administrationId,
      reason: 'Charted against the wrong dose',
    });
    expect(
      await w.call(nurse2, 'ward/mark-administration-in-error', { administrationId: held.administrationId, reason: 'Twice over' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Conflict' },
    });
    const [old] = await w.rows(`SELECT entered_in_error FROM medication_administrations WHERE administration_id = $1`, [
      held.administrationId,
    ]);
    expect(old.entered_in_error).toBe(true);
    const [fix] = await w.rows(`SELECT outcome, corrects_administration_id FROM medication_administrations WHERE administration_id = $1`, [
      correction.administrationId,
    ]);
    expect(fix).toEqual({ outcome: 'entered-in-error', corrects_administration_id: held.administrationId });
    expect(await w.call(nurse2, 'ward/record-dose-outcome', { ...dose, outcome: 'refused', reason: 'Patient declined' })).toMatchObject({
      ok: true,
    });
  });

  it('an order stopped after a dose stays on the MAR with that dose, marked stopped, with nothing more due', async () => {
    const stopped = await w.order(patientId, (await w.plainMedicine()).medicine_id, { code: 'QDS' });
    await w.value(nurse, 'ward/record-dose-outcome', {
      patientId,
      prescriptionId: stopped,
      scheduledFor: w.local(0, 6).toISOString(),
      outcome: 'held',
      reason: 'Vomiting, doctor informed',
    });
    const lineOf = async () => {
      const mar = await w.value<Mar>(nurse, 'ward/get-mar', { patientId });
      return mar.patients[0]!.orders.find((o) => o.prescriptionId === stopped);
    };
    const before = await lineOf();
    expect(before!.stoppedAt).toBeNull();
    expect(before!.doses.some((d) => d.state === 'missed' || d.state === 'scheduled')).toBe(true);
    // The doctor stops it (the database stamps when).
    await w.rows(
      `UPDATE prescriptions SET status = 'Cancelled', cancelled_reason = 'Changed to intravenous',
              cancelled_by = (SELECT user_id FROM users WHERE email = 'doctor@demo.clinic')
       WHERE prescription_id = $1`,
      [stopped],
    );
    const after = await lineOf();
    expect(after!.stoppedAt).not.toBeNull();
    expect(after!.doses.map((d) => `${d.state} ${d.reason}`)).toEqual(['held Vomiting, doctor informed']);
    expect(after!.prn).toBeNull();
    // Its medicine scanned at the bedside: the stop says it was stopped, and nothing is recorded.
    const count = await w.administrations(patientId);
    const [{ medicine_id: medicineId }] = await w.rows(`SELECT medicine_id FROM prescriptions WHERE prescription_id = $1`, [stopped]);
    const scanned = await scan(medicineCode(medicineId));
    expect(scanned).toMatchObject({
      ok: true,
      value: { stop: 'wrong-medicine', message: expect.stringMatching(/^STOPPED: .* was stopped at \d\d:\d\d/) },
    });
    expect(await w.administrations(patientId)).toBe(count);
    // A wrong entry on a stopped order can still be corrected: here by an administrator, who did not record it.
    const held = after!.doses[0]!;
    expect(held.mayMarkInError).toBe(true);
    await w.value('admin', 'ward/mark-administration-in-error', {
      administrationId: held.administrationId,
      reason: 'Charted on the wrong patient',
    });
    expect((await lineOf())!.doses).toEqual([]);
  });

  it('the app role cannot update, delete or truncate administrations, nor write one for someone else', async () => {
    const [row] = await w.rows(`SELECT administration_id FROM medication_administrations WHERE patient_id = $1 LIMIT 1`, [patientId]);
    const attempt = (query: string, params: unknown[] = []) =>
      asUser(w.database.appPool, 'nurse@demo.clinic', (c) => c.query(query, params)).then(
        () => 'done',
        (e: Error) => e.message,
      );
    expect(
      await attempt(`UPDATE medication_administrations SET reason = 'changed' WHERE administration_id = $1`, [row.administration_id]),
    ).toContain('permission denied');
    expect(await attempt(`DELETE FROM medication_administrations WHERE administration_id = $1`, [row.administration_id])).toContain(
      'permission denied',
    );
    expect(await attempt(`TRUNCATE medication_administrations`)).toContain('permission denied');
    expect(
      await attempt(
        `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, recorded_by)
         SELECT $1, $2, now(), 'given', user_id FROM users WHERE email = 'nurse2@demo.clinic'`,
        [od.prescriptionId, patientId],
      ),
    ).toContain('row-level security');
  });
});
