import path from 'node:path';
import { backupLayout } from './backup-layout.js';
import type { EmbeddedBackupTarget } from './backup-service.js';
import { createBackupRunner, type BackupRunner } from './backup-runner.js';

/**
 * What Admin → Backups works on, installed once by the composition root (main/index.ts, or a test):
 * on the embedded database the backup target, the live owner login for a one-table restore and the
 * runner; on a hospital's server only the mode. The handlers read it here.
 */
export interface BackupRuntime {
  mode: 'embedded' | 'server';
  target: EmbeddedBackupTarget | null;
  /** clinic_owner's connection string to the live `clinic` database (table restore runs as the owner). */
  ownerUrl: string | null;
  runner: BackupRunner | null;
  /** Restarts the app so a requested restore runs before the database opens; absent: the administrator restarts it. */
  restart: (() => void) | null;
}

let installed: BackupRuntime = { mode: 'server', target: null, ownerUrl: null, runner: null, restart: null };

export interface EmbeddedBackupsOptions {
  target: EmbeddedBackupTarget;
  ownerUrl: string;
  restart?: () => void;
  log: (message: string, error?: unknown) => void;
  /** Start the daily schedule (the app does; tests drive backups themselves). */
  schedule?: boolean;
}

export function installEmbeddedBackups(options: EmbeddedBackupsOptions): BackupRuntime {
  const runner = createBackupRunner(options.target, options.log);
  if (options.schedule) runner.startSchedule();
  installed = { mode: 'embedded', target: options.target, ownerUrl: options.ownerUrl, runner, restart: options.restart ?? null };
  return installed;
}

/** A hospital's server, or the app closing: no backups from this workstation. */
export function installServerMode(): void {
  installed.runner?.stop();
  installed = { mode: 'server', target: null, ownerUrl: null, runner: null, restart: null };
}

export const backupRuntime = (): BackupRuntime => installed;

/** The composition root's one call: backups for the embedded database it opened, server mode otherwise. */
export function wireBackups(
  opened: {
    embedded?: { clusterDir: string; superuserPassword: string; superuserUrl(db: string): string; ownerUrl(db: string): string };
  } | null,
  options: { appDataDir: string; migrationsDir: string; log: (message: string, error?: unknown) => void; restart?: () => void },
): void {
  if (!opened?.embedded) return installServerMode();
  const { embedded } = opened;
  installEmbeddedBackups({
    target: {
      layout: backupLayout(path.join(options.appDataDir, 'backups')),
      dataDir: embedded.clusterDir,
      superuserUrl: embedded.superuserUrl('postgres'),
      superuserPassword: embedded.superuserPassword,
      migrationsDir: options.migrationsDir,
    },
    ownerUrl: embedded.ownerUrl('clinic'),
    log: options.log,
    ...(options.restart ? { restart: options.restart } : {}),
    schedule: true,
  });
}
