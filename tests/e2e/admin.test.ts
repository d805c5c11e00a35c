// The Admin screen end to end in Chromium on the real core and PostgreSQL: users (TanStack Table),
// a new user's first password through a one-time code, deactivation, and sign-in settings.
import { describe, expect, it } from 'vitest';
import { adminPage } from './pages/admin-page.js';
import { shellPage } from './pages/shell-page.js';
import { signInPage } from './pages/sign-in-page.js';
import { seriousAccessibilityViolations as serious, useWorkstationSuite } from './support/suite.js';
import { openWorkstation, saveScreen } from './support/workstation.js';

const suite = useWorkstationSuite();

// Real Chromium and argon2 sign-ins: up to ~8 s on a loaded 2-core machine, so 60 s.
describe('admin', { timeout: 60_000 }, () => {
  // A long story (create, set the password by code, sign in, reuse the code, deactivate; 4 screens, 2 axe checks): up to ~14 s on a busy 2-core machine.
  it('creates a user whose first password is set with a one-time code, then deactivates them', { timeout: 60_000 }, async () => {
    const { page, context } = await openWorkstation(suite.browser, suite.core, 'admin-1');
    await signInPage(page).signIn('admin@demo.clinic', suite.database.demoPassword);
    const shell = shellPage(page);
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Alex Admin');
    await page.keyboard.press('Alt+4');
    const admin = adminPage(page);
    // One demo user per role (eight since migration 027's operations roles).
    await expect.poll(() => admin.userRows.count()).toBe(8);
    await admin.sortBy('Email');
    expect(await admin.userRows.first().textContent()).toContain('admin@demo.clinic');
    await admin.sortBy('Email');
    expect(await admin.userRows.first().textContent()).toContain('pharmacist@demo.clinic');
    await saveScreen(page, '20-admin-users');
    expect(await serious(page)).toEqual([]);

    await admin.newUserName.fill('Olu Orderly');
    await admin.newUserEmail.fill('olu.orderly@demo.clinic');
    await admin.newUserRole('Nurse').check();
    await admin.createUser.click();
    await expect.poll(() => admin.resetCode.isVisible()).toBe(true);
    const code = (await admin.resetCode.textContent())!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => admin.userRows.count()).toBe(9);
    await saveScreen(page, '21-admin-user-created-with-code');
    await shell.signOut.click();

    // The new nurse sets her password with the code and signs in.
    const signIn = signInPage(page);
    await page.getByRole('button', { name: 'Have a one-time code from an administrator?' }).click();
    await page.getByLabel('Email').fill('olu.orderly@demo.clinic');
    await page.getByLabel('One-time code').fill(code);
    await page.getByLabel('New password (at least 12 characters)').fill('olu first password');
    await page.getByLabel('New password again').fill('olu first password');
    await saveScreen(page, '22-set-password-with-code');
    expect(await serious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your password is set');
    await signIn.signIn('olu.orderly@demo.clinic', 'olu first password');
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Olu Orderly');
    await shell.signOut.click();

    // The code is spent.
    await page.getByRole('button', { name: 'Have a one-time code from an administrator?' }).click();
    await page.getByLabel('Email').fill('olu.orderly@demo.clinic');
    await page.getByLabel('One-time code').fill(code);
    await page.getByLabel('New password (at least 12 characters)').fill('another password!!');
    await page.getByLabel('New password again').fill('another password!!');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');
    await page.getByRole('button', { name: 'Back to sign in' }).click();

    // The admin deactivates her: she can no longer sign in.
    await signIn.signIn('admin@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => shell.signedInUser.textContent()).toContain('Alex Admin');
    await page.keyboard.press('Alt+4');
    await admin.rowAction('Deactivate', 'Olu Orderly').click();
    await expect.poll(() => admin.notice.textContent()).toContain('deactivated');
    await saveScreen(page, '23-admin-user-deactivated');
    expect(
      (await suite.core.dispatch('other', 'session/sign-in', { email: 'olu.orderly@demo.clinic', password: 'olu first password' })).ok,
    ).toBe(false);
    await context.close();
  });

  it('refuses to switch the idle lock off, and saves a valid change', async () => {
    const { page, context } = await openWorkstation(suite.browser, suite.core, 'admin-2');
    await signInPage(page).signIn('admin@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Alex Admin');
    await page.keyboard.press('Alt+4');
    const admin = adminPage(page);
    await admin.idleMinutes('Ward terminals').fill('0');
    await admin.saveSecurity.click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('idleMinutes.ward');
    await saveScreen(page, '24-admin-idle-lock-refused');
    await admin.idleMinutes('Ward terminals').fill('4');
    await admin.saveSecurity.click();
    await expect.poll(() => page.getByText('Saved. New sign-ins use these settings.').isVisible()).toBe(true);
    const { rows } = await suite.database.ownerPool.query(`SELECT idle_minutes FROM terminal_idle_settings WHERE terminal_role = 'ward'`);
    expect(rows[0].idle_minutes).toBe(4);
    await context.close();
  });
});
