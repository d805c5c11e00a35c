export { WardScreen } from './ward-screen.js';
