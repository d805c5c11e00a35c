// The medication path end to end in Chromium: a doctor prescribes a medicine the patient is allergic to,
// sees the check and overrides it with a reason; a pharmacist verifies it, dispenses first expiry first
// out and sees the label; a controlled drug is dispensed with a witness; a delivery is received; the
// low-stock report, the stock and ledger grids by keyboard; the read-only queue while the database is away.
// Real core, real PostgreSQL, real Chromium; only Electron's IPC transport is not real.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispenseLabelCode } from '../../contract/index.js';
import { expectStockOnLedger } from '../pharmacy/pharmacy-world.js';
import { pharmacyPage } from './pages/pharmacy-page.js';
import { shellPage } from './pages/shell-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { seriousAccessibilityViolations, useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen } from './support/workstation.js';

const suite = useWorkstationSuite();

let patientId: number;
let morphineOrder: number;
let queriedOrder: number;

/** Calls a channel as `email` from a window of its own (set-up the story does not show). */
async function as(email: string, windowId: string) {
  const { core, database } = suite;
  const signedIn = await core.dispatch(windowId, 'session/sign-in', { email, password: database.demoPassword });
  expect(signedIn.ok).toBe(true);
  return async <T>(channel: string, input: unknown): Promise<T> => {
    const result = (await core.dispatch(windowId, channel, input)) as { ok: boolean; value?: T; error?: unknown };
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
}

async function signIn(page: Page, email: string, name: string) {
  await signInPage(page).signIn(email, suite.database.demoPassword);
  await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain(name);
}

beforeAll(async () => {
  const o = suite.database.ownerPool;
  // In the doctor's department, so in the doctor's care.
  patientId = (
    await o.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth, contact_number, department_id)
       SELECT 'Penny', 'Sillin', '1970-04-12', '0411000099', d.department_id FROM doctors d JOIN users u USING (user_id) WHERE u.email = 'doctor@demo.clinic'
       RETURNING patient_id`,
    )
  ).rows[0].patient_id;
  // An amoxicillin lot expiring before the others, with 10 units: first expiry first out takes it first, then the next lot.
  const lot = await o.query(
    `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, supplier)
     SELECT medicine_id, 'E2E-SOON', current_date + 10, 'E2E Supplies' FROM medicine WHERE name = 'Amoxicillin' AND strength = '500 mg' RETURNING lot_id, medicine_id`,
  );
  await o.query(`INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, notes) VALUES ($1, $2, 'Receive', 10, 'e2e')`, [
    lot.rows[0].medicine_id,
    lot.rows[0].lot_id,
  ]);
  // Ibuprofen 400 mg falls under its reorder level, so the low-stock report has it.
  await o.query(`UPDATE medicine SET reorder_level = 100000 WHERE name = 'Ibuprofen' AND strength = '400 mg'`);
  const doctor = await as('doctor@demo.clinic', 'setup-doctor');
  await doctor('pharmacy/record-allergy', {
    patientId,
    substance: 'penicillin',
    matchKind: 'class',
    reaction: 'rash and wheeze',
    severity: 'severe',
  });
  // A controlled drug ordered and verified before the story, so the witness step is the one shown.
  const morphine = (
    await doctor<{ medicineId: number; name: string }[]>('pharmacy/search-medicines', { query: 'morphine', limit: 20 })
  ).find((m) => m.name === 'Morphine')!;
  const order = {
    patientId,
    medicineId: morphine.medicineId,
    doseAmount: '10',
    doseUnit: 'mg',
    route: 'iv',
    frequency: { code: 'STAT' },
    quantity: 1,
    urgency: 'STAT',
  };
  const written = await doctor<{ outcome: string; prescriptionId: number }>('pharmacy/prescribe-medicine', { order, overrides: [] });
  morphineOrder = written.prescriptionId;
  // An order that stays open through the story, so the queue still shows it when the database goes away.
  const paracetamol = (
    await doctor<{ medicineId: number; name: string; strength: string }[]>('pharmacy/search-medicines', { query: 'paracetamol', limit: 20 })
  ).find((m) => m.name === 'Paracetamol' && m.strength === '500 mg')!;
  await doctor('pharmacy/prescribe-medicine', {
    order: {
      ...order,
      medicineId: paracetamol.medicineId,
      doseAmount: '1000',
      route: 'oral',
      frequency: { code: 'QDS' },
      durationDays: 3,
      quantity: 24,
      urgency: 'routine',
    },
    overrides: [],
  });
  const pharmacist = await as('pharmacist@demo.clinic', 'setup-pharmacist');
  await pharmacist('pharmacy/verify-order', { prescriptionId: morphineOrder, overrides: [] });
  // An order the pharmacist queried back, for the doctor to cancel.
  const ibuprofen = (
    await doctor<{ medicineId: number; name: string; strength: string }[]>('pharmacy/search-medicines', { query: 'ibuprofen', limit: 20 })
  ).find((m) => m.name === 'Ibuprofen' && m.strength === '400 mg')!;
  queriedOrder = (
    await doctor<{ prescriptionId: number }>('pharmacy/prescribe-medicine', {
      order: {
        ...order,
        medicineId: ibuprofen.medicineId,
        doseAmount: '400',
        route: 'oral',
        frequency: { code: 'TDS' },
        durationDays: 5,
        quantity: 15,
        urgency: 'routine',
      },
      overrides: [],
    })
  ).prescriptionId;
  await pharmacist('pharmacy/query-order', { prescriptionId: queriedOrder, reason: 'Check renal function before an NSAID' });
});

describe('pharmacy', () => {
  // Two windows, 7 screens, 4 axe checks: up to ~21 s on a 2-core machine running other suites.
  it('doctor overrides an allergy check; pharmacist verifies, dispenses FEFO and sees the label', { timeout: 90_000 }, async () => {
    const { database, browser, core } = suite;
    const o = database.ownerPool;

    // The doctor prescribes amoxicillin (a penicillin) for a patient allergic to penicillins.
    const doctorWindow = await openWorkstation(browser, core, 'doctor-1');
    const d = doctorWindow.page;
    const rx = pharmacyPage(d);
    await signIn(d, 'doctor@demo.clinic', 'Dana Doctor');
    await shellPage(d).navItem('Pharmacy').click();
    await expect.poll(() => rx.patientField.isVisible()).toBe(true);
    await rx.patientField.fill('sillin');
    await rx.patientField.press('Enter');
    await rx.patientChoice('Sillin, Penny').click();
    await expect.poll(() => rx.allergyBanner.textContent()).toContain('penicillin');
    await rx.medicineField('prescribe-medicine').fill('amoxicillin 500');
    await expect.poll(() => rx.medicineOptions.count()).toBeGreaterThan(0);
    await d.keyboard.press('Enter');
    await d.getByLabel('Dose', { exact: true }).fill('500');
    await d.getByLabel('Frequency').selectOption('TDS');
    await d.getByLabel('Duration (days)').fill('7');
    await rx.runChecks.click();
    await expect.poll(() => rx.checks.textContent()).toContain('Allergy');
    await saveScreen(d, '60-pharmacy-prescribe-allergy-check');
    expect(await seriousAccessibilityViolations(d)).toEqual([]);
    await rx.overrideReason('Allergy').fill('Rash only as a child; tolerated amoxicillin in 2019');
    await rx.prescribe.click();
    await expect.poll(() => rx.status.filter({ hasText: 'Prescribed' }).textContent()).toContain('Amoxicillin 500 mg capsule');
    await saveScreen(d, '61-pharmacy-prescribed');
    const ordered = await o.query(
      `SELECT p.prescription_id, p.quantity, p.status, x.reason FROM prescriptions p JOIN medication_check_overrides x USING (prescription_id)
       WHERE p.patient_id = $1 AND p.medicine_id = (SELECT medicine_id FROM medicine WHERE name = 'Amoxicillin' AND strength = '500 mg') AND x.check_kind = 'allergy'`,
      [patientId],
    );
    expect(ordered.rows).toEqual([
      expect.objectContaining({ quantity: 21, status: 'Active', reason: 'Rash only as a child; tolerated amoxicillin in 2019' }),
    ]);
    const amoxicillinOrder: number = ordered.rows[0].prescription_id;
    // The patient's open orders: the new one, which its prescriber may change or stop.
    const open = d
      .locator('.open-orders')
      .getByRole('listitem')
      .filter({ hasText: `#${amoxicillinOrder} ` });
    await expect.poll(() => open.textContent()).toContain('waiting for the pharmacist');
    expect(await open.getByRole('button', { name: 'Change (new order)' }).isEnabled()).toBe(true);
    await saveScreen(d, '61a-pharmacy-open-orders');
    // The doctor's orders a pharmacist queried back: one is stopped with a reason.
    const queried = d
      .locator('.queried-orders')
      .getByRole('listitem')
      .filter({ hasText: `#${queriedOrder} ` });
    await expect.poll(() => queried.textContent()).toContain('Check renal function before an NSAID');
    await queried.getByRole('button', { name: 'Stop…' }).click();
    await d.getByLabel(`Why stop order #${queriedOrder}?`).fill('Stopped after the pharmacist’s query');
    await d.keyboard.press('Enter');
    await expect.poll(() => queried.count()).toBe(0);
    const cancelled = await o.query(`SELECT status FROM prescriptions WHERE prescription_id = $1`, [queriedOrder]);
    expect(cancelled.rows[0].status).toBe('Cancelled');
    await doctorWindow.context.close();

    // The pharmacist finds it in the queue, opens it with Enter, sees the check again and verifies with a reason.
    const { page, context } = await openWorkstation(browser, core, 'pharmacy-1');
    const ph = pharmacyPage(page);
    await signIn(page, 'pharmacist@demo.clinic', 'Priya Pharmacist');
    await expect.poll(() => ph.heading.isVisible()).toBe(true);
    await expect.poll(() => ph.gridRows('Orders waiting').count()).toBeGreaterThan(0);
    await saveScreen(page, '62-pharmacy-queue');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await ph.filter.fill('Sillin');
    await expect.poll(() => ph.gridRows('Orders waiting').count()).toBe(3);
    await ph.grid('Orders waiting').focus();
    await page.keyboard.press('Home');
    while (!(await ph.activeRow('Orders waiting').textContent())?.includes('Amoxicillin')) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: `Order #${amoxicillinOrder}` }).isVisible()).toBe(true);
    await expect.poll(() => ph.checks.textContent()).toContain('Allergy');
    await saveScreen(page, '63-pharmacy-order-detail');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await ph.overrideReason('Allergy').fill('Discussed with Dr Doctor: tolerated before');
    await page.keyboard.press('Alt+v');
    await expect.poll(() => ph.status.filter({ hasText: 'Verified' }).count()).toBe(1);

    // Dispense: the lots first expiry first out, then the label.
    await page.keyboard.press('Alt+d');
    await expect.poll(() => ph.lotsTable.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await ph.lotsTable.locator('tbody tr').first().textContent()).toContain('E2E-SOON');
    await saveScreen(page, '64-pharmacy-dispense-fefo');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await ph.dispenseButton.click();
    await expect.poll(() => ph.labelOrError()).toBe('label');
    const firstLine = await o.query(
      `SELECT min(transaction_id)::int AS id, sum(-quantity)::int AS units FROM pharmacy WHERE prescription_id = $1 AND transaction_type = 'Dispense'`,
      [amoxicillinOrder],
    );
    expect(firstLine.rows[0].units).toBe(21);
    const taken = await o.query(
      `SELECT l.lot_number, -p.quantity AS units FROM pharmacy p JOIN medicine_lots l USING (lot_id) WHERE p.prescription_id = $1 ORDER BY p.transaction_id`,
      [amoxicillinOrder],
    );
    expect(taken.rows[0]).toEqual({ lot_number: 'E2E-SOON', units: 10 });
    expect(taken.rows).toHaveLength(2);
    expect(await ph.labelBarcode.getAttribute('data-code')).toBe(dispenseLabelCode(firstLine.rows[0].id));
    const labelText = (await ph.label.textContent()) ?? '';
    expect(labelText).toContain('SILLIN, PENNY');
    expect(labelText).toContain('Lot E2E-SOON');
    expect(labelText).toContain('Born 1970-04-12');
    expect(labelText).toContain('Take ONE capsule THREE times a day for 7 days.');
    expect(labelText).toContain('Qty 21');
    expect(labelText).toContain('PP');
    await saveScreen(page, '65-pharmacy-label-preview');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // What the printer gets: the label alone (the Print button marks the body so, then calls window.print()).
    await page.evaluate(() => (document.body.dataset.pharmacyPrint = 'label'));
    await page.emulateMedia({ media: 'print' });
    await saveScreen(page, '65b-pharmacy-label-as-printed');
    expect(await page.getByRole('heading', { name: 'Dispensed: label preview' }).isVisible()).toBe(false);
    expect(await ph.label.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => delete document.body.dataset.pharmacyPrint);
    await context.close();
  });

  // Controlled drug with a witness, a delivery, two reports and their CSV, the grids by keyboard, the register, offline.
  // 8 screens, 8 axe checks: up to ~24 s on a 2-core machine running other suites.
  it(
    'dispenses a controlled drug with a witness, receives a delivery, reports low stock, works the grids',
    { timeout: 90_000 },
    async () => {
      const { database, browser, core } = suite;
      const o = database.ownerPool;
      const { page, context, pushStatus } = await openWorkstation(browser, core, 'pharmacy-2');
      const ph = pharmacyPage(page);
      await signIn(page, 'pharmacist@demo.clinic', 'Priya Pharmacist');
      await expect.poll(() => ph.gridRows('Orders waiting').count()).toBeGreaterThan(0);

      // The morphine order (verified before): Enter opens it, Alt+D, Dispense asks for a witness.
      await ph.filter.fill('Morphine');
      await expect.poll(() => ph.gridRows('Orders waiting').filter({ hasText: 'Sillin' }).count()).toBe(1);
      await ph.grid('Orders waiting').focus();
      while (!(await ph.activeRow('Orders waiting').textContent())?.includes('Sillin')) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Alt+d');
      await expect.poll(() => ph.lotsTable.locator('tbody tr').count()).toBeGreaterThan(0);
      await ph.dispenseButton.click();
      await expect.poll(() => ph.witnessDialog.isVisible()).toBe(true);
      // The pharmacist cannot witness her own dispense.
      await ph.witnessEmail.fill('pharmacist@demo.clinic');
      await ph.witnessPassword.fill(database.demoPassword);
      await page.keyboard.press('Enter');
      await expect.poll(() => ph.witnessDialog.getByRole('alert').isVisible()).toBe(true);
      await saveScreen(page, '66-pharmacy-witness-refused');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await ph.witnessEmail.fill('nurse@demo.clinic');
      await ph.witnessPassword.fill(database.demoPassword);
      await page.keyboard.press('Enter');
      await expect.poll(() => ph.labelOrError()).toBe('label');
      expect(await ph.label.textContent()).toContain('witness NN');
      const morphineRows = await o.query(
        `SELECT count(*)::int AS n FROM pharmacy WHERE prescription_id = $1 AND transaction_type = 'Dispense'`,
        [morphineOrder],
      );
      expect(morphineRows.rows[0].n).toBe(1);
      await saveScreen(page, '67-pharmacy-controlled-label');

      // A delivery arrives as a new lot.
      await page.keyboard.press('Alt+e');
      await ph.medicineField('receive-medicine').fill('paracetamol 500');
      await expect.poll(() => ph.medicineOptions.count()).toBeGreaterThan(0);
      await page.keyboard.press('Enter');
      await page.getByLabel('Lot number').fill('E2E-DELIVERY-1');
      await page.getByLabel('Expiry date').fill(`${new Date().getFullYear() + 2}-06-30`);
      await page.getByLabel('Quantity').fill('300');
      await page.getByLabel('Supplier').fill('=Acme, "Pharma" Ltd');
      await page.getByRole('button', { name: 'Receive into stock' }).click();
      await expect.poll(() => ph.status.filter({ hasText: 'Received 300' }).count()).toBe(1);
      await saveScreen(page, '68-pharmacy-delivery-received');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const received = await o.query(`SELECT quantity_on_hand, supplier FROM medicine_lots WHERE lot_number = 'E2E-DELIVERY-1'`);
      expect(received.rows).toEqual([{ quantity_on_hand: 300, supplier: '=Acme, "Pharma" Ltd' }]);

      // The low-stock report, and its CSV.
      await page.keyboard.press('Alt+r');
      await expect
        .poll(() =>
          ph
            .reportTable(/^Low stock/)
            .locator('tbody tr')
            .filter({ hasText: 'Ibuprofen 400 mg' })
            .count(),
        )
        .toBe(1);
      await saveScreen(page, '69-pharmacy-low-stock-report');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const [download] = await Promise.all([page.waitForEvent('download'), ph.exportCsv.click()]);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv).toContain('Medicine,Generic,Controlled,Usable stock,Reorder level');
      expect(csv).toMatch(/Ibuprofen 400 mg tablet,ibuprofen,,\d+,100000/);
      // Expiring within ten years holds the new lot: its supplier starts with "=", so the CSV cell is guarded and quoted.
      await ph.report('Expiring').check();
      await page.getByLabel('Within days').fill('3650');
      await expect
        .poll(() =>
          ph
            .reportTable(/^Expiring within 3650 days/)
            .locator('tbody tr')
            .filter({ hasText: 'E2E-DELIVERY-1' })
            .count(),
        )
        .toBe(1);
      const [expiring] = await Promise.all([page.waitForEvent('download'), ph.exportCsv.click()]);
      const expiringCsv = await readFile((await expiring.path())!, 'utf8');
      expect(expiringCsv).toContain(`,"'=Acme, ""Pharma"" Ltd"\r\n`);

      // The stock grid by keyboard: filter to the new lot, End, and the supplier's formula-like name stays text.
      await page.keyboard.press('Alt+s');
      await expect.poll(() => ph.gridRows('Stock by lot').count()).toBeGreaterThan(10);
      await ph.grid('Stock by lot').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => ph.activeRow('Stock by lot').count()).toBe(1);
      await saveScreen(page, '70-pharmacy-stock-grid');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await ph.filter.fill('E2E-DELIVERY');
      await expect.poll(() => ph.gridRows('Stock by lot').count()).toBe(1);

      // The ledger shows the movements of this story.
      await page.keyboard.press('Alt+l');
      await expect.poll(() => ph.gridRows('Ledger').count()).toBeGreaterThan(10);
      await saveScreen(page, '71-pharmacy-ledger-grid');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // The controlled-drug register: the dispense with its witness and the running balance.
      await page.keyboard.press('Alt+c');
      await ph.medicineField('controlled-medicine').fill('morphine');
      await expect.poll(() => ph.medicineOptions.count()).toBeGreaterThan(0);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('table', { name: /^Register of Morphine/ }).textContent()).toContain('Nia Nurse');
      await saveScreen(page, '72-pharmacy-controlled-register');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // The database goes away: the queue stays, read-only, with when it was read; nothing can be dispensed.
      await page.keyboard.press('Alt+q');
      await expect.poll(() => ph.gridRows('Orders waiting').count()).toBeGreaterThan(0);
      core.monitor.report('unreachable', 'The database cannot be reached.');
      await pushStatus();
      await expect.poll(() => ph.offlineBanner.textContent()).toContain('as of the last refresh');
      expect(await ph.gridRows('Orders waiting').count()).toBeGreaterThan(0);
      await saveScreen(page, '73a-pharmacy-offline-queue');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await ph.grid('Orders waiting').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => ph.verify.isDisabled()).toBe(true);
      await saveScreen(page, '73b-pharmacy-offline-order');
      await core.monitor.check();
      await pushStatus();
      await expect.poll(() => ph.offlineBanner.count()).toBe(0);
      await context.close();
    },
  );
});

describe('after the pharmacy story', () => {
  it("leaves every lot's stock equal to the signed sum of its ledger rows", () => expectStockOnLedger(suite.database));
});
