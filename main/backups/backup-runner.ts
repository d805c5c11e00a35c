import type { BackupProgress } from './base-backup.js';
import { BackupBusy } from './backup-lock.js';
import { listBackups, reverifyBackup, runBackup, type BackupOutcome, type EmbeddedBackupTarget } from './backup-service.js';
import { readBackupSettings } from './backup-settings.js';

export interface BackupRunner {
  /** Starts a backup in the background; refuses while one runs. */
  start(): void;
  running(): BackupProgress | null;
  lastFailure(): string | null;
  /** Resolves when no backup runs (tests and the app's quit wait for it). */
  idle(): Promise<BackupOutcome | null>;
  verify(id: string): ReturnType<typeof reverifyBackup>;
  nextDueAt(): Promise<Date | null>;
  /** Checks once a minute whether the schedule wants a backup. */
  startSchedule(checkEveryMs?: number): void;
  stop(): void;
}

/** The app's backups: one at a time, progress kept for the screen, the schedule's timer. */
export function createBackupRunner(
  target: EmbeddedBackupTarget,
  log: (message: string, error?: unknown) => void,
  now = () => new Date(),
): BackupRunner {
  let progress: BackupProgress | null = null;
  let current: Promise<BackupOutcome | null> = Promise.resolve(null);
  let failure: string | null = null;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    if (progress) throw new BackupBusy('A backup is already running.');
    progress = { backupId: '', phase: 'starting', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
    current = runBackup(target, (p) => void (progress = p), now)
      .then((outcome) => {
        failure = outcome.status.state === 'good' ? null : `Backup ${outcome.manifest.id} failed its check: ${outcome.status.reason}`;
        log(`Backup ${outcome.manifest.id}: ${outcome.status.state}${outcome.status.reason ? ` (${outcome.status.reason})` : ''}`);
        return outcome;
      })
      .catch((error: unknown) => {
        failure = `The last backup failed: ${(error as Error).message}`;
        log('Backup failed', error);
        return null;
      })
      .finally(() => void (progress = null));
  };

  const nextDueAt = async () => {
    const { everyHours } = await readBackupSettings(target.layout);
    const newest = (await listBackups(target.layout)).find((b) => b.state !== 'bad');
    return newest ? new Date(Date.parse(newest.finishedAt) + everyHours * 3_600_000) : now();
  };

  return {
    start,
    running: () => progress,
    lastFailure: () => failure,
    idle: () => current,
    verify: (id) => reverifyBackup(target, id),
    nextDueAt,
    startSchedule(checkEveryMs = 60_000) {
      timer = setInterval(() => {
        void nextDueAt().then((due) => {
          if (!progress && due && due.getTime() <= now().getTime()) start();
        });
      }, checkEveryMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
