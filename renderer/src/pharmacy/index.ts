// The pharmacy's public face: its screen, the prescribing and allergy panels the Ward screen mounts in a patient's
// chart, and the controlled-drug count differences the Admin screen lists.
export { PharmacyScreen } from './pharmacy-screen.js';
export { PrescribePanel } from './prescribe-panel.js';
export { AllergyRecord } from './allergy-record.js';
export { CountDiscrepancies } from './count-discrepancies.js';
