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

  it('closes a controlled-drug count that differs from the register, with what was found', async () => {
    const { core, database } = suite;
    // A pharmacist counts a controlled drug and finds two units fewer than the register holds.
    const { rows } = await database.ownerPool.query(
      `SELECT l.medicine_id, sum(l.quantity_on_hand)::int AS book FROM medicine_lots l JOIN medicine m USING (medicine_id)
       WHERE m.is_controlled GROUP BY l.medicine_id HAVING sum(l.quantity_on_hand) > 2 ORDER BY l.medicine_id LIMIT 1`,
    );
    const { medicine_id: medicineId, book } = rows[0] as { medicine_id: number; book: number };
    const pharmacist = await core.dispatch('admin-count-pharmacist', 'session/sign-in', {
      email: 'pharmacist@demo.clinic',
      password: database.demoPassword,
    });
    expect(pharmacist.ok).toBe(true);
    const count = await core.dispatch('admin-count-pharmacist', 'pharmacy/record-controlled-count', {
      medicineId,
      countedQuantity: book - 2,
      note: 'Evening count',
    });
    expect(count).toMatchObject({ ok: true, value: { difference: -2 } });

    const { page, context } = await openWorkstation(suite.browser, suite.core, 'admin-3');
    await signInPage(page).signIn('admin@demo.clinic', suite.database.demoPassword);
    await expect.poll(() => shellPage(page).signedInUser.textContent()).toContain('Alex Admin');
    await page.keyboard.press('Alt+4');
    await page.getByRole('tab', { name: 'Controlled drug counts' }).click();
    // Ours among the open ones (the demo data holds others).
    const ours = page.getByRole('table', { name: 'Count differences' }).locator('tbody tr').filter({ hasText: 'Evening count' });
    await expect.poll(() => ours.count()).toBe(1);
    expect(await ours.textContent()).toContain('-2');
    await saveScreen(page, '25-admin-count-difference');
    expect(await serious(page)).toEqual([]);
    await ours.getByLabel('What was found').fill('Two ampoules broken, disposal not yet entered');
    await ours.getByRole('button', { name: 'Close it' }).click();
    await expect.poll(() => ours.count()).toBe(0);
    const closed = await database.ownerPool.query(
      `SELECT resolution FROM controlled_drug_counts WHERE medicine_id = $1 AND note = 'Evening count'`,
      [medicineId],
    );
    expect(closed.rows).toEqual([{ resolution: 'Two ampoules broken, disposal not yet entered' }]);
    await context.close();
  });
});
