// The billing feature: bills from appointments, dispensing and bed-days, payments, accounts and
// invoices. Other features and the composition root import only this file.
export { billingHandlers } from './billing-handlers.js';
