export { HousekeepingScreen } from './housekeeping-screen.js';
