// Admin → Audit: the audit trail's viewer and its tamper check.
export { AuditScreen } from './audit-screen.js';
