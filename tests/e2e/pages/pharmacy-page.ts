import type { Page } from 'playwright-core';

/** Page model of the Pharmacy screen and the doctor's prescribing panel. */
export function pharmacyPage(page: Page) {
  const panel = page.locator('#pharmacy-panel');
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Pharmacy' }),
    tab: (name: string) => page.getByRole('tablist', { name: 'Pharmacy sections' }).getByRole('tab', { name: new RegExp(`^${name}`) }),
    offlineBanner: page.getByTestId('pharmacy-offline'),
    filter: panel.getByLabel(/^Filter/),
    grid: (name: string) => page.getByRole('grid', { name }),
    activeRow: (name: string) => page.getByRole('grid', { name }).locator('[role="row"][aria-selected="true"]'),
    gridRows: (name: string) => page.getByRole('grid', { name }).locator('.data-grid-body [role="row"]'),
    checks: page.getByRole('group', { name: 'Medication checks' }),
    overrideReason: (kind: string) => page.getByLabel(`Override reason: ${kind}`),
    verify: page.getByRole('button', { name: /^Verify/ }),
    dispenseButton: page.getByRole('button', { name: /^Dispense \d* ?\(Enter\)/ }),
    lotsTable: page.getByRole('table', { name: 'Lots of this medicine, first expiry first' }),
    label: page.getByTestId('dispense-label'),
    /** 'label' once the dispense is done; else what the screen says went wrong (so a failed poll shows it). */
    async labelOrError(): Promise<string> {
      if (await page.getByTestId('dispense-label').isVisible()) return 'label';
      const alerts = await page.locator('#pharmacy-panel [role="alert"]').allTextContents();
      return alerts.join(' ') || 'nothing yet';
    },
    labelBarcode: page.getByTestId('dispense-label').locator('canvas'),
    printLabel: page.getByRole('button', { name: /^Print label/ }),
    witnessDialog: page.getByRole('dialog', { name: 'Witness needed: controlled drug' }),
    witnessEmail: page.getByLabel('Witness email'),
    witnessPassword: page.getByLabel('Witness password'),
    status: page.getByRole('status'),
    alert: panel.getByRole('alert'),
    // Prescribing
    patientField: page.getByLabel('Patient', { exact: true }),
    patientChoice: (text: string) => page.getByRole('list', { name: 'Matching patients' }).getByRole('button', { name: new RegExp(text) }),
    medicineField: (id: string) => page.locator(`#${id}`),
    medicineOptions: page.getByRole('listbox', { name: 'Matching medicines' }).getByRole('option'),
    allergyBanner: page.getByTestId('prescribe-allergies'),
    runChecks: page.getByRole('button', { name: 'Run the checks' }),
    prescribe: page.getByRole('button', { name: /^Prescribe/ }),
    // Reports
    report: (name: string) => page.getByRole('radio', { name }),
    reportTable: (name: RegExp) => page.getByRole('table', { name }),
    exportCsv: panel.getByRole('button', { name: 'Export CSV' }),
  };
}
