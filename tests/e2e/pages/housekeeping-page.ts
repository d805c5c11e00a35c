import type { Page } from 'playwright-core';

/** Page model of the Housekeeping screen: the open queue and what was closed today. */
export function housekeepingPage(page: Page) {
  const open = page.getByRole('table', { name: 'Open cleaning tasks' });
  return {
    open,
    row: (place: string) => open.locator('tbody tr', { hasText: place }),
    overdueRows: open.locator('tbody tr.overdue-row'),
    complete: (place: string) => page.getByRole('button', { name: `Complete ${place}` }),
    start: (place: string) => page.getByRole('button', { name: `Start ${place}` }),
    closedToday: page.getByRole('table', { name: 'Cleaning closed today' }),
    notice: page.locator('.form-ok'),
    /** The form that asks for a spill, isolation or deep clean. */
    ask: {
      open: page.getByRole('button', { name: 'Ask for a clean…' }),
      room: page.getByLabel('Room number'),
      roomHint: page.locator('#request-room-hint'),
      bed: page.getByLabel('Bed', { exact: true }),
      kind: page.getByLabel('Kind', { exact: true }),
      notes: page.getByLabel('Notes', { exact: true }),
      submit: page.getByRole('button', { name: 'Ask for it' }),
    },
  };
}
