// The audit feature: the viewer's reads, CSV export, and the hash chain's verifier (also `npm run audit:verify`).
export { auditHandlers } from './audit-handlers.js';
export { verifyAuditChain } from './audit-chain-verify.js';
