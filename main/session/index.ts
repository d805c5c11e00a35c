// The session feature: sign-in, lock, password change and reset. Other features import only this file.
export { sessionHandlers } from './session-handlers.js';
export { findActiveSessionUser } from './session-service.js';
export { issueResetToken } from './password-reset-service.js';
export { findSecuritySettings } from './security.repository.js';
export { confirmWitness, SAME_PERSON as WITNESS_SAME_PERSON, type ConfirmedWitness, type WitnessOptions } from './witness.js';
