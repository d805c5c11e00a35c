// The appointment book end to end in Chromium: a clerk books a patient without touching the mouse,
// meets a clash made meanwhile by another terminal and takes a next free slot with one key, and
// prints the day list; then the book's other views. Real core, real PostgreSQL; only Electron's IPC transport is not real.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shellPage } from './pages/shell-page.js';
import { registerPage } from './pages/register-page.js';
import { schedulingPage } from './pages/scheduling-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { seriousAccessibilityViolations, useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen } from './support/workstation.js';

const suite = useWorkstationSuite();

const localIso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
// Next Monday, at least 3 days ahead: a working day whose slots are all in the future.
const target = new Date();
target.setDate(target.getDate() + 3);
while (target.getDay() !== 1) target.setDate(target.getDate() + 1);
const date = localIso(target);

// Two patients called Maria Garcia, told apart by birth date: both tests look for the first.
let maria: number;
beforeAll(async () => {
  const o = suite.database.ownerPool;
  maria = (
    await o.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth, contact_number, address) VALUES ('Maria', 'Garcia', '1980-02-03', '0411000001', '1 Elm St, Springfield') RETURNING patient_id`,
    )
  ).rows[0].patient_id;
  await o.query(
    `INSERT INTO patients (first_name, last_name, date_of_birth, contact_number, address) VALUES ('Maria', 'Garcia', '1991-07-15', '0411000002', '9 Oak Ave, Shelbyville')`,
  );
});

/** Moves the book to the target Monday with the keyboard. */
async function goToTargetDay(page: Page) {
  const book = schedulingPage(page);
  await book.goForwardTo(target);
  await expect.poll(() => book.slots.isVisible()).toBe(true);
}

describe('scheduling', () => {
  // A long story (a booking, a clash, its next free slot, the print; 7 screens saved, 3 axe checks): up to ~12 s on a busy 2-core machine.
  it('books a patient using only the keyboard, then takes a next free slot after a clash', { timeout: 60_000 }, async () => {
    const { database, core } = suite;
    const o = database.ownerPool;
    const doctors = await core.dispatch('probe', 'scheduling/list-doctors', {});
    const probe = await core.dispatch('probe', 'session/sign-in', { email: 'frontdesk@demo.clinic', password: database.demoPassword });
    expect(probe.ok).toBe(true);
    const list = await core.dispatch('probe', 'scheduling/list-doctors', {});
    const firstDoctor = (list as { ok: true; value: { doctorId: number; slotMinutes: number }[] }).value[0]!;
    expect(doctors.ok).toBe(false); // before sign-in: Unauthorized
    // Clear that day so the slot times are known.
    await o.query(
      `UPDATE appointments SET status = 'Cancelled', cancel_reason = 'test set-up' WHERE doctor_id = $1 AND appointment_date = $2 AND status = 'Scheduled'`,
      [firstDoctor.doctorId, date],
    );

    const { page, context } = await openWorkstation(suite.browser, core, 'desk-1');
    const signIn = signInPage(page);
    await signIn.email.waitFor();
    await page.keyboard.type('frontdesk@demo.clinic');
    await page.keyboard.press('Tab');
    await page.keyboard.type(database.demoPassword);
    await page.keyboard.press('Enter');
    await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Frank');
    await page.keyboard.press('Alt+2');
    const book = schedulingPage(page);
    await expect.poll(() => book.heading.isVisible()).toBe(true);
    await saveScreen(page, '30-scheduling-empty');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Search → pick (the search field has focus when the screen opens).
    await page.keyboard.type('garcia, maria');
    await expect.poll(() => book.results.count()).toBeGreaterThanOrEqual(2);
    expect(await book.results.nth(0).textContent()).toContain('born 1980-02-03');
    expect(await book.results.nth(1).textContent()).toContain('born 1991-07-15');
    await saveScreen(page, '31-scheduling-search-two-marias');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect.poll(() => book.chosenPatient.textContent()).toContain(`#${maria}`);

    // Move to the day, then through the slots, and confirm.
    await goToTargetDay(page);
    await saveScreen(page, '31b-scheduling-day-chosen');
    await page.keyboard.press('Alt+s');
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowDown'); // 08:00 → 09:00 with 15-minute slots
    const chosen = (await book.activeSlot.locator('.slot-time').textContent())!;
    await page.keyboard.press('Enter');
    await expect.poll(() => book.bookingPanel.isVisible()).toBe(true);
    await page.keyboard.type('Blood pressure review');
    await saveScreen(page, '32-scheduling-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => book.notice.textContent()).toContain(`at ${chosen}`);
    await saveScreen(page, '33-scheduling-booked');
    const booked = await o.query(
      `SELECT purpose, to_char(appointment_time, 'HH24:MI') AS time FROM appointments WHERE patient_id = $1 AND appointment_date = $2 AND status = 'Scheduled'`,
      [maria, date],
    );
    expect(booked.rows).toEqual([{ purpose: 'Blood pressure review', time: chosen }]);

    // Another terminal takes the next slot while this screen still shows it free.
    const other = (
      await o.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Other', 'Terminal', '1975-05-05') RETURNING patient_id`,
      )
    ).rows[0].patient_id;
    const nextTime = (await book.slot(chosen).locator('xpath=following-sibling::li[1]').locator('.slot-time').textContent())!;
    await o.query(
      `INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes) VALUES ($1, $2, $3, $4, $5)`,
      [other, firstDoctor.doctorId, date, nextTime, firstDoctor.slotMinutes],
    );
    const walkIn = (
      await o.query(`INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Walk', 'Inn', '1999-09-09') RETURNING patient_id`)
    ).rows[0].patient_id;
    await page.keyboard.press('Alt+p');
    await page.keyboard.type('inn walk');
    await expect.poll(() => book.results.count()).toBeGreaterThanOrEqual(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => book.chosenPatient.textContent()).toContain(`#${walkIn}`);
    await page.keyboard.press('Alt+s');
    // The list kept its place on the booked slot: one down is the slot taken meanwhile.
    await page.keyboard.press('ArrowDown');
    expect(await book.activeSlot.locator('.slot-time').textContent()).toBe(nextTime);
    await page.keyboard.press('Enter');
    await expect.poll(() => book.bookingPanel.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => book.clash.textContent()).toContain(`already booked at ${nextTime}`);
    await saveScreen(page, '34-scheduling-clash-next-free');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const firstAlternative = (await book.clash.getByRole('button').first().textContent())!;
    await page.keyboard.press('1');
    await expect.poll(() => book.clash.count()).toBe(0);
    await page.keyboard.press('Enter'); // purpose field has focus again; Enter confirms
    await expect.poll(() => book.notice.textContent()).toContain('Booked: Inn, Walk');
    expect(firstAlternative).toContain(':');
    const walkInBooked = await o.query(`SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1 AND status = 'Scheduled'`, [
      walkIn,
    ]);
    expect(walkInBooked.rows[0].n).toBe(1);

    // The day list prints without the controls.
    await page.emulateMedia({ media: 'print' });
    await saveScreen(page, '35-scheduling-day-list-print');
    expect(await page.getByRole('button', { name: 'Print day list' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });

  // A long story (registration, a department's day, the week; 4 screens saved, 3 axe checks): up to ~12 s on a busy 2-core machine.
  it(
    'offers the possible duplicates before registering, then shows the day of a whole department, the week and the shortcut list',
    { timeout: 60_000 },
    async () => {
      const { database, core } = suite;
      const o = database.ownerPool;
      const { page, context } = await openWorkstation(suite.browser, core, 'desk-2');
      await signInPage(page).signIn('frontdesk@demo.clinic', database.demoPassword);
      await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Frank');
      await page.keyboard.press('Alt+2');
      const book = schedulingPage(page);
      await expect.poll(() => book.heading.isVisible()).toBe(true);
      // The book opens on its first doctor.
      await expect.poll(() => book.bookOf.inputValue()).toMatch(/^doctor:\d+$/);
      const firstDoctor = { doctorId: Number((await book.bookOf.inputValue()).slice('doctor:'.length)) };
      await goToTargetDay(page);

      // Registering someone already on file: the possible duplicates come first; 1 takes the existing record.
      await page.keyboard.press('Alt+n');
      const form = registerPage(page);
      await expect.poll(() => form.dialog.isVisible()).toBe(true);
      await page.keyboard.type('Garcia');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Maria');
      await form.dateOfBirth.fill('1980-02-03');
      await form.dateOfBirth.press('Enter');
      await expect.poll(() => form.duplicates.isVisible()).toBe(true);
      expect(await form.duplicates.textContent()).toContain(`#${maria}`);
      await saveScreen(page, '35b-register-possible-duplicate');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('1');
      await expect.poll(() => book.chosenPatient.textContent()).toContain(`#${maria}`);
      expect(
        (
          await o.query(
            `SELECT count(*)::int AS n FROM patients WHERE last_name = 'Garcia' AND first_name = 'Maria' AND date_of_birth = '1980-02-03'`,
          )
        ).rows[0].n,
      ).toBe(1);

      // The whole department's day: one slot list per doctor, and its printable day list.
      const department = (await o.query(`SELECT department_id FROM doctors WHERE doctor_id = $1`, [firstDoctor.doctorId])).rows[0]
        .department_id;
      const colleagues = (await o.query(`SELECT count(*)::int AS n FROM doctors WHERE department_id = $1 AND is_active`, [department]))
        .rows[0].n;
      await book.bookOf.selectOption(`department:${department}`);
      await expect.poll(() => book.dayHeading.textContent()).toContain('All doctors of');
      await expect.poll(() => book.doctorSlotLists.count()).toBe(Math.min(colleagues, 20));
      await saveScreen(page, '35c-scheduling-department-day');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      await saveScreen(page, '35d-scheduling-department-day-list-print');
      await page.emulateMedia({ media: 'screen' });
      await book.bookOf.selectOption(`doctor:${firstDoctor.doctorId}`);

      // Week view (Alt+W) and the shortcut list (Alt+H).
      await page.keyboard.press('Alt+w');
      await expect.poll(() => page.getByRole('group', { name: 'Week' }).isVisible()).toBe(true);
      await page.keyboard.press('Alt+h');
      await expect.poll(() => page.getByRole('table', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
      await saveScreen(page, '36-scheduling-week-and-shortcuts');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await context.close();
    },
  );
});
