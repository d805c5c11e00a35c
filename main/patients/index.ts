// The patients feature: search, registration, chart and medical history. Other features import only this file.
export { patientHandlers } from './patient-handlers.js';
export { searchPatients, registerPatient } from './patient-service.js';
export { parsePatientQuery, type PatientQuery } from './patient-query.js';
export { checkBirthDate, duplicateKeys, POSSIBLE_DUPLICATE, summaryOf, type NewPatient } from './patient-rules.js';
export { findPatientSummary, findPatientsByIds, findPossibleDuplicates, insertPatients } from './patients.repository.js';
