import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDateTime } from './common.js';

// Backups (issue #12): on the embedded database the app archives WAL and takes verified base backups,
// restores the whole database (latest or a moment) or one table. On a hospital's own server it only
// shows what PostgreSQL's archiver reports; the DBA runs backups there.

export const BACKUP_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
export const BackupId = z.string().regex(BACKUP_ID_PATTERN, 'Choose a backup from the list');

/**
 * Tables an administrator may put back from a backup: clinical and reference data, never users, roles,
 * the audit trail, or the tables row level security reads to decide who sees what (doctors, staff,
 * rooms): restoring those would widen or narrow every user's view, and their deletes cascade unseen.
 */
export const RESTORABLE_TABLES = [
  'patients',
  'appointments',
  'medical_records',
  'prescriptions',
  'departments',
  'doctor_working_hours',
  'room_types',
  'medicine',
  'billing',
  'cleaning_service',
] as const;
export const RestorableTable = z.enum(RESTORABLE_TABLES, { message: 'Choose a table from the list' });

export const BackupState = z.enum(['unverified', 'good', 'bad']);
export const BackupSummary = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  totalBytes: z.number(),
  fileCount: z.number(),
  state: BackupState,
  /** Why a backup is bad (a damaged file, a failed check). */
  reason: z.string().nullable(),
  checkedAt: z.string().nullable(),
});
export type BackupSummary = z.infer<typeof BackupSummary>;

export const BackupProgressView = z.object({
  backupId: z.string(),
  phase: z.enum(['starting', 'copying', 'finishing', 'verifying', 'done']),
  filesDone: z.number(),
  filesTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
});
export type BackupProgressView = z.infer<typeof BackupProgressView>;

export const BackupSchedule = z
  .object({
    everyHours: z.number().int().min(1, 'At least every hour').max(168, 'At least once a week'),
    keepDays: z.number().int().min(1, 'Keep backups at least 1 day').max(365, 'Keep backups at most 365 days'),
  })
  .strict();
export type BackupSchedule = z.infer<typeof BackupSchedule>;

export const BackupOverview = z.object({
  /** 'server': a hospital's own PostgreSQL — the app takes no backups there. */
  mode: z.enum(['embedded', 'server']),
  backups: z.array(BackupSummary),
  running: BackupProgressView.nullable(),
  /** The last backup this app ran, when it failed before it could be listed. */
  lastFailure: z.string().nullable(),
  schedule: BackupSchedule,
  nextDueAt: z.string().nullable(),
  /** A restore waiting for the next start of the app. */
  pendingRestore: z.string().nullable(),
});
export type BackupOverview = z.infer<typeof BackupOverview>;

export const ArchiverStatus = z.object({
  archiving: z.boolean(),
  archivedCount: z.number(),
  lastArchivedWal: z.string().nullable(),
  lastArchivedAt: z.string().nullable(),
  failedCount: z.number(),
  lastFailedWal: z.string().nullable(),
  lastFailedAt: z.string().nullable(),
});
export type ArchiverStatus = z.infer<typeof ArchiverStatus>;

export const RestoreTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latest') }).strict(),
  z.object({ kind: z.literal('time'), at: IsoDateTime }).strict(),
]);

export const TableDifference = z.object({
  table: RestorableTable,
  backupId: z.string(),
  /** The moment the copy was recovered to (null: the backup's own end). */
  at: z.string().nullable(),
  /** Rows now in the table that the backup lacks: a restore removes them. */
  added: z.number(),
  /** Rows the backup has that the table lost: a restore puts them back. */
  removed: z.number(),
  /** Same key, different values: a restore sets them back. */
  changed: z.number(),
  unchanged: z.number(),
});
export type TableDifference = z.infer<typeof TableDifference>;

const TableChoice = z.object({ table: RestorableTable, at: IsoDateTime.nullable() }).strict();

export const backupsChannels = {
  'backups/get-overview': defineChannel({
    input: Empty,
    output: BackupOverview,
    access: 'backups.manage',
    doc: 'The backups on this computer, the one running (with its progress), and the schedule.',
  }),
  'backups/get-archiver-status': defineChannel({
    input: Empty,
    output: ArchiverStatus,
    access: 'backups.manage',
    doc: "PostgreSQL's WAL archiving status (pg_stat_archiver): last archived, last failure.",
  }),
  'backups/start-backup': defineChannel({
    input: Empty,
    output: z.object({ started: z.literal(true) }),
    access: 'backups.manage',
    doc: 'Starts a backup now (embedded database only); follow it with backups/get-overview.',
  }),
  'backups/verify-backup': defineChannel({
    input: z.object({ backupId: BackupId }).strict(),
    output: BackupSummary,
    access: 'backups.manage',
    doc: 'Checks a backup again: checksums, then a restore into a scratch database with its checks.',
  }),
  'backups/save-schedule': defineChannel({
    input: BackupSchedule,
    output: BackupSchedule,
    access: 'backups.manage',
    doc: 'How often backups are taken and how many days they are kept.',
  }),
  'backups/request-restore': defineChannel({
    input: z.object({ target: RestoreTarget, confirm: z.literal(true, { message: 'Confirm the restore' }) }).strict(),
    output: z.object({ backupId: z.string(), restartsNow: z.boolean() }),
    access: 'backups.manage',
    doc: 'Restores the whole database (latest or a moment) at the next start; everyone is signed out.',
  }),
  'backups/compare-table': defineChannel({
    input: TableChoice,
    output: TableDifference,
    access: 'backups.manage',
    doc: "How many of a table's rows differ from a backup (at a moment): added, removed, changed.",
  }),
  'backups/restore-table': defineChannel({
    input: TableChoice.extend({
      expected: z.object({ added: z.number().int().min(0), removed: z.number().int().min(0), changed: z.number().int().min(0) }).strict(),
    }).strict(),
    output: TableDifference,
    access: 'backups.manage',
    doc: "Puts a table's rows back as the backup had them, in one transaction, after the shown comparison.",
  }),
} satisfies ChannelMap<'backups'>;
