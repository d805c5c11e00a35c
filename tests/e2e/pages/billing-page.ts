import type { Page } from 'playwright-core';

/** Page model of the Billing screen: who owes, to bill, one account with its payment form and invoice. */
export function billingPage(page: Page) {
  const bills = page.getByRole('table', { name: 'Bills' });
  return {
    owing: page.getByRole('table', { name: 'Patients who owe most' }),
    owingPatients: page.getByRole('table', { name: 'Patients who owe most' }).locator('tbody button'),
    accountHeading: page.locator('#billing-account'),
    bills,
    billRows: bills.locator('tbody tr'),
    takePaymentOn: (billId: string) => page.getByRole('button', { name: `Take a payment on bill ${billId}` }),
    takePaymentButtons: page.getByRole('button', { name: /^Take a payment on bill \d+$/ }),
    paymentAmount: page.getByLabel(/^Amount \(owed/),
    paymentMethod: page.getByLabel('Method'),
    submitPayment: page.locator('form[aria-label^="Payment on bill"]').getByRole('button', { name: 'Take payment' }),
    totals: page.getByLabel('Totals'),
    notice: page.locator('.form-ok'),
    printInvoice: page.getByRole('button', { name: 'Print invoice' }),
    side: page.locator('.billing-side'),
  };
}
