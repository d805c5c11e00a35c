// Billing through the one door as the demo billing clerk, on the demo data: totals agree with the sum
// of the lines and the payments (checked in SQL), bills from appointments and stays, part payments and
// statuses kept by the database, void, and a race of clerks paying the same bill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelKey, PatientAccount } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let harness: ReturnType<typeof createCoreHarness>;
const CLERKS = 10;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', CLERKS + 2);
  harness = createCoreHarness(database);
  await harness.signIn('clerk', 'billing@demo.clinic');
  await harness.signIn('desk', 'frontdesk@demo.clinic');
  await harness.signIn('cleaner', 'housekeeping@demo.clinic');
  for (let n = 0; n < CLERKS; n += 1) await harness.signIn(`clerk-${n}`, 'billing@demo.clinic');
});
afterAll(() => database?.drop());

const call = <C extends ChannelKey>(sender: string, channel: C, input: ChannelInput<C>) => harness.core.dispatch(sender, channel, input);
async function value<T>(sender: string, channel: ChannelKey, input: unknown): Promise<T> {
  const result = await harness.core.dispatch(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
const owner = async <T>(text: string, params: unknown[] = []) => (await database.ownerPool.query(text, params)).rows as T[];
const ownerOne = async <T>(text: string, params: unknown[] = []) => (await owner<T>(text, params))[0]!;

describe('billing over the demo data', () => {
  it("every account's totals equal the sum of its lines and payments, in SQL", async () => {
    const patients = await owner<{ patient_id: number; charged: string; paid: string; owed: string }>(`
      SELECT b.patient_id, sum(b.amount)::text AS charged,
             COALESCE((SELECT sum(pm.amount) FROM payments pm JOIN billing x ON x.bill_id = pm.bill_id
                       WHERE x.patient_id = b.patient_id AND x.status NOT IN ('Cancelled', 'Refunded')), 0.00)::text AS paid,
             (sum(b.amount) - COALESCE((SELECT sum(pm.amount) FROM payments pm JOIN billing x ON x.bill_id = pm.bill_id
                       WHERE x.patient_id = b.patient_id AND x.status NOT IN ('Cancelled', 'Refunded')), 0.00))::text AS owed
      FROM billing b WHERE b.status NOT IN ('Cancelled', 'Refunded') GROUP BY b.patient_id`);
    expect(patients.length).toBeGreaterThan(20);
    let agreed = 0;
    for (const p of patients) {
      const account = await value<PatientAccount>('clerk', 'billing/get-account', { patientId: p.patient_id });
      expect(account.totals, `patient ${p.patient_id}`).toEqual({ charged: p.charged, paid: p.paid, owed: p.owed });
      agreed += 1;
    }
    // Each bill's paid amount is the sum of its payments, and its status follows from the two.
    const { bills, out_of_step, wrong_status, payments } = await ownerOne<{
      bills: number;
      out_of_step: number;
      wrong_status: number;
      payments: number;
    }>(`
      SELECT count(*)::int AS bills,
             count(*) FILTER (WHERE b.paid_amount <> COALESCE(s.total, 0))::int AS out_of_step,
             count(*) FILTER (WHERE b.status <> 'Cancelled' AND b.status <> CASE WHEN b.paid_amount >= b.amount THEN 'Paid'
                                   WHEN b.paid_amount = 0 THEN 'Pending' ELSE 'PartiallyPaid' END)::int AS wrong_status,
             (SELECT count(*)::int FROM payments) AS payments
      FROM billing b LEFT JOIN (SELECT bill_id, sum(amount) AS total FROM payments GROUP BY bill_id) s USING (bill_id)`);
    // Bed-day lines: quantity × rate, and the quantity is the midnights of the stay (at least one).
    const { stays, wrong_days } = await ownerOne<{ stays: number; wrong_days: number }>(`
      SELECT count(*)::int AS stays,
             count(*) FILTER (WHERE b.amount <> b.quantity * rt.daily_rate OR b.unit_price <> rt.daily_rate
                              OR b.quantity <> GREATEST(ra.discharged_at::date - ra.assigned_at::date, 1))::int AS wrong_days
      FROM billing b JOIN room_assignments ra USING (assignment_id) JOIN rooms r ON r.room_id = ra.room_id
      JOIN room_types rt ON rt.room_type_id = r.room_type_id WHERE b.source = 'bed-days'`);
    console.log(
      `billing totals: ${agreed} accounts agree with SQL; ${bills} bills, ${payments} payments, ${out_of_step} paid amounts out of step, ${wrong_status} wrong statuses; ${stays} bed-day lines, ${wrong_days} wrong`,
    );
    expect({ out_of_step, wrong_status, wrong_days }).toEqual({ out_of_step: 0, wrong_status: 0, wrong_days: 0 });
    expect(stays).toBeGreaterThan(0);
  });

  it('bills a seen appointment at its department fee, once', async () => {
    const unbilled = await value<{ kind: string; id: number; amount: string; patientId: number }[]>('clerk', 'billing/list-unbilled', {});
    const appointment = unbilled.find((u) => u.kind === 'appointment')!;
    expect(appointment).toBeDefined();
    const { billId } = await value<{ billId: number }>('clerk', 'billing/bill-appointment', { appointmentId: appointment.id });
    const account = await value<PatientAccount>('clerk', 'billing/get-account', { patientId: appointment.patientId });
    expect(account.bills.find((b) => b.billId === billId)).toMatchObject({
      amount: appointment.amount,
      status: 'Pending',
      source: 'appointment',
    });
    expect(await call('clerk', 'billing/bill-appointment', { appointmentId: appointment.id })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This appointment is already billed.' },
    });
    // A future (unseen) appointment is not billed.
    const [future] = await owner<{ appointment_id: number }>(`SELECT appointment_id FROM appointments WHERE status = 'Scheduled' LIMIT 1`);
    expect(await call('clerk', 'billing/bill-appointment', { appointmentId: future!.appointment_id })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: expect.stringContaining('only a checked-in or completed appointment is billed') },
    });
  });

  it("bills a finished stay at the room type's daily rate × days admitted", async () => {
    const unbilled = await value<{ kind: string; id: number; amount: string; quantity: string; unitPrice: string; patientId: number }[]>(
      'clerk',
      'billing/list-unbilled',
      {},
    );
    const stay = unbilled.find((u) => u.kind === 'stay')!;
    const [expected] = await owner<{ amount: string }>(
      `SELECT (GREATEST(ra.discharged_at::date - ra.assigned_at::date, 1) * rt.daily_rate)::text AS amount
       FROM room_assignments ra JOIN rooms r USING (room_id) JOIN room_types rt USING (room_type_id) WHERE ra.assignment_id = $1`,
      [stay.id],
    );
    const { billId } = await value<{ billId: number }>('clerk', 'billing/bill-stay', { assignmentId: stay.id });
    const account = await value<PatientAccount>('clerk', 'billing/get-account', { patientId: stay.patientId });
    expect(account.bills.find((b) => b.billId === billId)).toMatchObject({
      amount: expected!.amount,
      source: 'bed-days',
      status: 'Pending',
    });
    console.log(`stay ${stay.id}: ${stay.quantity} days × ${stay.unitPrice} = ${expected!.amount}`);
  });

  it('takes part payments until paid; refuses overpaying, a paid bill, and insurance without a claim number', async () => {
    const [patient] = await owner<{ patient_id: number }>(`SELECT patient_id FROM patients ORDER BY patient_id LIMIT 1`);
    const { billId } = await value<{ billId: number }>('clerk', 'billing/add-charge', {
      patientId: patient!.patient_id,
      description: 'Plaster cast',
      amount: '100.10',
    });
    expect(await value('clerk', 'billing/take-payment', { billId, amount: '40', method: 'cash' })).toMatchObject({
      status: 'PartiallyPaid',
      owed: '60.10',
    });
    expect(await call('clerk', 'billing/take-payment', { billId, amount: '60.11', method: 'card' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: `That is more than the 60.10 still owed on bill ${billId}.` },
    });
    expect(await call('clerk', 'billing/take-payment', { billId, amount: '60.10', method: 'insurance' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', issues: [{ path: 'reference', message: "Enter the insurer's claim number" }] },
    });
    expect(await call('clerk', 'billing/take-payment', { billId, amount: '10.005', method: 'cash' })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(
      await value('clerk', 'billing/take-payment', { billId, amount: '60.10', method: 'insurance', reference: 'CLAIM-77' }),
    ).toMatchObject({
      status: 'Paid',
      owed: '0.00',
    });
    expect(await call('clerk', 'billing/take-payment', { billId, amount: '1', method: 'cash' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: `Bill ${billId} is Paid: it takes no payment.` },
    });
    expect(await call('clerk', 'billing/void-bill', { billId, reason: 'Entered twice' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This bill has payments: it cannot be voided.' },
    });
    const { n } = await ownerOne<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE bill_id = $1`, [billId]);
    expect(n).toBe(2);
  });

  it('voids an unpaid bill with a reason; the void takes no payment', async () => {
    const [patient] = await owner<{ patient_id: number }>(`SELECT patient_id FROM patients ORDER BY patient_id LIMIT 1`);
    const { billId } = await value<{ billId: number }>('clerk', 'billing/add-charge', {
      patientId: patient!.patient_id,
      description: 'Crutches',
      amount: '35',
    });
    expect(await call('clerk', 'billing/void-bill', { billId, reason: 'no' })).toMatchObject({ ok: false, error: { code: 'Validation' } });
    expect(await value('clerk', 'billing/void-bill', { billId, reason: 'Charged to the wrong patient' })).toEqual({ billId });
    expect(await call('clerk', 'billing/take-payment', { billId, amount: '1', method: 'cash' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: `Bill ${billId} is void: it takes no payment.` },
    });
  });

  it(`${CLERKS} clerks pay what is owed on the same bill at once: one payment, never overpaid`, async () => {
    const [patient] = await owner<{ patient_id: number }>(`SELECT patient_id FROM patients ORDER BY patient_id LIMIT 1 OFFSET 1`);
    const { billId } = await value<{ billId: number }>('clerk', 'billing/add-charge', {
      patientId: patient!.patient_id,
      description: 'X-ray',
      amount: '75.00',
    });
    const results = await Promise.all(
      Array.from({ length: CLERKS }, (_, n) => call(`clerk-${n}`, 'billing/take-payment', { billId, amount: '75.00', method: 'card' })),
    );
    const paid = results.filter((r) => r.ok).length;
    const conflicts = results.filter((r) => !r.ok && r.error.code === 'Conflict').length;
    const { paid_amount, payments } = await ownerOne<{ paid_amount: string; payments: number }>(
      `SELECT b.paid_amount::text, (SELECT count(*)::int FROM payments p WHERE p.bill_id = b.bill_id) AS payments FROM billing b WHERE bill_id = $1`,
      [billId],
    );
    const others = results
      .filter((r) => !r.ok && r.error.code !== 'Conflict')
      .map((r) => (r.ok ? '' : `${r.error.code}: ${r.error.message}`));
    console.log(
      `payment race: ${CLERKS} clerks → ${paid} paid, ${conflicts} conflicts, ${others.length} other ${JSON.stringify(others)}; paid_amount ${paid_amount}, ${payments} payment rows`,
    );
    expect({ paid, conflicts, paid_amount, payments }).toEqual({ paid: 1, conflicts: CLERKS - 1, paid_amount: '75.00', payments: 1 });
  });

  it('the front desk sees what patients owe; housekeeping sees no bills', async () => {
    const balances = await value<{ owed: string }[]>('desk', 'billing/list-balances', { limit: 5 });
    expect(balances.length).toBeGreaterThan(0);
    expect(await call('cleaner', 'billing/list-balances', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  });
});
