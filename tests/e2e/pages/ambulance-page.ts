import type { Page } from 'playwright-core';

/** Page model of the Ambulance screen: the fleet board, the dispatch form, runs and response times. */
export function ambulancePage(page: Page) {
  return {
    vehicle: (number: string) => page.getByRole('listitem', { name: new RegExp(`^${number}:`) }),
    dispatch: (number: string) => page.getByRole('button', { name: `Dispatch ${number}`, exact: true }),
    pickup: page.getByLabel('Pickup'),
    destination: page.getByLabel('Destination'),
    driver: page.getByLabel('Driver'),
    submitDispatch: (number: string) =>
      page.locator(`form[aria-label="Dispatch ${number}"]`).getByRole('button', { name: `Dispatch ${number}` }),
    step: (number: string, step: string) => page.getByRole('button', { name: `${number}: ${step}` }),
    notice: page.locator('.form-ok'),
    responseTimes: page.getByRole('table', { name: /^Response times/ }),
  };
}
