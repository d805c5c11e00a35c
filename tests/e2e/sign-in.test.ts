// End to end: the built renderer in Debian's Chromium, its window.clinic wired to the real
// main-process core on real PostgreSQL (see support/workstation.ts for what is not Electron).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { shellPage } from './pages/shell-page.js';
import { wardPage } from './pages/ward-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { seriousAccessibilityViolations as seriousViolations, useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen } from './support/workstation.js';

let dataDir: string;
const suite = useWorkstationSuite({
  databaseSettings: async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'clinic-e2e-'));
    // Not real here: the secret store is in memory (the keychain has its own test).
    const secrets = new Map<string, string>();
    return {
      dataDir,
      activeMode: 'embedded',
      env: {},
      secrets: { read: (a) => secrets.get(a) ?? null, save: (a, s) => void secrets.set(a, s) },
    };
  },
});
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

/** A new window where the administrator has signed in and opened Admin from the navigation. */
async function openAdminScreen(windowId: string) {
  const station = await openWorkstation(suite.browser, suite.core, windowId);
  await signInPage(station.page).signIn('admin@demo.clinic', suite.database.demoPassword);
  const shell = shellPage(station.page);
  await expect.poll(() => shell.signedInUser.textContent()).toContain('Alex Admin');
  await shell.navItem('Admin').click();
  await expect.poll(() => shell.screenHeading('Admin').isVisible()).toBe(true);
  return station;
}

// Each story signs in (argon2) and drives real Chromium: on a loaded 2-core machine up to ~10 s, so 60 s.
describe('sign-in', { timeout: 60_000 }, () => {
  it('signs a nurse in with the real credential check, shows the shell and her name, and signs out', async () => {
    const { page, context } = await openWorkstation(suite.browser, suite.core, 'ward-terminal-1');
    const signIn = signInPage(page);
    await expect.poll(() => signIn.heading.isVisible()).toBe(true);
    await expect.poll(() => signIn.databaseState.textContent()).toContain('Connected');
    await saveScreen(page, '01-sign-in');
    expect(await seriousViolations(page)).toEqual([]);

    await signIn.signIn('nurse@demo.clinic', suite.database.demoPassword);
    const shell = shellPage(page);
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Nia Nurse');
    expect(await shell.signedInUser.textContent()).toContain('Nurse');
    expect(await shell.databaseState.textContent()).toContain('Connected');
    expect(await shell.currentScreen.textContent()).toContain('Ward');
    // A nurse sees the ward, not the pharmacy's or the admin's screens.
    expect(await shell.nav.getByRole('button').allTextContents()).toEqual(['WardAlt+1', 'SchedulingAlt+2']);
    await saveScreen(page, '02-shell-ward-nurse');
    expect(await seriousViolations(page)).toEqual([]);

    // A patient in a bed of the nurse's own ward shows on her bed board (row level security hides other wards').
    const {
      rows: [inBed],
    } = await suite.database.ownerPool.query(
      `SELECT p.patient_id, p.last_name FROM room_assignments ra JOIN rooms r USING (room_id) JOIN departments d ON d.department_id = r.department_id
       JOIN patients p ON p.patient_id = ra.patient_id WHERE d.code = 'WA' AND ra.discharged_at IS NULL ORDER BY ra.assignment_id LIMIT 1`,
    );
    await expect.poll(() => wardPage(page).board.getByText(inBed.last_name, { exact: false }).count()).toBeGreaterThan(0);
    await saveScreen(page, '03-ward-bed-board');

    await page.keyboard.press('Alt+2');
    await expect.poll(() => shell.currentScreen.textContent()).toContain('Scheduling');
    await saveScreen(page, '04-scheduling-empty');

    await shell.signOut.click();
    await expect.poll(() => signIn.heading.isVisible()).toBe(true);
    expect(await signIn.email.inputValue()).toBe('');
    // The session is gone in main too, not just on screen.
    expect(await suite.core.dispatch('ward-terminal-1', 'session/get-current', {})).toEqual({ ok: true, value: null });
    await context.close();
  });

  it('shows a clear error for a wrong password and keeps the user on the sign-in screen', async () => {
    const { page, context } = await openWorkstation(suite.browser, suite.core, 'desk-terminal-1');
    const signIn = signInPage(page);
    await signIn.signIn('frontdesk@demo.clinic', 'not the password');
    await expect.poll(() => signIn.error.textContent()).toBe('The email or password is not correct.');
    expect(await signIn.password.inputValue()).toBe('');
    await saveScreen(page, '05-sign-in-wrong-password');
    expect(await seriousViolations(page)).toEqual([]);

    await signIn.signIn('not-an-email', 'x');
    await expect.poll(() => signIn.error.textContent()).toContain('valid email');
    await saveScreen(page, '06-sign-in-invalid-email');
    await context.close();
  });

  it('shows each role its own screens; an administrator reaches Admin', async () => {
    const { page, context } = await openAdminScreen('admin-terminal-1');
    await saveScreen(page, '07-shell-admin');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    const pharmacy = await openWorkstation(suite.browser, suite.core, 'pharmacy-terminal-1');
    await signInPage(pharmacy.page).signIn('pharmacist@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => shellPage(pharmacy.page).currentScreen.textContent()).toContain('Pharmacy');
    await saveScreen(pharmacy.page, '08-shell-pharmacy');
    await pharmacy.context.close();
  });

  it('lets an administrator point the workstation at a hospital server, tested for real before it is saved', async () => {
    const { page, context } = await openAdminScreen('admin-terminal-2');
    const cluster = new URL(inject('clusterUrl'));
    await page.getByLabel('A hospital server').check();
    await page.getByLabel('Server', { exact: true }).fill(cluster.hostname);
    await page.getByLabel('Port', { exact: true }).fill(cluster.port);
    await page.getByLabel('Database', { exact: true }).fill(suite.database.name);
    await page.getByLabel('User', { exact: true }).fill('clinic_test_app');
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByLabel('Encrypted connection (TLS, certificate checked)').uncheck();
    await page.getByRole('button', { name: 'Test and save' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The server refused that user name or password.');
    await saveScreen(page, '07b-admin-database-wrong-password');
    await page.getByLabel('Password', { exact: true }).fill(inject('appLoginPassword'));
    await page.getByRole('button', { name: 'Test and save' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved.');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await saveScreen(page, '07c-admin-database-saved');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('lets an administrator make this a front desk that books for one department (the book it keeps for offline work)', async () => {
    const { page, context } = await openAdminScreen('admin-terminal-3');
    await page.getByLabel('Stands in').selectOption('front_desk');
    await page.getByLabel('Books for').selectOption({ index: 1 });
    const department = await page.getByLabel('Books for').inputValue();
    await page.getByRole('button', { name: 'Save workstation' }).click();
    await expect.poll(() => page.getByText('Saved. It applies the next time the workstation starts.').isVisible()).toBe(true);
    await saveScreen(page, '07d-admin-front-desk-books-for');
    expect(await seriousViolations(page)).toEqual([]);
    const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8'));
    expect(saved).toMatchObject({ terminalRole: 'front_desk', terminalDepartmentId: Number(department) });
    await context.close();
  });

  it('tells the user when the database becomes unreachable', async () => {
    const { page, context, pushStatus } = await openWorkstation(suite.browser, suite.core, 'ward-terminal-2');
    await signInPage(page).signIn('doctor@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Dana Doctor');
    suite.core.monitor.report('unreachable', 'The database cannot be reached. Work saved on screen is kept.');
    await pushStatus();
    await expect.poll(() => shellPage(page).databaseState.textContent()).toContain('Offline');
    await saveScreen(page, '09-shell-database-unreachable');
    await suite.core.monitor.check();
    await pushStatus();
    await expect.poll(() => shellPage(page).databaseState.textContent()).toContain('Connected');
    await context.close();
  });

  it('runs the renderer under the strict CSP with no errors in the console', async () => {
    const { page, context } = await openWorkstation(suite.browser, suite.core, 'csp-check');
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    await page.reload();
    await expect.poll(() => signInPage(page).heading.isVisible()).toBe(true);
    // An inline script is refused by the policy.
    const ranInline = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ranInline).toBe(false);
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.isFrozen(window.clinic))).toBe(true);
    await context.close();
  });

  it('lets a user change their own password (the current one is required)', async () => {
    const { page, context } = await openWorkstation(suite.browser, suite.core, 'pharmacy-terminal-2');
    await signInPage(page).signIn('pharmacist@demo.clinic', suite.database.demoPassword);
    const shell = shellPage(page);
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Priya Pharmacist');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByLabel('Current password').fill('not it');
    await page.getByLabel('New password (at least 12 characters)').fill('priya new password');
    await page.getByLabel('New password again').fill('priya new password');
    await page.getByRole('button', { name: 'Change password' }).last().click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('current password is not correct');
    await page.getByLabel('Current password').fill(suite.database.demoPassword);
    await page.getByLabel('New password (at least 12 characters)').fill('priya new password');
    await page.getByLabel('New password again').fill('priya new password');
    await page.getByRole('button', { name: 'Change password' }).last().click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your password is changed');
    await saveScreen(page, '14-change-password');
    expect(await seriousViolations(page)).toEqual([]);
    await shell.signOut.click();
    await signInPage(page).signIn('pharmacist@demo.clinic', 'priya new password');
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Priya Pharmacist');
    await context.close();
  });
});
