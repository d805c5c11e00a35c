// The pharmacy feature: prescribing with medication checks, verification, dispensing from lots, stock
// and allergies. Other features and the composition root import only this file.
export { pharmacyHandlers } from './pharmacy-handlers.js';
export { runMedicationChecks, dosesPerDay, type CheckedOrder, type PatientMedicationContext } from './medication-checks.js';
