import type { Page } from 'playwright-core';

/** Page model of Admin → Reference data. */
export function referenceDataPage(page: Page) {
  return {
    tab: page.getByRole('tab', { name: 'Reference data' }),
    roomTypes: page.getByRole('table', { name: 'Room types and daily rates' }),
    dailyRate: (type: string) => page.getByLabel(`Daily rate of ${type}`),
    save: (name: string) => page.getByRole('button', { name: `Save ${name}`, exact: true }),
    notice: page.locator('.form-ok'),
    error: page.locator('.form-error'),
  };
}
