import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database's backup folder: `wal/` is the server's continuous archive, `base/<id>/` one
 * base backup each. A backup is copied under `base/.partial-<id>` and renamed only when complete, so a
 * backup killed half-way never looks like one.
 */
export interface BackupLayout {
  root: string;
  walDir: string;
  baseDir: string;
  lockFile: string;
  settingsFile: string;
}

export const backupLayout = (backupsRoot: string): BackupLayout => ({
  root: backupsRoot,
  walDir: path.join(backupsRoot, 'wal'),
  baseDir: path.join(backupsRoot, 'base'),
  lockFile: path.join(backupsRoot, 'backup.lock'),
  settingsFile: path.join(backupsRoot, 'backup-settings.json'),
});

export const PARTIAL_PREFIX = '.partial-';
export const MANIFEST_FILE = 'backup-manifest.json';
export const STATUS_FILE = 'backup-status.json';
/** The copied cluster lives under this subfolder of a backup, beside the manifest and status. */
export const DATA_SUBDIR = 'data';

/** A backup's id is its start time, so ids sort in time order and name their folder. */
export const backupIdFor = (at: Date) => at.toISOString().replace(/[:.]/g, '-');
export const BACKUP_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** Completed backups (renamed from their partial name), oldest first. */
export async function completedBackupIds(layout: BackupLayout): Promise<string[]> {
  const names = await fs.readdir(layout.baseDir).catch(() => [] as string[]);
  return names.filter((name) => BACKUP_ID.test(name)).sort();
}

export const backupFolder = (layout: BackupLayout, id: string) => path.join(layout.baseDir, id);
