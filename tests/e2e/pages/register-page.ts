import type { Page } from 'playwright-core';

/** Page model of the new-patient (walk-in) form on the Scheduling screen. */
export function registerPage(page: Page) {
  return {
    dialog: page.getByRole('dialog', { name: 'New patient' }),
    lastName: page.getByLabel('Last name'),
    firstName: page.getByLabel('First name'),
    dateOfBirth: page.getByLabel('Date of birth'),
    phone: page.getByLabel('Phone'),
    duplicates: page.getByRole('group', { name: /may be a patient already on file/ }),
  };
}
