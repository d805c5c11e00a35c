import type { Page } from 'playwright-core';

/** Page model of the lock screen (unlock, or sign in as someone else). */
export function lockPage(page: Page) {
  return {
    heading: page.getByRole('heading', { name: 'Screen locked' }),
    password: page.getByLabel('Password'),
    unlock: page.getByRole('button', { name: 'Unlock' }),
    error: page.getByRole('alert'),
    switchUser: page.getByRole('button', { name: /Sign in as someone else/ }),
    switchEmail: page.getByLabel('Email'),
    switchSubmit: page.getByRole('button', { name: 'Sign in' }),
  };
}
