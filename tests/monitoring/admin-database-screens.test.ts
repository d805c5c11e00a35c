// Admin → Database and Admin → Audit end to end in Chromium on the real core and PostgreSQL (needs
// `npm run build`): the health screen, the status light an administrator sees, the audit viewer's
// "who opened this chart" and the chain check. Screens saved under test-results/screens/.
import { describe, expect, it } from 'vitest';
import { configureMonitoringHost, resetMonitoringHost } from '../../main/monitoring/index.js';
import { shellPage } from '../e2e/pages/shell-page.js';
import { signInPage } from '../e2e/pages/sign-in-page.js';
import { seriousAccessibilityViolations as serious, useWorkstationSuite } from '../e2e/support/suite.js';
import { openWorkstation, saveScreen } from '../e2e/support/workstation.js';

const suite = useWorkstationSuite();

describe('Admin → Database and Audit', () => {
  it(
    'shows the health screen, lights the status light for a failed backup, and finds who opened a chart',
    { timeout: 60_000 },
    async () => {
      configureMonitoringHost({ backupFailure: () => 'the copy to the backup folder stopped: no space left on device' });
      try {
        const { page } = await openWorkstation(suite.browser, suite.core, 'admin-db');
        await signInPage(page).signIn('admin@demo.clinic', suite.database.demoPassword);
        const shell = shellPage(page);
        await shell.navItem('Admin').click();
        const light = page.getByTestId('health-light');
        await expect.poll(() => light.textContent()).toContain('Database needs attention: 1');

        await page.getByRole('tab', { name: 'Database' }).click();
        await expect.poll(() => page.getByRole('table', { name: 'Tables' }).locator('tbody tr').count()).toBeGreaterThan(20);
        expect(await page.getByRole('heading', { name: /Queries running longer than 5 min/ }).count()).toBe(1);
        await saveScreen(page, '80-admin-database-health');
        expect(await serious(page)).toEqual([]);

        // A chart opened, then found from Admin → Audit.
        const patientId = (await suite.database.ownerPool.query('SELECT patient_id FROM patients ORDER BY patient_id LIMIT 1')).rows[0]
          .patient_id;
        expect(await suite.core.dispatch('admin-db', 'patients/open-chart', { patientId })).toMatchObject({ ok: true });
        await page.getByRole('tab', { name: 'Audit' }).click();
        await page.getByLabel('Patient number').fill(String(patientId));
        await page.getByRole('button', { name: 'Who opened this chart' }).click();
        const grid = page.getByRole('grid', { name: 'Audit trail' });
        await expect.poll(() => grid.getByRole('row').nth(1).textContent()).toContain('CHART_OPEN');
        await page.getByRole('button', { name: 'Check the audit chain' }).click();
        await expect.poll(() => page.getByRole('status').filter({ hasText: 'Intact' }).count()).toBe(1);
        await saveScreen(page, '81-admin-audit-who-opened-chart');
        expect(await serious(page)).toEqual([]);
      } finally {
        resetMonitoringHost();
      }
    },
  );
});
