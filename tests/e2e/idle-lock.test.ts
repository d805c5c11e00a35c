// Idle lock on a shared ward terminal, end to end in Chromium: the real core with a fake clock
// (advanced by the test), pushing 'session/locked' into the page as main does in the app.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { lockPage } from './pages/lock-page.js';
import { shellPage } from './pages/shell-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { createTestCore, launchBrowser, openWorkstation, saveScreen } from './support/workstation.js';

let database: TestDatabase;
let browser: Browser;
let core: ReturnType<typeof createTestCore>;
let clock = new Date('2026-11-26T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo');
  core = createTestCore(database, undefined, () => clock);
  await core.monitor.check();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await core?.close();
  await database?.drop();
});

async function idleFor(minutes: number, station: Awaited<ReturnType<typeof openWorkstation>>) {
  clock = new Date(clock.getTime() + minutes * 60_000);
  for (const { reason } of core.sessions.sweep()) await station.emit('session/locked', { reason });
}

describe('idle lock on a ward terminal', () => {
  it('locks after 5 idle minutes, hides the screen, unlocks for the same user, and switches to another user', async () => {
    const station = await openWorkstation(browser, core, 'ward-a');
    const { page } = station;
    await signInPage(page).signIn('nurse@demo.clinic', database.demoPassword);
    const shell = shellPage(page);
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Nia Nurse');
    const { rows: [onWard] } = await database.ownerPool.query(`SELECT patient_id, last_name FROM patients p JOIN departments d USING (department_id) WHERE d.code = 'WA' ORDER BY patient_id LIMIT 1`);
    await page.getByLabel('Patient number').fill(String(onWard.patient_id));
    await page.getByLabel('Patient number').press('Enter');
    await expect.poll(() => page.getByText(onWard.last_name, { exact: false }).count()).toBeGreaterThan(0);

    await idleFor(6, station);
    const lock = lockPage(page);
    await expect.poll(() => lock.heading.isVisible()).toBe(true);
    // Nothing of the patient stays in the page behind the lock.
    expect(await page.content()).not.toContain(onWard.last_name);
    await saveScreen(page, '10-lock-screen');

    await lock.password.fill('not my password');
    await lock.password.press('Enter');
    await expect.poll(() => lock.error.textContent()).toBe('The email or password is not correct.');
    await saveScreen(page, '11-lock-screen-wrong-password');
    await lock.password.fill(database.demoPassword);
    await lock.password.press('Enter');
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Nia Nurse');
    expect(await shell.currentScreen.textContent()).toContain('Ward');

    // Locked again; a doctor takes over the terminal without a restart.
    await page.getByLabel('Patient number').fill('12345');
    await idleFor(6, station);
    await expect.poll(() => lock.heading.isVisible()).toBe(true);
    await lock.switchUser.click();
    await saveScreen(page, '12-lock-screen-switch-user');
    await lock.switchEmail.fill('doctor@demo.clinic');
    await lock.password.fill(database.demoPassword);
    await lock.switchSubmit.click();
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Dana Doctor');
    // The nurse's half-typed input is gone, not shown to the doctor.
    expect(await page.getByLabel('Patient number').inputValue()).toBe('');
    await saveScreen(page, '13-switched-to-doctor');
    expect(await core.dispatch('ward-a', 'session/get-current', {})).toMatchObject({ ok: true, value: { user: { email: 'doctor@demo.clinic' } } });
    await station.context.close();
  });

  it('a call refused because the screen locked brings up the lock screen even without the push', async () => {
    const station = await openWorkstation(browser, core, 'ward-b');
    const { page } = station;
    await signInPage(page).signIn('nurse@demo.clinic', database.demoPassword);
    await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Nia Nurse');
    clock = new Date(clock.getTime() + 6 * 60_000); // no sweep, no push
    await page.getByLabel('Patient number').fill('1');
    await page.getByLabel('Patient number').press('Enter');
    await expect.poll(() => lockPage(page).heading.isVisible()).toBe(true);
    await station.context.close();
  });
});
