import type { Page } from 'playwright-core';

/** Page model of the Scheduling screen (the appointment book). */
export function schedulingPage(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Scheduling' }),
    search: page.getByRole('combobox', { name: /Find patient/ }),
    results: page.getByRole('listbox', { name: 'Matching patients' }).getByRole('option'),
    chosenPatient: page.getByLabel('Chosen patient'),
    slots: page.getByRole('listbox', { name: 'Slots' }),
    /** A slot of the first (or only) doctor shown. */
    slot: (time: string) => page.locator('.slot-list').first().locator(`li[id$="-${time}"]`),
    bookOf: page.getByLabel(/^Book of/),
    doctorSlotLists: page.getByRole('listbox', { name: /^Slots of / }),
    activeSlot: page.locator('.slot.active'),
    bookingPanel: page.getByRole('dialog', { name: 'Book this slot?' }),
    purpose: page.getByLabel('Reason for the visit (optional)'),
    clash: page.getByRole('dialog', { name: 'Book this slot?' }).getByRole('alert'),
    notice: page.getByRole('status').filter({ hasText: /Booked|Moved|cancelled|checked in|registered|chosen/ }),
    dayHeading: page.locator('.day-heading'),
  };
}
