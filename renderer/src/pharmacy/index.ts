// The pharmacy's public face: its screen, and the prescribing and allergy panels the Ward screen mounts in a patient's chart.
export { PharmacyScreen } from './pharmacy-screen.js';
export { PrescribePanel } from './prescribe-panel.js';
export { AllergyRecord } from './allergy-record.js';
