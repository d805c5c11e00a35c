export { AmbulanceScreen } from './ambulance-screen.js';
