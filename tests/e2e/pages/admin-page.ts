import type { Page } from 'playwright-core';

/** Page model of the Admin screen. */
export function adminPage(page: Page) {
  const users = page.getByRole('table', { name: 'Users' });
  return {
    users,
    userRows: users.locator('tbody tr'),
    sortBy: (column: string) => users.getByRole('button', { name: new RegExp(`^${column}`) }).click(),
    newUserName: page.getByLabel('Name', { exact: true }),
    newUserEmail: page.getByLabel('Email', { exact: true }),
    newUserRole: (label: string) => page.locator('form.new-user').getByLabel(label, { exact: true }),
    createUser: page.getByRole('button', { name: 'Create user' }),
    resetCode: page.getByTestId('reset-code'),
    notice: page.locator('.notice'),
    rowAction: (action: string, name: string) => page.getByRole('button', { name: `${action} ${name}` }),
    idleMinutes: (terminal: string) => page.getByLabel(new RegExp(`^${terminal}: lock after`)),
    saveSecurity: page.getByRole('button', { name: 'Save sign-in settings' }),
  };
}
