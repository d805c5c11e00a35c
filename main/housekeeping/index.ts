// The housekeeping feature: the cleaning queue, routine planning, start / complete / skip. Other
// features and the composition root import only this file.
export { housekeepingHandlers } from './housekeeping-handlers.js';
export { requestCleaning } from './cleaning-service.js';
