// The hospital's services end to end in Chromium on the real core and PostgreSQL: a billing clerk takes
// a part payment and prints the invoice, a dispatcher dispatches a vehicle and moves its run on,
// housekeeping completes a clean, and an administrator changes a room type's daily rate.
import { describe, expect, it } from 'vitest';
import { ambulancePage } from './pages/ambulance-page.js';
import { billingPage } from './pages/billing-page.js';
import { housekeepingPage } from './pages/housekeeping-page.js';
import { referenceDataPage } from './pages/reference-data-page.js';
import { shellPage } from './pages/shell-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { seriousAccessibilityViolations as serious, useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen } from './support/workstation.js';

const suite = useWorkstationSuite();

async function signedIn(windowId: string, email: string, name: string) {
  const workstation = await openWorkstation(suite.browser, suite.core, windowId);
  await signInPage(workstation.page).signIn(email, suite.database.demoPassword);
  await expect.poll(() => shellPage(workstation.page).signedInUser.textContent()).toContain(name);
  return workstation;
}

describe('operations', () => {
  it('a billing clerk takes a part payment and prints the invoice', { timeout: 60_000 }, async () => {
    const { page, context } = await signedIn('billing-1', 'billing@demo.clinic', 'Bea Billing');
    const shell = shellPage(page);
    expect(await shell.nav.getByRole('button').allTextContents()).toEqual(['BillingAlt+1']);
    const billing = billingPage(page);
    await expect.poll(() => billing.owingPatients.count()).toBeGreaterThan(0);
    await saveScreen(page, '80-billing-who-owes');
    expect(await serious(page)).toEqual([]);

    await billing.owingPatients.first().click();
    await expect.poll(() => billing.takePaymentButtons.count()).toBeGreaterThan(0);
    const billId = (await billing.takePaymentButtons.first().getAttribute('aria-label'))!.match(/(\d+)$/)![1]!;
    await billing.takePaymentOn(billId).click();
    await billing.paymentAmount.fill('10.00');
    await billing.paymentMethod.selectOption('cash');
    await billing.submitPayment.click();
    await expect.poll(() => billing.notice.textContent()).toContain(`Payment taken on bill ${billId}`);
    const row = billing.billRows.filter({ hasText: new RegExp(`^${billId}`) });
    await expect.poll(() => row.textContent()).toContain('Part paid');
    const { rows } = await suite.database.ownerPool.query(`SELECT status, paid_amount::text FROM billing WHERE bill_id = $1`, [billId]);
    expect(rows[0].status).toBe('PartiallyPaid');
    await saveScreen(page, '81-billing-part-payment');
    expect(await serious(page)).toEqual([]);

    // Print: only the invoice (billing.css's print rules), and the print dialog is asked for.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await billing.printInvoice.click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.evaluate(() => (document.body.dataset.billingPrint = 'invoice'));
    await page.emulateMedia({ media: 'print' });
    expect(await billing.side.isVisible()).toBe(false);
    expect(await billing.printInvoice.isVisible()).toBe(false);
    await saveScreen(page, '82-billing-invoice-print');
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });

  it('a dispatcher dispatches a vehicle and moves its run on', { timeout: 60_000 }, async () => {
    const { page, context } = await signedIn('dispatch-1', 'dispatch@demo.clinic', 'Dev Dispatcher');
    const ambulance = ambulancePage(page);
    await expect.poll(() => ambulance.vehicle('AMB-02').textContent()).toContain('Available');
    await expect.poll(() => ambulance.responseTimes.locator('tbody tr').count()).toBe(7);
    await saveScreen(page, '83-ambulance-fleet');
    expect(await serious(page)).toEqual([]);

    await ambulance.dispatch('AMB-02').click();
    await ambulance.pickup.fill('Riverside School');
    await saveScreen(page, '84-ambulance-dispatch-form');
    expect(await serious(page)).toEqual([]);
    await ambulance.submitDispatch('AMB-02').click();
    await expect.poll(() => ambulance.notice.textContent()).toContain('AMB-02 dispatched to Riverside School');
    await expect.poll(() => ambulance.vehicle('AMB-02').textContent()).toContain('On call');
    await ambulance.step('AMB-02', 'en route').click();
    await expect.poll(() => ambulance.vehicle('AMB-02').textContent()).toContain('En route since');
    await ambulance.step('AMB-02', 'arrived').click();
    await expect.poll(() => ambulance.vehicle('AMB-02').textContent()).toContain('Arrived since');
    const { rows } = await suite.database.ownerPool.query(
      `SELECT l.status FROM ambulance_log l JOIN ambulance a USING (ambulance_id) WHERE a.vehicle_number = 'AMB-02' ORDER BY log_id DESC LIMIT 1`,
    );
    expect(rows[0].status).toBe('Arrived');
    await saveScreen(page, '85-ambulance-run-arrived');
    expect(await serious(page)).toEqual([]);
    await context.close();
  });

  it('housekeeping completes a clean and the bed is free again', { timeout: 60_000 }, async () => {
    const { page, context } = await signedIn('housekeeping-1', 'housekeeping@demo.clinic', 'Hana Housekeeping');
    const queue = housekeepingPage(page);
    await expect.poll(() => queue.row('WB-05 bed 2').textContent()).toContain('Overdue');
    await saveScreen(page, '86-housekeeping-queue');
    expect(await serious(page)).toEqual([]);

    await queue.complete('WB-05 bed 2').click();
    await expect.poll(() => queue.notice.textContent()).toContain('WB-05 bed 2: clean, available again.');
    await expect.poll(() => queue.closedToday.textContent()).toContain('WB-05 bed 2');
    const { rows } = await suite.database.ownerPool.query(
      `SELECT s.state FROM ward_bed_states(NULL) s JOIN rooms r USING (room_id) WHERE r.room_number = 'WB-05' AND s.bed_number = 2`,
    );
    expect(rows[0].state).toBe('free');
    await saveScreen(page, '87-housekeeping-completed');
    expect(await serious(page)).toEqual([]);

    // A spill by bed 3 of WA-02: asked for by typing the room's number; a number no room has is refused on screen.
    await queue.ask.open.click();
    await queue.ask.room.fill('WA-99');
    await expect.poll(() => queue.ask.roomHint.textContent()).toContain('No room has this number.');
    expect(await queue.ask.submit.isDisabled()).toBe(true);
    await queue.ask.room.fill('wa-02');
    await expect.poll(() => queue.ask.roomHint.textContent()).toContain('bed(s)');
    await queue.ask.bed.selectOption('3');
    await queue.ask.kind.selectOption('Spill');
    await queue.ask.notes.fill('Tea spilt by the bed');
    await saveScreen(page, '87b-housekeeping-ask-for-a-clean');
    expect(await serious(page)).toEqual([]);
    await queue.ask.submit.click();
    await expect.poll(() => queue.notice.textContent()).toContain('Spill clean asked for WA-02 bed 3: it is in the queue.');
    await expect.poll(() => queue.row('WA-02 bed 3').textContent()).toContain('Tea spilt by the bed');
    expect(await queue.row('WA-02 bed 3').textContent()).toContain('Spill');
    expect(await queue.ask.room.count()).toBe(0); // the form closed; the queue is in view again
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Ask for a clean'); // keyboard back on the button
    await saveScreen(page, '87c-housekeeping-spill-in-queue');
    await context.close();
  });

  it(
    "an administrator changes a room type's daily rate, links a new nurse's account to her ward and adds a doctor",
    { timeout: 60_000 },
    async () => {
      // The account a new nurse was given (Admin → Users), before the screen reads the accounts.
      await suite.database.ownerPool.query(
        `INSERT INTO users (email, password_hash, display_name)
       VALUES ('nell.newly@test.clinic', 'unusable', 'Nell Newly'), ('nadia.newcombe@test.clinic', 'unusable', 'Nadia Newcombe')`,
      );
      // Only accounts with the doctor role are offered to a doctor.
      await suite.database.ownerPool.query(
        `INSERT INTO user_roles (user_id, role_id) SELECT u.user_id, r.role_id FROM users u, roles r
         WHERE u.email = 'nadia.newcombe@test.clinic' AND r.role_name = 'doctor'`,
      );
      const { page, context } = await signedIn('admin-ops', 'admin@demo.clinic', 'Alex Admin');
      await shellPage(page).navItem('Admin').click();
      const reference = referenceDataPage(page);
      await reference.tab.click();
      await expect.poll(() => reference.dailyRate('Private').inputValue()).toBe('420.00');
      await reference.dailyRate('Private').fill('-5');
      await reference.save('Private').click();
      await expect.poll(() => reference.error.first().textContent()).toContain('Enter an amount like');
      await reference.dailyRate('Private').fill('455.50');
      await reference.save('Private').click();
      await expect.poll(() => reference.notice.textContent()).toContain('Private saved.');
      const { rows } = await suite.database.ownerPool.query(`SELECT daily_rate::text FROM room_types WHERE type_name = 'Private'`);
      expect(rows[0].daily_rate).toBe('455.50');
      await saveScreen(page, '88-admin-reference-data');
      expect(await serious(page)).toEqual([]);

      // A new nurse: her staff row in Ward A, linked to the sign-in account made for her, which then has that ward.
      await reference.newStaff.firstName.fill('Nell');
      await reference.newStaff.lastName.fill('Newly');
      await reference.newStaff.role.selectOption('nurse');
      await reference.newStaff.department.selectOption({ label: 'Ward A (Medical)' });
      await expect.poll(() => reference.newStaff.account.locator('option', { hasText: 'nell.newly@test.clinic' }).count()).toBe(1);
      await reference.newStaff.account.selectOption({ label: 'nell.newly@test.clinic (Nell Newly)' });
      await saveScreen(page, '88b-admin-new-member-of-staff');
      await reference.newStaff.add.click();
      await expect.poll(() => reference.notice.textContent()).toContain('Nell Newly saved.');
      await expect.poll(() => reference.staff.locator('tbody tr', { hasText: 'Newly, Nell' }).count()).toBe(1);
      const staffRow = await suite.database.ownerPool.query(
        `SELECT d.name AS ward, u.email FROM staff s JOIN departments d USING (department_id) JOIN users u USING (user_id) WHERE s.last_name = 'Newly'`,
      );
      expect(staffRow.rows).toEqual([{ ward: 'Ward A (Medical)', email: 'nell.newly@test.clinic' }]);
      expect(await serious(page)).toEqual([]);

      // A new doctor: their row, hours and licence, linked to the account they will prescribe from.
      await reference.newDoctor.firstName.fill('Nadia');
      await reference.newDoctor.lastName.fill('Newcombe');
      await reference.newDoctor.specialization.fill('Geriatrics');
      await reference.newDoctor.department.selectOption({ label: 'Ward A (Medical)' });
      await reference.newDoctor.licence.fill('GMC-7700123');
      await expect.poll(() => reference.newDoctor.account.locator('option', { hasText: 'nadia.newcombe@test.clinic' }).count()).toBe(1);
      await reference.newDoctor.account.selectOption({ label: 'nadia.newcombe@test.clinic (Nadia Newcombe)' });
      await reference.newDoctor.hours.fill('Mon 08:00-12:00; Wed 13:00-17:00');
      await reference.doctors.scrollIntoViewIfNeeded();
      await saveScreen(page, '88c-admin-new-doctor');
      await reference.newDoctor.add.click();
      await expect.poll(() => reference.notice.textContent()).toContain('Dr Nadia Newcombe saved.');
      await expect.poll(() => reference.doctors.locator('tbody tr', { hasText: 'Newcombe, Nadia' }).count()).toBe(1);
      const doctorRow = await suite.database.ownerPool.query(
        `SELECT u.email, d.license_number, (SELECT count(*)::int FROM doctor_working_hours h WHERE h.doctor_id = d.doctor_id) AS shifts
       FROM doctors d JOIN users u USING (user_id) WHERE d.last_name = 'Newcombe'`,
      );
      expect(doctorRow.rows).toEqual([{ email: 'nadia.newcombe@test.clinic', license_number: 'GMC-7700123', shifts: 2 }]);
      await reference.doctors.scrollIntoViewIfNeeded();
      await saveScreen(page, '88d-admin-doctor-added');
      expect(await serious(page)).toEqual([]);
      await context.close();
    },
  );
});
