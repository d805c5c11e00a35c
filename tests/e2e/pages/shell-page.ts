import type { Page } from 'playwright-core';

/** Page model of the signed-in shell: navigation, status bar, sign-out. */
export function shellPage(page: Page) {
  return {
    nav: page.getByRole('navigation', { name: 'Screens' }),
    navItem: (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: new RegExp(`^${name}`) }),
    currentScreen: page.locator('nav [aria-current="page"]'),
    signedInUser: page.getByTestId('signed-in-user'),
    databaseState: page.getByTestId('database-state'),
    waitingChanges: page.getByTestId('waiting-changes'),
    needsAttention: page.getByTestId('needs-attention'),
    offlineSession: page.getByTestId('offline-session'),
    signOut: page.getByRole('button', { name: 'Sign out' }),
    screenHeading: (name: string) => page.getByRole('heading', { level: 1, name }),
  };
}
