import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Page model of the Ward screen: bed board, dialogs, chart, medication round, handover, offline copy. */
export function wardPage(page: Page) {
  const dialog = (name: RegExp | string) => page.getByRole('dialog', { name });
  return {
    heading: page.getByRole('heading', { level: 1, name: /^Ward/ }),
    board: page.getByRole('grid', { name: /^Beds of / }),
    beds: page.getByTestId('bed'),
    /** A bed card by its "room/bed" label, e.g. "WA-01/3". */
    bed: (label: string) => page.getByTestId('bed').filter({ has: page.locator('.bed-number', { hasText: label }) }),
    activeBed: page.locator('.bed.active'),
    admitDialog: dialog(/^Admit into bed/),
    admitSearch: page.getByRole('combobox', { name: 'Patient to admit' }),
    admitResults: page.getByRole('listbox', { name: 'Matching patients' }).getByRole('option'),
    wristbandDialog: dialog('Wristband'),
    wristband: page.getByTestId('wristband'),
    bandBarcode: page.locator('canvas.band-barcode'),
    census: page.getByRole('table', { name: 'Hospital census' }),
    chartHeading: page.locator('#chart-title'),
    chartNews2: page.getByTestId('chart-news2'),
    allergyBox: page.getByRole('region', { name: 'Allergies', exact: true }),
    allergyForm: page.getByRole('form', { name: 'Record an allergy' }),
    vital: (label: RegExp | string) => page.locator('.vitals-form').getByLabel(label),
    oxygen: page.getByRole('radio', { name: 'Oxygen' }),
    consciousness: page.getByLabel('Consciousness (ACVPU)'),
    saveVitals: page.getByRole('button', { name: /^Save observations/ }),
    vitalIssues: page.locator('.vitals-form .field-issue'),
    news2Result: page.locator('.news2-result'),
    trends: page.getByRole('group', { name: 'Trends over the last 72 hours' }),
    roundPatients: page.getByRole('listbox', { name: 'Patients on the round' }),
    confirmDose: page.getByTestId('confirm-dose'),
    scanStop: page.getByTestId('scan-stop'),
    scanDone: page.locator('.scan-done'),
    handover: page.getByTestId('handover'),
    recommendation: (name: string) => page.getByTestId('handover').locator('article', { hasText: name }).getByLabel('R — Recommendation'),
    offlineBanner: page.getByTestId('ward-offline-banner'),
    downtimeMar: page.locator('.downtime-mar'),
    /** Moves the board's focus to a bed by its "room/bed" label with the keyboard: Alt+B, Home, then → until there. */
    async goToBed(label: string) {
      const activeBed = page.locator('.bed.active');
      await page.keyboard.press('Alt+b');
      await page.waitForFunction(() => document.activeElement?.id.startsWith('bed-') ?? false);
      await page.keyboard.press('Home');
      for (let i = 0; i < 12 && !(await activeBed.textContent())?.startsWith(label); i += 1) await page.keyboard.press('ArrowRight');
      const reached = await activeBed.textContent();
      if (!reached?.startsWith(label)) throw new Error(`The board's focus did not reach bed ${label} (it is on ${reached})`);
    },
    /**
     * Waits for the outcome notice of a bed move. If it never comes, the failure says what the screen
     * showed instead (refusals, open dialogs, where the focus was), since CI keeps no screenshots.
     */
    async expectNotice(text: string) {
      try {
        await expect.poll(() => page.getByRole('status').filter({ hasText: text }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
      } catch (error) {
        const seen = await page.evaluate(() => ({
          statuses: [...document.querySelectorAll('[role=status]')].map((e) => e.textContent),
          alerts: [...document.querySelectorAll('[role=alert]')].map((e) => e.textContent),
          dialogs: [...document.querySelectorAll('[role=dialog]')].map((e) => e.textContent?.slice(0, 400)),
          focus: document.activeElement?.outerHTML.slice(0, 300),
        }));
        throw new Error(`No notice "${text}". On screen: ${JSON.stringify(seen)}`, { cause: error });
      }
    },
    /** A keyboard-wedge scan, as a USB scanner types it: fast, Shift held for each capital letter, then Enter; the focus on no text field. */
    async scan(code: string) {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      for (const ch of code) {
        if (!/[A-Z]/.test(ch)) {
          await page.keyboard.press(ch);
          continue;
        }
        await page.keyboard.down('Shift');
        await page.keyboard.press(ch);
        await page.keyboard.up('Shift');
      }
      await page.keyboard.press('Enter');
    },
  };
}
