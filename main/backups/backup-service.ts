import { backupFolder, completedBackupIds, type BackupLayout } from './backup-layout.js';
import { readManifest, readStatus, type BackupManifest, type BackupStatus } from './backup-manifest.js';
import { withBackupLock } from './backup-lock.js';
import { readBackupSettings } from './backup-settings.js';
import { takeBaseBackup, type ProgressListener } from './base-backup.js';
import { pruneBackups, type PruneResult } from './retention.js';
import { verifyBackup } from './verify-backup.js';

/** What a backup needs to reach the embedded server and check its copy. */
export interface EmbeddedBackupTarget {
  layout: BackupLayout;
  /** The running cluster's data folder. */
  dataDir: string;
  /** Superuser connection string to the running cluster's `postgres` database. */
  superuserUrl: string;
  superuserPassword: string;
  migrationsDir: string;
}

export interface BackupOutcome {
  manifest: BackupManifest;
  status: BackupStatus;
  pruned: PruneResult;
}

/** One backup, start to finish, under the lock: copy, verify by restoring, then retention. */
export async function runBackup(
  target: EmbeddedBackupTarget,
  onProgress?: ProgressListener,
  now = () => new Date(),
): Promise<BackupOutcome> {
  return withBackupLock(target.layout, async () => {
    const manifest = await takeBaseBackup({
      superuserUrl: target.superuserUrl,
      dataDir: target.dataDir,
      layout: target.layout,
      now,
      onProgress,
    });
    const files = {
      filesDone: manifest.files.length,
      filesTotal: manifest.files.length,
      bytesDone: manifest.totalBytes,
      bytesTotal: manifest.totalBytes,
    };
    await onProgress?.({ backupId: manifest.id, phase: 'verifying', ...files });
    const status = await verifyBackup(manifest.id, target);
    // A bad backup keeps the older ones: retention counts only from a good one.
    const pruned =
      status.state === 'good'
        ? await pruneBackups(target.layout, (await readBackupSettings(target.layout)).keepDays, now())
        : { removedBackups: [], removedWalFiles: 0 };
    await onProgress?.({ backupId: manifest.id, phase: 'done', ...files });
    return { manifest, status, pruned };
  });
}

export interface BackupSummary {
  id: string;
  startedAt: string;
  finishedAt: string;
  totalBytes: number;
  fileCount: number;
  state: BackupStatus['state'];
  reason: string | null;
  checkedAt: string | null;
}

/** Completed backups, newest first, with what their verification found. */
export async function listBackups(layout: BackupLayout): Promise<BackupSummary[]> {
  const summaries: BackupSummary[] = [];
  for (const id of (await completedBackupIds(layout)).reverse()) {
    const folder = backupFolder(layout, id);
    const manifest = await readManifest(folder).catch(() => null);
    const status = await readStatus(folder);
    summaries.push({
      id,
      startedAt: manifest?.startedAt ?? id,
      finishedAt: manifest?.finishedAt ?? id,
      totalBytes: manifest?.totalBytes ?? 0,
      fileCount: manifest?.files.length ?? 0,
      state: manifest ? status.state : 'bad',
      reason: manifest ? status.reason : 'The manifest is missing or unreadable.',
      checkedAt: status.checkedAt,
    });
  }
  return summaries;
}

/** Re-runs a backup's verification (its files may have been damaged since). */
export async function reverifyBackup(target: EmbeddedBackupTarget, id: string): Promise<BackupStatus> {
  return withBackupLock(target.layout, () => verifyBackup(id, target));
}
