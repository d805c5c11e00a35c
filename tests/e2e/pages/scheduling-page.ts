import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Page model of the Scheduling screen (the appointment book). */
export function schedulingPage(page: Page) {
  const dayHeading = page.locator('.day-heading');
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
    dayHeading,
    /**
     * Moves the book forward to `target`'s day with the keyboard (Alt+PageDown, one day a key), counted from the
     * day the page shows: a run that crosses midnight has the page and this process on different days.
     */
    async goForwardTo(target: Date) {
      const wanted = target.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
      await expect.poll(() => dayHeading.textContent()).toMatch(/\d{4}/);
      for (let i = 0; i < 14 && !(await dayHeading.textContent())!.includes(wanted); i += 1) {
        const shown = await dayHeading.textContent();
        await page.keyboard.press('Alt+PageDown');
        await expect.poll(() => dayHeading.textContent()).not.toBe(shown);
      }
      await expect.poll(() => dayHeading.textContent()).toContain(wanted);
    },
  };
}
