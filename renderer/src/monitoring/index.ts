// Admin → Database (health, cancel, maintenance) and the administrators' status light.
export { DatabaseHealthScreen } from './database-health-screen.js';
export { HealthLight } from './health-light.js';
