// The monitoring feature: Admin → Database (health, cancel, maintenance) and the administrators' status light.
export { monitoringHandlers } from './monitoring-handlers.js';
export { configureMonitoringHost, resetMonitoringHost, type MonitoringHost } from './monitoring-host.js';
export { alertsOf } from './health-service.js';
