import type { Page } from 'playwright-core';

/** Page model of Admin → Reference data. */
export function referenceDataPage(page: Page) {
  return {
    tab: page.getByRole('tab', { name: 'Reference data' }),
    roomTypes: page.getByRole('table', { name: 'Room types and daily rates' }),
    dailyRate: (type: string) => page.getByLabel(`Daily rate of ${type}`),
    save: (name: string) => page.getByRole('button', { name: `Save ${name}`, exact: true }),
    staff: page.getByRole('table', { name: 'Staff' }),
    newStaff: {
      firstName: page.getByLabel('First name of the new member of staff'),
      lastName: page.getByLabel('Last name of the new member of staff'),
      role: page.getByLabel('Role of the new member of staff'),
      department: page.getByLabel('Department of the new member of staff'),
      account: page.getByLabel('Sign-in account of the new member of staff'),
      add: page.getByRole('button', { name: 'Add the new member of staff' }),
    },
    doctors: page.getByRole('table', { name: 'Doctors and weekly hours' }),
    newDoctor: {
      firstName: page.getByLabel('First name of the new doctor'),
      lastName: page.getByLabel('Last name of the new doctor'),
      specialization: page.getByLabel('Specialization of the new doctor'),
      department: page.getByLabel('Department of the new doctor'),
      licence: page.getByLabel('Licence number of the new doctor'),
      account: page.getByLabel('Sign-in account of the new doctor'),
      hours: page.getByLabel('Weekly hours of the new doctor'),
      add: page.getByRole('button', { name: 'Add the new doctor' }),
    },
    notice: page.locator('.form-ok'),
    error: page.locator('.form-error'),
  };
}
