export { AdminScreen } from './admin-screen.js';
