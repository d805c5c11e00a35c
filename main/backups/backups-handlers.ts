import type { backupsChannels } from '../../contract/backups.js';
import { actingUserId, local, readingOnPrimary, type HandlersFor } from '../ipc/handler-types.js';
import { failure } from '../shared/failure.js';
import { readArchiver } from './archiver.repository.js';
import { BackupBusy } from './backup-lock.js';
import { listBackups } from './backup-service.js';
import { readBackupSettings, writeBackupSettings } from './backup-settings.js';
import { backupRuntime } from './backups-runtime.js';
import { pendingRestore, requestRestore } from './pending-restore.js';
import { RestoreRefused } from './restore-cluster.js';
import { compareTable, restoreTable, TableChanged } from './table-restore.js';

const SERVER_MODE =
  "This workstation uses the hospital's own database server: its backups are the database administrator's (see the README).";

/** The embedded database's backup target, or a clear refusal on a hospital's server. */
function embedded() {
  const runtime = backupRuntime();
  if (runtime.mode !== 'embedded' || !runtime.target || !runtime.runner || !runtime.ownerUrl) throw failure('Unavailable', SERVER_MODE);
  return { ...runtime, target: runtime.target, runner: runtime.runner, ownerUrl: runtime.ownerUrl };
}

/** Backup errors an administrator can act on become Conflicts with their own sentence; PostgreSQL's refusal of a table restore too. */
async function explained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupBusy || error instanceof RestoreRefused || error instanceof TableChanged)
      throw failure('Conflict', error.message);
    const code = (error as { code?: string }).code;
    if (code === '23503' || code === '23505' || code === 'P0001' || code === '55P03' || code === '23514')
      throw failure('Conflict', `The table could not be put back, so nothing was changed: ${(error as Error).message}.`);
    throw error;
  }
}

const tableRequest = (input: { table: string; at: string | null }, userId: string) => ({
  table: input.table,
  at: input.at ? new Date(input.at) : null,
  adminUserId: userId,
});

export const backupsHandlers = {
  'backups/get-overview': local<'backups/get-overview'>(async () => {
    const runtime = backupRuntime();
    if (runtime.mode !== 'embedded' || !runtime.target || !runtime.runner) {
      return {
        mode: 'server',
        backups: [],
        running: null,
        lastFailure: null,
        schedule: { everyHours: 24, keepDays: 14 },
        nextDueAt: null,
        pendingRestore: null,
      };
    }
    const pending = await pendingRestore(runtime.target.layout);
    return {
      mode: 'embedded',
      backups: await listBackups(runtime.target.layout),
      running: runtime.runner.running(),
      lastFailure: runtime.runner.lastFailure(),
      schedule: await readBackupSettings(runtime.target.layout),
      nextDueAt: (await runtime.runner.nextDueAt())?.toISOString() ?? null,
      pendingRestore: pending
        ? `${pending.target.kind === 'time' ? `to ${pending.target.at}` : 'to the latest state'} from backup ${pending.backupId}`
        : null,
    };
  }),
  // The primary's own archiver: a read replica's pg_stat_archiver would report the standby's.
  'backups/get-archiver-status': readingOnPrimary<'backups/get-archiver-status'>(async (trx) => {
    const row = await readArchiver(trx);
    return {
      archiving: row.archiving,
      archivedCount: row.archived_count,
      lastArchivedWal: row.last_archived_wal,
      lastArchivedAt: row.last_archived_time?.toISOString() ?? null,
      failedCount: row.failed_count,
      lastFailedWal: row.last_failed_wal,
      lastFailedAt: row.last_failed_time?.toISOString() ?? null,
    };
  }),
  'backups/start-backup': local<'backups/start-backup'>((_input, ctx) =>
    explained(async () => {
      embedded().runner.start();
      ctx.logInfo(`Backup started by ${ctx.session?.user.email}`);
      return { started: true as const };
    }),
  ),
  'backups/verify-backup': local<'backups/verify-backup'>((input) =>
    explained(async () => {
      const { runner, target } = embedded();
      await runner.verify(input.backupId);
      const summary = (await listBackups(target.layout)).find((b) => b.id === input.backupId);
      if (!summary) throw failure('NotFound', 'That backup is no longer there.');
      return summary;
    }),
  ),
  'backups/save-schedule': local<'backups/save-schedule'>(async (input, ctx) => {
    await writeBackupSettings(embedded().target.layout, input);
    ctx.logInfo(`Backup schedule set to every ${input.everyHours} h, kept ${input.keepDays} days, by ${ctx.session?.user.email}`);
    return input;
  }),
  'backups/request-restore': local<'backups/request-restore'>((input, ctx) =>
    explained(async () => {
      const runtime = embedded();
      const backupId = await requestRestore(runtime.target.layout, input.target, ctx.session?.user.email ?? actingUserId(ctx), ctx.now());
      ctx.logInfo(
        `Whole-database restore (${input.target.kind === 'time' ? input.target.at : 'latest'}) requested by ${ctx.session?.user.email}`,
      );
      if (runtime.restart) setImmediate(runtime.restart); // after this answer reaches the screen
      return { backupId, restartsNow: runtime.restart !== null };
    }),
  ),
  'backups/compare-table': local<'backups/compare-table'>((input, ctx) =>
    explained(async () => {
      const { target, ownerUrl } = embedded();
      const found = await compareTable(target, ownerUrl, tableRequest(input, actingUserId(ctx)));
      return { table: input.table, at: input.at, ...found };
    }),
  ),
  'backups/restore-table': local<'backups/restore-table'>((input, ctx) =>
    explained(async () => {
      const { target, ownerUrl } = embedded();
      const done = await restoreTable(target, ownerUrl, tableRequest(input, actingUserId(ctx)), input.expected);
      ctx.logInfo(
        `Table ${input.table} restored from backup ${done.backupId} by ${ctx.session?.user.email}: ${JSON.stringify(done.before)}`,
      );
      return { table: input.table, at: input.at, backupId: done.backupId, ...done.after };
    }),
  ),
} satisfies HandlersFor<typeof backupsChannels>;
