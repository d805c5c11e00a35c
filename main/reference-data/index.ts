// The reference-data feature: departments, room types and rates, rooms and beds, staff, doctors and
// their hours (Admin → Reference data). The composition root imports only this file.
export { referenceDataHandlers } from './reference-data-handlers.js';
