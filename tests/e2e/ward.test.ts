// The ward end to end in Chromium: a nurse at a ward terminal sees her bed board, admits a patient with
// the keyboard, prints the wristband, records observations that raise NEWS2, does a medication round by
// "scanning" (codes typed fast, then Enter) — one right, one wrong patient, one wrong medicine — prints
// the handover, and sees the last-known board under a red banner when the database link is cut.
// Real core, real PostgreSQL behind a loopback proxy the test cuts; only Electron's IPC transport is not real.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { medicineCode, wristbandCode } from '../../contract/index.js';
import { createAppCore, type AppCore } from '../../main/app-core.js';
import { createPool } from '../../main/db/connection.js';
import { startCuttableProxy } from '../support/cuttable-proxy.js';
import { memorySecretStore } from '../support/memory-secrets.js';
import { shellPage } from './pages/shell-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { wardPage } from './pages/ward-page.js';
import { seriousAccessibilityViolations, useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen, type Workstation } from './support/workstation.js';

const suite = useWorkstationSuite();
let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
let proxiedPool: ReturnType<typeof createPool>;
let ward: AppCore;
let dir: string;
let window: Workstation | undefined;
const ids = { anna: 0, bert: 0, cara: 0, paracetamol: 0, other: 0, bertsOrder: 0 };

/** Calls a channel through the one door as `sender`; throws with the error's text. */
async function as<T>(sender: string, channel: string, input: unknown): Promise<T> {
  const result = await suite.core.dispatch(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  const { database } = suite;
  const o = database.ownerPool;
  const wa = (await o.query(`SELECT department_id FROM departments WHERE code = 'WA'`)).rows[0].department_id;
  const patient = async (first: string, last: string, born: string) =>
    (
      await o.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ($1, $2, $3, $4) RETURNING patient_id`,
        [first, last, born, wa],
      )
    ).rows[0].patient_id as number;
  ids.anna = await patient('Anna', 'Admitme', '1948-04-09');
  ids.bert = await patient('Bert', 'Roundson', '1952-11-30');
  ids.cara = await patient('Cara', 'Roundson', '1961-02-17');
  const dora = await patient('Dora', 'Homegoing', '1939-08-01');
  // A doctor of Ward A's own department (doctors see their department's board): Dr Wren, the demo doctor's password.
  const wren = (
    await o.query(
      `INSERT INTO users (email, password_hash, display_name) SELECT 'ward-doctor@demo.clinic', password_hash, 'Dr Wren Ward'
       FROM users WHERE email = 'doctor@demo.clinic' RETURNING user_id`,
    )
  ).rows[0].user_id as string;
  await o.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'doctor'`, [wren]);
  await o.query(
    `INSERT INTO doctors (user_id, first_name, last_name, specialization, department_id, license_number, slot_minutes, email)
     VALUES ($1, 'Wren', 'Ward', 'Acute medicine', $2, 'E2E-WARD-1', 15, 'ward-doctor@demo.clinic')`,
    [wren, wa],
  );
  for (const [sender, email] of [
    ['setup-nurse', 'nurse@demo.clinic'],
    ['setup-doctor', 'doctor@demo.clinic'],
    ['setup-pharmacist', 'pharmacist@demo.clinic'],
  ] as const)
    await as(sender, 'session/sign-in', { email, password: database.demoPassword });
  const room = async (number: string) =>
    (await o.query(`SELECT room_id FROM rooms WHERE room_number = $1`, [number])).rows[0].room_id as number;
  await as('setup-nurse', 'ward/admit-patient', { patientId: ids.bert, roomId: await room('WA-01'), bedNumber: 1 });
  await as('setup-nurse', 'ward/admit-patient', { patientId: ids.cara, roomId: await room('WA-01'), bedNumber: 2 });
  // A discharge leaves its bed to clean: the board shows every state a shift meets.
  const stay = await as<{ assignmentId: number }>('setup-nurse', 'ward/admit-patient', {
    patientId: dora,
    roomId: await room('WA-02'),
    bedNumber: 1,
  });
  await as('setup-nurse', 'ward/discharge-patient', { assignmentId: stay.assignmentId, reason: 'Recovered well', destination: 'home' });
  await as('setup-nurse', 'pharmacy/record-allergy', {
    patientId: ids.cara,
    substance: 'penicillin',
    matchKind: 'class',
    reaction: 'rash',
    severity: 'severe',
  });
  await as('setup-nurse', 'ward/record-observation', {
    patientId: ids.cara,
    takenAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    vitals: { respirationRate: 16, spo2: 97, onOxygen: false, systolicBp: 128, pulse: 76, consciousness: 'A', temperature: 36.8 },
  });
  // Bert was seen in Dr Dana's clinic this morning (so in her care), then admitted to Ward A.
  await o.query(
    `INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time, status, purpose)
     SELECT $1, d.doctor_id, d.department_id, CURRENT_DATE, '07:00', 'Completed', 'Chest pain' FROM doctors d JOIN users u ON u.user_id = d.user_id WHERE u.email = 'doctor@demo.clinic'`,
    [ids.bert],
  );
  // Bert retains CO2: Dr Dana scores his SpO2 on scale 2 (the nurse sees it on the chart, with who and why).
  await as('setup-doctor', 'ward/set-saturation-scale', { patientId: ids.bert, scale: 2, reason: 'COPD, CO2 retainer: target 88-92%' });
  // A verified STAT order for Bert (the doctor prescribes, the pharmacist verifies): a dose due now.
  const find = async (query: string) =>
    (await as<{ medicineId: number; isControlled: boolean }[]>('setup-doctor', 'pharmacy/search-medicines', { query, limit: 20 })).find(
      (m) => !m.isControlled,
    )!;
  const paracetamol = await find('paracetamol');
  ids.paracetamol = paracetamol.medicineId;
  ids.other = (await find('omeprazole')).medicineId;
  const order = await as<{ outcome: string; prescriptionId: number }>('setup-doctor', 'pharmacy/prescribe-medicine', {
    order: {
      patientId: ids.bert,
      medicineId: ids.paracetamol,
      doseAmount: '1',
      doseUnit: 'g',
      route: 'oral',
      frequency: { code: 'STAT' },
      quantity: 1,
      urgency: 'STAT',
    },
    overrides: [],
  });
  expect(order.outcome).toBe('done');
  await as('setup-pharmacist', 'pharmacy/verify-order', { prescriptionId: order.prescriptionId, overrides: [] });
  ids.bertsOrder = order.prescriptionId;

  // The ward terminal: its own core on a link the test can cut, keeping the ward's sealed copy.
  const target = new URL(database.appUrl);
  proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port) });
  target.port = String(proxy.port);
  // A cut link is told by the status monitor's own checks; a connection that is only slow to open on a
  // busy machine (a second and more was seen) must not fail the screen's read.
  proxiedPool = createPool({ connectionString: target.toString(), max: 4, connectionTimeoutMillis: 5000 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-ward-'));
  ward = createAppCore({
    pool: proxiedPool,
    mode: 'server',
    terminal: { name: 'ward-a-1', role: 'ward' },
    wardOffline: { dir, key: randomBytes(32), secrets: memorySecretStore() },
    medicalHistoryKey: () => 'e2e-medical-history-key',
    logInternal: (message, error) => console.error(message, error),
    onStatusChange: (status) => void window?.emit('system/status-changed', status).catch(() => undefined),
  });
  ward.startTimers();
  await ward.monitor.check();
});
afterAll(async () => {
  await ward?.close();
  await proxiedPool?.end().catch(() => undefined);
  await proxy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ward', () => {
  // The longest story here (a dozen screens, print previews, six axe checks, a cut link): up to ~40 s on a busy 2-core machine.
  it(
    'a nurse runs a shift: board, admit, wristband, observations, a scanned round, handover, and the downtime copy',
    { timeout: 180_000 },
    async () => {
      window = await openWorkstation(suite.browser, ward, 'ward-window');
      const page = window.page;
      const w = wardPage(page);
      await window.pushStatus();
      await signInPage(page).signIn('nurse@demo.clinic', suite.database.demoPassword);
      await expect.poll(() => w.heading.textContent()).toContain('Ward A');
      await expect.poll(() => w.beds.count()).toBeGreaterThan(20);
      expect(await w.bed('WA-01/1').textContent()).toContain('Bert Roundson');
      expect(await w.bed('WA-01/2').textContent()).toContain('Allergy');
      expect(await w.bed('WA-02/1').textContent()).toContain('To clean');
      await expect.poll(() => w.bed('WA-01/1').textContent()).toContain('due next hour');
      await saveScreen(page, '50-ward-bed-board');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Admit with the keyboard: to the free bed WA-01/3, Enter, find the patient, Enter, Enter.
      await page.keyboard.press('Alt+b');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toMatch(/^bed-/);
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await w.activeBed.textContent()).toContain('WA-01/3');
      await page.keyboard.press('Enter');
      await expect.poll(() => w.admitDialog.isVisible()).toBe(true);
      await page.keyboard.type('admitme');
      await expect.poll(() => w.admitResults.count()).toBe(1);
      await saveScreen(page, '51-ward-admit-search');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('Enter');
      // The reason for admission (the handover's situation) is typed where the focus lands; Enter admits.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('admit-reason');
      await page.keyboard.type('Fall at home, hip pain');
      await page.keyboard.press('Enter');
      await w.expectNotice('Admitme, Anna admitted to bed WA-01/3');
      await expect.poll(() => w.bed('WA-01/3').textContent()).toContain('Anna Admitme');
      await saveScreen(page, '52-ward-admitted');

      // The wristband: preview, then the print view (only the band on a band-sized page).
      await page.keyboard.press('Alt+w');
      await expect.poll(() => w.wristband.textContent()).toContain('ADMITME, Anna');
      expect(await w.wristband.textContent()).toContain('Born 1948-04-09');
      expect(await w.bandBarcode.getAttribute('data-code')).toBe(wristbandCode(ids.anna));
      await saveScreen(page, '53-ward-wristband-preview');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      expect(await w.board.isVisible()).toBe(false);
      await saveScreen(page, '54-ward-wristband-print');
      await page.emulateMedia({ media: 'screen' });
      await page.keyboard.press('Escape');
      await expect.poll(() => w.wristbandDialog.count()).toBe(0);

      // The census, then back to the board and into Anna's chart.
      await page.keyboard.press('Alt+c');
      await expect.poll(() => w.census.isVisible()).toBe(true);
      await saveScreen(page, '55-ward-census');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('Alt+b');
      // Wait for the board to settle with Anna's bed focused (a refetch may re-render it), then open her chart.
      await expect
        .poll(() => page.evaluate(() => (document.activeElement?.id.startsWith('bed-') ? document.activeElement.textContent : '')))
        .toContain('Admitme');
      await page.keyboard.press('Enter');
      await expect.poll(() => w.chartHeading.textContent(), { timeout: 20_000 }).toContain('Admitme, Anna');

      // An allergy the nurse learns at the bedside is recorded on the chart; the banner shows it at once.
      await w.allergyForm.getByLabel('Substance').fill('Codeine');
      await w.allergyForm.getByLabel('Severity').selectOption('moderate');
      await w.allergyForm.getByLabel('Reaction').fill('vomiting');
      await w.allergyForm.getByRole('button', { name: 'Record allergy' }).click();
      await expect.poll(() => w.allergyBox.textContent()).toContain('codeine (moderate, vomiting)');
      await expect.poll(() => w.allergyForm.getByLabel('Substance').inputValue()).toBe(''); // ready for the next one
      await saveScreen(page, '55b-ward-allergy-recorded');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Observations: an impossible set is refused field by field; then a set that raises NEWS2 to high.
      const fill = async (v: Record<string, string>) => {
        await w.vital('Respiration rate').fill(v.rr!);
        await w.vital('SpO2').fill(v.spo2!);
        await w.vital('Systolic BP').fill(v.bp!);
        await w.vital('Pulse').fill(v.pulse!);
        await w.vital('Temperature').fill(v.temp!);
      };
      await fill({ rr: '16', spo2: '101', bp: '124', pulse: '78', temp: '36.9' });
      await w.saveVitals.click();
      await expect.poll(() => w.vitalIssues.first().textContent()).toContain('SpO2 101 % is not possible');
      await saveScreen(page, '56-ward-vitals-impossible');
      await fill({ rr: '16', spo2: '97', bp: '124', pulse: '78', temp: '36.9' });
      await w.saveVitals.click();
      await expect.poll(() => w.news2Result.textContent()).toContain('NEWS2 0');
      await fill({ rr: '26', spo2: '91', bp: '98', pulse: '124', temp: '39.3' });
      await w.oxygen.check();
      await w.consciousness.selectOption('V');
      await w.saveVitals.click();
      await expect.poll(() => w.news2Result.textContent()).toContain('High');
      await expect.poll(() => w.chartNews2.textContent()).toMatch(/NEWS2 1[5-9]/);
      await expect.poll(() => w.trends.locator('circle').count()).toBeGreaterThanOrEqual(12);
      await saveScreen(page, '57-ward-chart-news2-raised');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      // The earlier reading was typed wrong: corrected from the table, the form starting from it; the wrong
      // row stays, marked entered in error, and the latest NEWS2 is untouched.
      await page
        .getByRole('button', { name: /^Correct the reading of / })
        .last()
        .click();
      await expect.poll(() => w.vital('Temperature').inputValue()).toBe('36.9');
      await w.vital('Temperature').fill('37.4');
      await w.saveVitals.click();
      await expect.poll(() => page.locator('table.observations tr.in-error').count()).toBe(1);
      await expect.poll(() => w.chartNews2.textContent()).toMatch(/NEWS2 1[5-9]/);
      await saveScreen(page, '57b-ward-reading-corrected');
      await page.keyboard.press('Escape');
      await expect.poll(() => w.bed('WA-01/3').textContent()).toContain('HIGH');

      // The round: scan Bert's band, then his medicine: right patient, right medicine, recorded once.
      await page.keyboard.press('Alt+m');
      await expect.poll(() => w.roundPatients.isVisible()).toBe(true);
      await w.scan(wristbandCode(ids.bert));
      await expect.poll(() => page.locator('.scan-steps').textContent()).toContain('Bert Roundson ✔');
      await w.scan(medicineCode(ids.paracetamol));
      await expect.poll(() => w.confirmDose.textContent()).toContain('Give');
      await saveScreen(page, '58-round-confirm-dose');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('Enter');
      await expect.poll(() => w.scanDone.textContent()).toContain('given to Bert Roundson');
      await saveScreen(page, '59-round-dose-recorded');
      const given = async () =>
        Number(
          (await suite.database.ownerPool.query(`SELECT count(*) FROM medication_administrations WHERE patient_id = $1`, [ids.bert]))
            .rows[0].count,
        );
      expect(await given()).toBe(1);

      // Cara's band while Bert's record is open: WRONG PATIENT, nothing recorded.
      await w.scan(wristbandCode(ids.cara));
      await expect.poll(() => w.scanStop.getAttribute('data-stop')).toBe('wrong-patient');
      await saveScreen(page, '60-round-wrong-patient');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      // Bert's band, then a medicine he has no order for: WRONG MEDICINE, nothing recorded.
      await w.scan(wristbandCode(ids.bert));
      await w.scan(medicineCode(ids.other));
      await expect.poll(() => w.scanStop.getAttribute('data-stop')).toBe('wrong-medicine');
      await saveScreen(page, '61-round-wrong-medicine');
      expect(await given()).toBe(1);
      await page.keyboard.press('Escape');
      // A wrong entry is corrected from the MAR: marked entered in error with a reason (a new row), and the
      // dose is due again, to be recorded as it really was.
      const givenDoses = page.getByTestId('dose').filter({ has: page.locator('.dose-state', { hasText: /^given$/ }) });
      await expect.poll(() => givenDoses.count()).toBe(1);
      await givenDoses.getByRole('button', { name: 'Entered in error…' }).click();
      await page.keyboard.type('Recorded against the wrong dose time');
      await page.keyboard.press('Enter');
      await expect.poll(() => givenDoses.count()).toBe(0);
      await saveScreen(page, '61b-round-entry-corrected');
      expect(await given()).toBe(2); // the dose as it was recorded, and the row that marks it entered in error
      // The doctor stops the order: it stays on Bert's MAR struck through, STOPPED, with nothing to record.
      await as('setup-doctor', 'pharmacy/cancel-order', { prescriptionId: ids.bertsOrder, reason: 'Changed to intravenous paracetamol' });
      await page.keyboard.press('Alt+b');
      await page.keyboard.press('Alt+m');
      await w.scan(wristbandCode(ids.bert));
      const stoppedOrder = page.getByTestId('mar-order').filter({ hasText: 'STOPPED' });
      await expect.poll(() => stoppedOrder.count()).toBe(1);
      expect(await stoppedOrder.getByRole('button').count()).toBe(0);
      await saveScreen(page, '61c-round-order-stopped');
      await page.keyboard.press('Escape');

      // Handover: prefilled SBAR per patient, the nurse's recommendation, printed on A4.
      await page.keyboard.press('Alt+o');
      await expect.poll(() => w.handover.textContent()).toContain('Anna Admitme');
      expect(await w.handover.textContent()).toContain('Fall at home, hip pain');
      await w.recommendation('Anna Admitme').fill('Medical review requested for NEWS2; repeat observations hourly.');
      await saveScreen(page, '62-ward-handover');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      expect(await w.handover.textContent()).toContain('repeat observations hourly');
      await saveScreen(page, '63-ward-handover-print');
      await page.emulateMedia({ media: 'screen' });

      // The link is cut: the ward shows its last-known copy under a red banner, and a downtime MAR to print.
      await page.keyboard.press('Alt+b');
      await ward.wardCopy!.refreshNow();
      proxy.cut();
      try {
        await expect.poll(() => shellPage(page).databaseState.textContent(), { timeout: 30_000 }).toContain('Offline');
        await expect.poll(() => w.offlineBanner.textContent()).toContain('Nothing clinical can be recorded now');
        await expect.poll(() => w.bed('WA-01/3').textContent()).toContain('Anna Admitme');
        expect(await w.offlineBanner.textContent()).toMatch(/as it was at \d/);
        await saveScreen(page, '64-ward-offline-last-known');
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.emulateMedia({ media: 'print' });
        expect(await w.downtimeMar.textContent()).toContain('Cara Roundson');
        await saveScreen(page, '65-ward-downtime-mar-print');
        await page.emulateMedia({ media: 'screen' });
      } finally {
        proxy.restore();
      }
      await expect.poll(() => shellPage(page).databaseState.textContent(), { timeout: 30_000 }).toContain('Connected');
    },
  );
  // Bed moves with the keyboard: a cleaned bed comes free, a patient moves bed, another goes home.
  it('a nurse completes a cleaning, transfers a patient and discharges one, from the board', { timeout: 90_000 }, async () => {
    const second = await openWorkstation(suite.browser, suite.core, 'ward-window-2');
    const page = second.page;
    const w = wardPage(page);
    await second.pushStatus();
    await signInPage(page).signIn('nurse@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => w.bed('WA-02/1').textContent()).toContain('To clean');

    await w.goToBed('WA-02/1');
    await page.keyboard.press('Alt+l');
    await w.expectNotice('Bed WA-02/1 is clean and free');
    await expect.poll(() => w.bed('WA-02/1').textContent()).toContain('Free');

    // Bert's chart: the SpO2 scale his doctor set, and the vitals form scoring on it; a nurse cannot change it.
    await w.goToBed('WA-01/1');
    await page.keyboard.press('Enter');
    await expect.poll(() => w.chartHeading.textContent(), { timeout: 20_000 }).toContain('Roundson, Bert');
    await expect.poll(() => page.getByTestId('saturation-scale').textContent()).toContain('Scale 2');
    expect(await page.getByTestId('saturation-scale').textContent()).toContain('COPD, CO2 retainer');
    await expect.poll(() => page.locator('.vitals-form, form').filter({ hasText: 'SpO2 scale 2' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Change scale' }).count()).toBe(0);
    await saveScreen(page, '65c-ward-chart-spo2-scale-2');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => w.bed('WA-01/1').isVisible()).toBe(true);

    await w.goToBed('WA-01/2');
    await page.keyboard.press('Alt+t');
    const transfer = page.getByRole('dialog', { name: /^Transfer Cara Roundson/ });
    await expect.poll(() => transfer.getByLabel('To bed').inputValue()).not.toBe('');
    // A click on another bed while the dialog is open leaves the dialog with Cara (it is pinned to her bed).
    await w.bed('WA-01/1').click();
    await expect.poll(() => w.activeBed.textContent()).toContain('WA-01/1');
    expect(await transfer.isVisible()).toBe(true);
    await transfer.getByLabel('To bed').focus();
    await transfer.getByLabel('To bed').selectOption({ label: 'WA-02/1' });
    await saveScreen(page, '66-ward-transfer-dialog');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await w.expectNotice('Cara Roundson moved to Ward A (Medical) bed WA-02/1');
    await expect.poll(() => w.bed('WA-01/2').textContent()).toContain('To clean');
    expect(await w.bed('WA-02/1').textContent()).toContain('Cara Roundson');

    await w.goToBed('WA-02/1');
    await page.keyboard.press('Alt+d');
    const discharge = page.getByRole('dialog', { name: /^Discharge Cara Roundson/ });
    await expect.poll(() => discharge.isVisible()).toBe(true);
    await page.keyboard.type('Recovered, home with family');
    await discharge.getByLabel('Destination').selectOption('home-with-support');
    await saveScreen(page, '67-ward-discharge-dialog');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await w.expectNotice('discharged; bed WA-02/1 is waiting to be cleaned');
    await expect.poll(() => w.bed('WA-02/1').textContent()).toContain('To clean');
    await saveScreen(page, '68-ward-board-after-moves');

    // A spill by a free bed: Alt+K asks housekeeping for it, from the board.
    await w.goToBed('WA-02/2');
    await page.keyboard.press('Alt+k');
    const clean = page.getByRole('dialog', { name: 'Ask for a clean at bed WA-02/2' });
    await expect.poll(() => clean.isVisible()).toBe(true);
    await clean.getByLabel('Notes').fill('Water on the floor by the sink');
    await saveScreen(page, '68b-ward-ask-for-a-clean');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await w.expectNotice('Spill clean asked for bed WA-02/2: housekeeping has it in their queue.');
    await second.context.close();
  });

  // The doctor's side of the SpO2 scale: her department's board, her patient's chart, a new scale with a reason.
  it("a doctor of the ward changes a patient's SpO2 scale from his chart, with a reason", { timeout: 90_000 }, async () => {
    const third = await openWorkstation(suite.browser, suite.core, 'ward-window-3');
    const page = third.page;
    const w = wardPage(page);
    await third.pushStatus();
    await signInPage(page).signIn('ward-doctor@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => w.heading.textContent()).toContain('Ward A');
    await expect.poll(() => w.bed('WA-01/1').textContent()).toContain('Bert Roundson');
    await w.goToBed('WA-01/1');
    await page.keyboard.press('Enter');
    await expect.poll(() => w.chartHeading.textContent(), { timeout: 20_000 }).toContain('Roundson, Bert');
    await expect.poll(() => page.getByTestId('saturation-scale').textContent()).toContain('Scale 2');

    await page.getByRole('button', { name: 'Change scale' }).click();
    await page.getByRole('radio', { name: /^Scale 1/ }).check();
    await page.getByLabel('Reason (at least 5 characters)').fill('CO2 normal on the gas, back to scale 1');
    await saveScreen(page, '65d-ward-chart-doctor-changes-spo2-scale');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save scale' }).click();
    await expect.poll(() => page.getByTestId('saturation-scale').textContent()).toContain('Scale 1');
    const shown = await page.getByTestId('saturation-scale').textContent();
    expect(shown).toContain('target ≥ 96 %');
    expect(shown).toContain('set by Dr Wren Ward');
    expect(shown).toContain('CO2 normal on the gas, back to scale 1');
    // The vitals form scores the next reading on the new scale.
    await expect.poll(() => page.locator('.vitals-form, form').filter({ hasText: 'SpO2 scale 1' }).count()).toBeGreaterThan(0);
    // His medicines on her chart include the order Dr Dana (another department) wrote (037).
    await expect.poll(() => page.getByRole('table', { name: /^Medication record of/ }).textContent()).toMatch(/paracetamol/i);
    await saveScreen(page, '65e-ward-chart-spo2-scale-1-by-doctor');
    await page.getByRole('table', { name: /^Medication record of/ }).scrollIntoViewIfNeeded();
    await saveScreen(page, '65f-ward-chart-doctor-sees-orders-of-other-departments');
    await third.context.close();
  });
});
