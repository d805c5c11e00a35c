// Backups of the embedded database (issue #12): base backups, verification, restore, retention.
export { backupLayout, completedBackupIds, backupFolder, type BackupLayout } from './backup-layout.js';
export { readManifest, readStatus, type BackupManifest, type BackupStatus } from './backup-manifest.js';
export { takeBaseBackup, type BackupProgress, type ProgressListener } from './base-backup.js';
export { verifyBackup, checkRestoredDatabase } from './verify-backup.js';
export { BackupCorrupt, type RecoveryTarget } from './recovered-cluster.js';
export { withBackupLock, BackupBusy } from './backup-lock.js';
export {
  runBackup,
  listBackups,
  reverifyBackup,
  type EmbeddedBackupTarget,
  type BackupOutcome,
  type BackupSummary,
} from './backup-service.js';
export { restoreDataFolder, chooseBackup, RestoreRefused, type RestoreOutcome } from './restore-cluster.js';
export { pruneBackups } from './retention.js';
export { readBackupSettings, writeBackupSettings, BackupSettings } from './backup-settings.js';
export { backupsHandlers } from './backups-handlers.js';
export { installEmbeddedBackups, installServerMode, backupRuntime, wireBackups, type BackupRuntime } from './backups-runtime.js';
export { applyPendingRestore, requestRestore, pendingRestore } from './pending-restore.js';
export { compareTable, restoreTable, TableChanged } from './table-restore.js';
export { createBackupRunner, type BackupRunner } from './backup-runner.js';
export { appDataDir, runningServerPort } from './embedded-location.js';
export { guardedEmbeddedStart, DataFolderMissing } from './restore-swap.js';
