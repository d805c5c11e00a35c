// Idle lock on a shared ward terminal, end to end in Chromium: the real core with a fake clock
// (advanced by the test), pushing 'session/locked' into the page as main does in the app.
import { describe, expect, it } from 'vitest';
import { lockPage } from './pages/lock-page.js';
import { schedulingPage } from './pages/scheduling-page.js';
import { shellPage } from './pages/shell-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen } from './support/workstation.js';

let clock = new Date('2026-11-26T10:00:00Z');
const suite = useWorkstationSuite({ now: () => clock });

async function idleFor(minutes: number, station: Awaited<ReturnType<typeof openWorkstation>>) {
  clock = new Date(clock.getTime() + minutes * 60_000);
  for (const { reason } of suite.core.sessions.sweep()) await station.emit('session/locked', { reason });
}

describe('idle lock on a ward terminal', () => {
  it('locks after 5 idle minutes, hides the screen, unlocks for the same user, and switches to another user', async () => {
    const station = await openWorkstation(suite.browser, suite.core, 'ward-a');
    const { page } = station;
    await signInPage(page).signIn('nurse@demo.clinic', suite.database.demoPassword);
    const shell = shellPage(page);
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Nia Nurse');
    // A patient in a bed of her ward is on screen (the bed board) before the lock.
    const {
      rows: [onWard],
    } = await suite.database.ownerPool.query(
      `SELECT p.patient_id, p.last_name FROM room_assignments ra JOIN rooms r USING (room_id) JOIN departments d ON d.department_id = r.department_id
       JOIN patients p ON p.patient_id = ra.patient_id WHERE d.code = 'WA' AND ra.discharged_at IS NULL ORDER BY ra.assignment_id LIMIT 1`,
    );
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
    await lock.password.fill(suite.database.demoPassword);
    await lock.password.press('Enter');
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Nia Nurse');
    expect(await shell.currentScreen.textContent()).toContain('Ward');

    // Locked again, with a half-typed search on Scheduling; a doctor takes over the terminal without a restart.
    await page.keyboard.press('Alt+2');
    await schedulingPage(page).search.fill('Garc');
    await idleFor(6, station);
    await expect.poll(() => lock.heading.isVisible()).toBe(true);
    await lock.switchUser.click();
    await saveScreen(page, '12-lock-screen-switch-user');
    await lock.switchEmail.fill('doctor@demo.clinic');
    await lock.password.fill(suite.database.demoPassword);
    await lock.switchSubmit.click();
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Dana Doctor');
    // The nurse's half-typed input is gone, not shown to the doctor (her Scheduling is Alt+3).
    await page.keyboard.press('Alt+3');
    await expect.poll(() => shell.currentScreen.textContent()).toContain('Scheduling');
    expect(await schedulingPage(page).search.inputValue()).toBe('');
    await saveScreen(page, '13-switched-to-doctor');
    expect(await suite.core.dispatch('ward-a', 'session/get-current', {})).toMatchObject({
      ok: true,
      value: { user: { email: 'doctor@demo.clinic' } },
    });
    await station.context.close();
  });

  it('a call refused because the screen locked brings up the lock screen even without the push', async () => {
    const station = await openWorkstation(suite.browser, suite.core, 'ward-b');
    const { page } = station;
    await signInPage(page).signIn('nurse@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Nia Nurse');
    clock = new Date(clock.getTime() + 6 * 60_000); // no sweep, no push
    // Any call now finds the session locked: the census asks the database.
    await page.keyboard.press('Alt+C');
    await expect.poll(() => lockPage(page).heading.isVisible()).toBe(true);
    await station.context.close();
  });
});
