import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDate, PatientId, Uuid } from './common.js';

// The audit trail: a filtered, keyset-paged viewer, CSV export, and the tamper-evidence check.

/** Actions the viewer filters on: row changes, sign-in events, chart openings, database actions. */
export const AUDIT_ACTIONS = [
  'INSERT',
  'UPDATE',
  'DELETE',
  'CHART_OPEN',
  'SIGNIN',
  'SIGNINFAIL',
  'SIGNOUT',
  'LOCKED',
  'UNLOCK',
  'IDLE_LOCK',
  'SWITCH',
  'PW_CHANGE',
  'PW_RESET',
  'RESET_CODE',
  'SEED',
  'CANCEL',
  'TERMINATE',
  'ANALYZE',
  'VACUUM',
  'VACUUMFULL',
  'REINDEX',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);

export const AuditFilter = z
  .object({
    patientId: PatientId.optional(),
    userId: Uuid.optional(),
    tableName: z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_]{0,49}$/, 'Use a table name such as patients')
      .optional(),
    action: AuditAction.optional(),
    /** Inclusive days, in the clinic's time zone as the server keeps it. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditEntry = z.object({
  logId: z.number().int(),
  at: z.string(),
  tableName: z.string(),
  action: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  dbLogin: z.string().nullable(),
  patientId: z.string().nullable(),
  /** The row's values after (or before, for a delete), as JSON text cut to 2,000 characters. */
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({
  rows: z.array(AuditEntry),
  /** Pass back as `before` for the next (older) page; null when this was the last. */
  nextBefore: z.number().int().nullable(),
});

export const ChainBreak = z.object({
  logId: z.number().int().nullable(),
  position: z.number().int().nullable(),
  reason: z.string(),
});
export type ChainBreak = z.infer<typeof ChainBreak>;

export const ChainReport = z.object({
  intact: z.boolean(),
  checkedRows: z.number().int(),
  headPosition: z.number().int(),
  /** Hex SHA-256 of the newest link: kept elsewhere, it shows a rewrite of the whole chain. */
  headHash: z.string().nullable(),
  /** In chain order; the first is the first broken link. At most 20. */
  breaks: z.array(ChainBreak),
});
export type ChainReport = z.infer<typeof ChainReport>;

export const auditChannels = {
  'audit/list-entries': defineChannel({
    input: z
      .object({
        filter: AuditFilter,
        before: z.number().int().positive().max(2_147_483_647).optional(),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
    output: AuditPage,
    access: 'audit.read',
    doc: 'Audit rows matching the filter, newest first, one keyset page (by log id) at a time.',
  }),
  'audit/export-csv': defineChannel({
    input: z.object({ filter: AuditFilter }).strict(),
    output: z.object({ csv: z.string(), rowCount: z.number().int(), truncated: z.boolean() }),
    access: 'audit.read',
    doc: 'The filtered audit rows (newest 50,000 at most) as CSV, safe to open in a spreadsheet.',
  }),
  'audit/verify-chain': defineChannel({
    input: Empty,
    output: ChainReport,
    access: 'audit.read',
    doc: 'Walks the audit hash chain and names the first broken link (a changed, removed or inserted row).',
  }),
} satisfies ChannelMap<'audit'>;
