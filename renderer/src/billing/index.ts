export { BillingScreen } from './billing-screen.js';
