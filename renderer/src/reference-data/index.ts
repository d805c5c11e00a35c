export { ReferenceDataScreen } from './reference-data-screen.js';
