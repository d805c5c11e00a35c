export { HousekeepingScreen } from './housekeeping-screen.js';
export { CLEAN_REQUEST_KINDS, cleanRequestKindOf, type CleanRequestKind } from './clean-request-kinds.js';
