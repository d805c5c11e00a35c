export { PharmacyScreen } from './pharmacy-screen.js';
