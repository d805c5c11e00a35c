import type { Page } from 'playwright-core';

/** Page model of the Needs-attention inbox. */
export function attentionPage(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Needs attention' }),
    items: page.getByRole('listbox', { name: 'Items' }).getByRole('option'),
    detail: page.getByLabel('Chosen item'),
    notice: page.getByRole('status'),
    empty: page.getByText('Nothing needs attention.'),
  };
}
