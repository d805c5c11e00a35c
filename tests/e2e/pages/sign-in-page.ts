import type { Page } from 'playwright-core';

/** Page model of the sign-in screen. */
export function signInPage(page: Page) {
  return {
    heading: page.getByRole('heading', { name: 'Sign in' }),
    email: page.getByLabel('Email'),
    password: page.getByLabel('Password'),
    submit: page.getByRole('button', { name: 'Sign in' }),
    error: page.getByRole('alert'),
    databaseState: page.getByTestId('database-state'),
    offlineNote: page.getByTestId('offline-sign-in'),
    async signIn(email: string, password: string) {
      await this.email.fill(email);
      await this.password.fill(password);
      await this.password.press('Enter');
    },
  };
}
