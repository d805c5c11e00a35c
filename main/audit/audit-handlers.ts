import type { auditChannels } from '../../contract/index.js';
import { reading, type HandlersFor } from '../ipc/handler-types.js';
import { auditCsv } from './audit-csv.js';
import { verifyAuditChain } from './audit-chain-verify.js';
import { findAuditEntries } from './audit-log.repository.js';

const EXPORT_LIMIT = 50_000;

export const auditHandlers = {
  'audit/list-entries': reading<'audit/list-entries'>(async (trx, input) => {
    // One row more than asked says whether an older page exists.
    const rows = await findAuditEntries(trx, input.filter, input.before ?? null, input.limit + 1);
    const page = rows.slice(0, input.limit);
    return { rows: page, nextBefore: rows.length > input.limit ? page[page.length - 1]!.logId : null };
  }),
  'audit/export-csv': reading<'audit/export-csv'>(async (trx, input) => {
    const rows = await findAuditEntries(trx, input.filter, null, EXPORT_LIMIT + 1);
    const kept = rows.slice(0, EXPORT_LIMIT);
    return { csv: auditCsv(kept), rowCount: kept.length, truncated: rows.length > EXPORT_LIMIT };
  }),
  'audit/verify-chain': reading<'audit/verify-chain'>((trx) => verifyAuditChain(trx)),
} satisfies HandlersFor<typeof auditChannels>;
