// The witness of a controlled-drug movement (main/session/witness.ts), through the one door on real
// PostgreSQL: checked like a sign-in (wrong password and unknown email counted towards the lockout,
// committed even though the request fails), never the performer, a pharmacist or nurse only, audited
// as the witness — and the database refuses a controlled movement without a proper witness itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createPharmacyWorld, DESK, expectStockOnLedger, PHARMACIST, type PharmacyWorld } from './pharmacy-world.js';

let database: TestDatabase;
let w: PharmacyWorld;
let pharmacistId: string;
let nurseId: string;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 6);
  w = await createPharmacyWorld(database);
  pharmacistId = await w.userId('pharmacist@demo.clinic');
  nurseId = await w.userId('nurse@demo.clinic');
});
afterAll(async () => {
  await expectStockOnLedger(database);
  await database.drop();
});

const ledgerRows = () => w.one<number>(`SELECT count(*)::int FROM pharmacy`);
/** A controlled medicine with one lot of 50. */
async function controlledLot() {
  const medicine = await w.newMedicine({ controlled: true });
  const lot = await w.addLot(medicine, '2099-01-01', 50);
  return { medicine, ...lot };
}
const dispose = (lotId: number, witness?: { email: string; password: string }) =>
  w.harness.core.dispatch(PHARMACIST, 'pharmacy/dispose-stock', {
    lotId,
    quantity: 1,
    disposalKind: 'damaged',
    reason: 'Ampoule cracked on the shelf',
    ...(witness ? { witness } : {}),
  });
const failures = (email: string) => w.one<number>(`SELECT failed_login_count FROM users WHERE email = $1`, [email]);

describe('a witness for a controlled drug', () => {
  it('a nurse is accepted: the ledger row names her, and the audit trail has her WITNESS row naming the pharmacist', async () => {
    const lot = await controlledLot();
    const result = await w.call(PHARMACIST, 'pharmacy/dispose-stock', {
      lotId: lot.lotId,
      quantity: 2,
      disposalKind: 'damaged',
      reason: 'Ampoules cracked on the shelf',
      witness: { email: 'nurse@demo.clinic', password: w.password },
    });
    expect(result).toMatchObject({ type: 'Dispose', quantity: -2, quantityOnHand: 48, witnessedBy: 'Nia Nurse' });
    expect(await w.one(`SELECT witnessed_by FROM pharmacy WHERE transaction_id = $1`, [result.transactionId])).toBe(nurseId);
    const audit = await database.ownerPool.query(
      `SELECT user_id, new_values FROM audit_log WHERE operation = 'WITNESS' AND user_id = $1 ORDER BY log_id DESC LIMIT 1`,
      [nurseId],
    );
    expect(audit.rows[0].new_values).toMatchObject({
      action: 'pharmacy/dispose-stock',
      for_user: pharmacistId,
      email: 'nurse@demo.clinic',
    });
  });

  it('no witness, a wrong password, the same person, a front-desk clerk, an unknown email: each refused with a clear error, nothing moved', async () => {
    const lot = await controlledLot();
    const desk = await w.newUser('front_desk');
    const before = await ledgerRows();
    const nurseFailures = await failures('nurse@demo.clinic');

    expect(await dispose(lot.lotId)).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: expect.stringContaining('controlled drug: a second pharmacist or nurse must witness') },
    });
    expect(await dispose(lot.lotId, { email: 'nurse@demo.clinic', password: 'not her password' })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized', message: 'The witness could not be confirmed. The email or password is not correct.' },
    });
    // Counted like a failed sign-in, and kept although the request failed.
    expect(await failures('nurse@demo.clinic')).toBe(nurseFailures + 1);
    const failedRow = await database.ownerPool.query(
      `SELECT new_values->>'reason' AS reason FROM audit_log WHERE operation = 'SIGNINFAIL' AND user_id = $1 ORDER BY log_id DESC LIMIT 1`,
      [nurseId],
    );
    expect(failedRow.rows[0].reason).toBe('password');
    expect(await dispose(lot.lotId, { email: 'pharmacist@demo.clinic', password: w.password })).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: 'A witness must be another person than the one who does this.' },
    });
    expect(await dispose(lot.lotId, { email: desk.email, password: w.password })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden', message: 'The witness must be a pharmacist or nurse.' },
    });
    const unknown = `nobody-${Date.now()}@demo.clinic`;
    expect(await dispose(lot.lotId, { email: unknown, password: 'whatever' })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized', message: 'The witness could not be confirmed. The email or password is not correct.' },
    });
    expect(
      await w.one<number>(
        `SELECT failed_login_count FROM unknown_email_sign_in_failures WHERE email_sha256 = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
        [unknown],
      ),
    ).toBe(1);
    expect(await ledgerRows()).toBe(before);
    expect(await w.lotStock(lot.lotId)).toBe(50);
    // A correct sign-in clears the count again (the nurse is not left part-way to a lockout by this test).
    await w.harness.signIn('nurse-reset', 'nurse@demo.clinic');
  });

  it('counts towards the lockout like sign-in: after the threshold even the right password is refused as locked', async () => {
    const lot = await controlledLot();
    const witness = await w.newUser('nurse', 'Lockable');
    const threshold = await w.one<number>(`SELECT lockout_threshold FROM security_settings`);
    const answers: string[] = [];
    for (let attempt = 0; attempt < threshold; attempt++) {
      const r = await dispose(lot.lotId, { email: witness.email, password: `wrong-${attempt}` });
      answers.push(r.ok ? 'ok' : r.error.code);
    }
    const locked = await dispose(lot.lotId, { email: witness.email, password: w.password });
    console.log(
      `lockout: ${threshold} wrong witness passwords → ${answers.join(', ')}; then the right one → ${locked.ok ? 'ok' : locked.error.message}`,
    );
    expect(answers).toEqual(Array(threshold).fill('Unauthorized'));
    expect(locked).toMatchObject({ ok: false, error: { code: 'Unauthorized', message: expect.stringContaining('locked') } });
    expect(await w.one(`SELECT locked_until IS NOT NULL FROM users WHERE user_id = $1`, [witness.userId])).toBe(true);
    expect(await w.lotStock(lot.lotId)).toBe(50);
  });

  it('dispensing a controlled drug needs a witness; the dispenser as witness is refused, nothing written', async () => {
    const lot = await controlledLot();
    const order = await w.verifiedOrder(await w.newPatient(), lot.medicine, 5);
    const before = await ledgerRows();
    expect(await w.refused(PHARMACIST, 'pharmacy/dispense-order', { prescriptionId: order })).toMatchObject({ code: 'Validation' });
    expect(
      await w.refused(PHARMACIST, 'pharmacy/dispense-order', {
        prescriptionId: order,
        witness: { email: 'pharmacist@demo.clinic', password: w.password },
      }),
    ).toMatchObject({ code: 'Validation', message: expect.stringContaining('another person') });
    expect(await ledgerRows()).toBe(before);
    expect(await w.one(`SELECT status FROM prescriptions WHERE prescription_id = $1`, [order])).toBe('Verified');
    const done = await w.call(PHARMACIST, 'pharmacy/dispense-order', {
      prescriptionId: order,
      witness: { email: 'nurse@demo.clinic', password: w.password },
    });
    expect(done).toMatchObject({ status: 'Dispensed', witnessedBy: 'Nia Nurse' });
    expect(await w.one(`SELECT witnessed_by FROM pharmacy WHERE transaction_id = $1`, [done.lines[0]!.transactionId])).toBe(nurseId);
  });

  it('the front desk cannot even reach the channel', async () => {
    const lot = await controlledLot();
    expect(
      await w.refused(DESK, 'pharmacy/dispose-stock', { lotId: lot.lotId, quantity: 1, disposalKind: 'expired', reason: 'Out of date' }),
    ).toMatchObject({
      code: 'Forbidden',
    });
  });
});

describe('what the database insists on, whatever the client', () => {
  it('a controlled Dispose, Adjust or Dispense row without a witness, with the performer as witness, or with a clerk as witness is refused', async () => {
    const lot = await controlledLot();
    const desk = await w.newUser('front_desk');
    const insert = (type: string, quantity: number, witness: string | null) =>
      database.ownerPool.query(
        `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, witnessed_by, notes)
         VALUES ($1, $2, $3, $4, $5, $6, 'database check')`,
        [lot.medicine, lot.lotId, type, quantity, pharmacistId, witness],
      );
    for (const [type, quantity] of [
      ['Dispose', -1],
      ['Adjust', 1],
    ] as const) {
      await expect(insert(type, quantity, null)).rejects.toMatchObject({ code: 'PH004' });
      await expect(insert(type, quantity, pharmacistId)).rejects.toMatchObject({ code: 'PH004' });
      await expect(insert(type, quantity, desk.userId)).rejects.toMatchObject({ code: 'PH004' });
    }
    const plain = await w.newMedicine();
    const plainLot = await w.addLot(plain, '2099-01-01', 5);
    await expect(
      database.ownerPool.query(
        `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, notes) VALUES ($1, $2, 'Adjust', -1, $3, '')`,
        [plain, plainLot.lotId, pharmacistId],
      ),
    ).rejects.toMatchObject({ code: '23514' }); // an adjustment without a reason
    await insert('Dispose', -1, nurseId);
    expect(await w.lotStock(lot.lotId)).toBe(49);
  });
});
