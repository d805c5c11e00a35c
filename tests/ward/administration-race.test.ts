// Twenty nurses scanning the same dose at once: it is recorded once. Through the one door (the
// others are told "already given" / "too soon"), and straight at the database as the app role (the
// partial unique index and the PRN advisory lock decide, whatever the app code does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { medicineCode, wristbandCode } from '../../contract/barcodes.js';
import type { ScanAdministration } from '../../contract/ward.js';
import { asUser } from '../support/user-context.js';
import { createMarWorld, type MarWorld } from './mar-world.js';

const NURSES = 20;
let w: MarWorld;
let patientId: number;
const senders = Array.from({ length: NURSES }, (_, i) => `race-nurse-${i}`);

beforeAll(async () => {
  w = await createMarWorld(NURSES, NURSES + 4);
  for (const [i, sender] of senders.entries()) await w.harness.signIn(sender, w.nurses[i]!);
  patientId = await w.newPatient('Raced');
  await w.value(senders[0]!, 'ward/admit-patient', { patientId, roomId: w.rooms['WA-03']!, bedNumber: 1 });
}, 120_000);
afterAll(() => w.database.drop());

const tally = (results: Awaited<ReturnType<MarWorld['call']>>[]) => {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok
      ? (r.value as ScanAdministration).outcome === 'stopped'
        ? (r.value as { stop: string }).stop
        : 'recorded'
      : `error:${r.error.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

describe(`${NURSES} nurses scan the same dose at once`, () => {
  it('a scheduled dose: recorded once, every other nurse told it is already given', async () => {
    const medicine = await w.plainMedicine();
    const prescriptionId = await w.order(patientId, medicine.medicine_id, { code: 'BD' });
    const input = { patientId, wristbandScan: wristbandCode(patientId), medicineScan: medicineCode(medicine.medicine_id) };
    const counts = tally(await Promise.all(senders.map((s) => w.call(s, 'ward/administer-dose', input))));
    const rows = await w.ownerCount(`SELECT count(*) FROM medication_administrations WHERE prescription_id = $1`, [prescriptionId]);
    console.log(`scheduled dose, ${NURSES} nurses at once:`, counts, `rows stored: ${rows}`);
    expect(counts).toEqual({ recorded: 1, 'already-given': NURSES - 1 });
    expect(rows).toBe(1);
  });

  it('a PRN dose: given once, every other nurse told it is too soon', async () => {
    const medicine = await w.plainMedicine();
    const prescriptionId = await w.order(patientId, medicine.medicine_id, { code: 'PRN', minIntervalHours: 4, maxPer24h: 4 });
    const input = { patientId, wristbandScan: wristbandCode(patientId), medicineScan: medicineCode(medicine.medicine_id) };
    const counts = tally(await Promise.all(senders.map((s) => w.call(s, 'ward/administer-dose', input))));
    const rows = await w.ownerCount(`SELECT count(*) FROM medication_administrations WHERE prescription_id = $1`, [prescriptionId]);
    console.log(`PRN dose, ${NURSES} nurses at once:`, counts, `rows stored: ${rows}`);
    expect(counts).toEqual({ recorded: 1, 'prn-too-soon': NURSES - 1 });
    expect(rows).toBe(1);
  });
});

describe(`${NURSES} plain INSERTs at once as the app role, past the app's checks`, () => {
  const insertAll = (prescriptionId: number, scheduledFor: (i: number) => Date) =>
    Promise.all(
      w.nurses.map((email, i) =>
        asUser(
          w.database.appPool,
          email,
          (c) =>
            c.query(
              `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, recorded_by)
               VALUES ($1, $2, $3, 'given', app_current_user_id())`,
              [prescriptionId, patientId, scheduledFor(i)],
            ),
          true,
        ).then(
          () => 'stored',
          (e: { code?: string }) => `refused ${e.code}`,
        ),
      ),
    );
  const count = (list: string[]) => list.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});

  it('the same scheduled dose: one row, the rest refused by the unique index (23505)', async () => {
    const medicine = await w.plainMedicine();
    const prescriptionId = await w.order(patientId, medicine.medicine_id, { code: 'OD' });
    const counts = count(await insertAll(prescriptionId, () => w.local(0, 8)));
    console.log(`raw INSERT of one dose × ${NURSES}:`, counts);
    expect(counts).toEqual({ stored: 1, 'refused 23505': NURSES - 1 });
  });

  it('PRN doses a minute apart: one row, the rest refused by the advisory-locked guard (MAR02)', async () => {
    const medicine = await w.plainMedicine();
    const prescriptionId = await w.order(patientId, medicine.medicine_id, { code: 'PRN', minIntervalHours: 2, maxPer24h: 6 });
    const counts = count(await insertAll(prescriptionId, (i) => new Date(w.now().getTime() - i * 60_000)));
    console.log(`raw INSERT of PRN doses a minute apart × ${NURSES}:`, counts);
    expect(counts).toEqual({ stored: 1, 'refused MAR02': NURSES - 1 });
  });
});
