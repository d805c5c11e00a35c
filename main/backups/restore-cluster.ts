import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { BACKUP_ID, backupFolder, completedBackupIds, type BackupLayout } from './backup-layout.js';
import { readManifest, readStatus, type BackupManifest } from './backup-manifest.js';
import { withBackupLock } from './backup-lock.js';
import { BackupCorrupt, materialiseBackup, startRecovery, type RecoveryTarget } from './recovered-cluster.js';
import { checkRestoredDatabase } from './verify-backup.js';
import { runningServerPort } from './embedded-location.js';
import { settleInterruptedSwap, swapInRestoredCopy } from './restore-swap.js';

export interface RestoreOptions {
  layout: BackupLayout;
  /** The live cluster's data folder. Its server must be stopped. */
  dataDir: string;
  superuserPassword: string;
  migrationsDir: string;
  target: Exclude<RecoveryTarget, { kind: 'consistent' }>;
  /** A chosen backup; default: the newest usable one that ended before the target. */
  backupId?: string;
  log?: (line: string) => void;
  /** Test hook: runs between the swap's two renames (the crash test kills the process there). */
  beforeSecondRename?: () => Promise<void>;
}

export interface RestoreOutcome {
  backupId: string;
  /** Where the data folder as it was before the restore is kept. */
  keptAside: string | null;
  checks: string[];
}

export class RestoreRefused extends Error {}

/** The newest backup that is not known bad and finished before the target (a backup cannot be rewound). */
export async function chooseBackup(layout: BackupLayout, target: RestoreOptions['target'], backupId?: string): Promise<BackupManifest> {
  if (backupId !== undefined && !BACKUP_ID.test(backupId))
    throw new RestoreRefused(`"${backupId}" is not a backup's name (npm run backup -- --list).`);
  const ids = backupId ? [backupId] : (await completedBackupIds(layout)).reverse();
  for (const id of ids) {
    const folder = backupFolder(layout, id);
    if (!existsSync(folder)) throw new RestoreRefused(`There is no backup ${id}.`);
    let unreadable = 'no manifest';
    const manifest = await readManifest(folder).catch((error: unknown) => void (unreadable = (error as Error).message));
    const status = await readStatus(folder);
    if (!manifest || status.state === 'bad') {
      if (backupId) throw new RestoreRefused(`Backup ${id} is marked bad (${status.reason ?? unreadable}); it is never restored.`);
      continue;
    }
    if (target.kind === 'time' && Date.parse(manifest.finishedAt) > target.at.getTime()) {
      if (backupId) throw new RestoreRefused(`Backup ${id} finished at ${manifest.finishedAt}, after the chosen time.`);
      continue;
    }
    return manifest;
  }
  throw new RestoreRefused('No good backup finished before the chosen time.');
}

/** WAL the stopped live cluster wrote but had not archived yet: restoring "latest" replays it too. */
async function carryUnarchivedWal(liveDir: string, restoredDir: string, archiveDir: string): Promise<number> {
  let carried = 0;
  for (const name of await fs.readdir(path.join(liveDir, 'pg_wal')).catch(() => [] as string[])) {
    if (!/^[0-9A-F]{24}$/.test(name) || existsSync(path.join(archiveDir, name))) continue;
    await fs.copyFile(path.join(liveDir, 'pg_wal', name), path.join(restoredDir, 'pg_wal', name));
    carried += 1;
  }
  return carried;
}

/**
 * Restores the embedded cluster from a base backup and the archived WAL, to the latest state or a
 * moment. The live folder stays untouched until the restored copy has started (recovered and
 * promoted) and passed the same checks as a verified backup; only then are they swapped, and the old
 * folder is kept aside beside it. Any failure leaves the live folder as it was.
 */
export async function restoreDataFolder(options: RestoreOptions): Promise<RestoreOutcome> {
  return withBackupLock(options.layout, async () => {
    const log = options.log ?? (() => undefined);
    const settled = await settleInterruptedSwap(options.layout, options.dataDir);
    if (settled) log(settled);
    const refuseIfRunning = async () => {
      if ((await runningServerPort(options.dataDir)) !== null)
        throw new RestoreRefused('The database is still running. Close the Clinic Workstation (every window) and try again.');
    };
    await refuseIfRunning();
    const manifest = await chooseBackup(options.layout, options.target, options.backupId);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const restored = `${options.dataDir}.restoring-${stamp}`;
    let checks: string[];
    try {
      log(`Checking and copying backup ${manifest.id} (${manifest.files.length} files)…`);
      let carried = 0;
      await materialiseBackup(backupFolder(options.layout, manifest.id), manifest, restored, async (folder) => {
        carried = await carryUnarchivedWal(options.dataDir, folder, options.layout.walDir);
      });
      log(
        `Replaying archived WAL${options.target.kind === 'time' ? ` up to ${options.target.at.toISOString()}` : ''}${carried ? ` (+${carried} not yet archived)` : ''}…`,
      );
      const server = await startRecovery({
        dataDir: restored,
        archiveDir: options.layout.walDir,
        target: options.target,
        superuserPassword: options.superuserPassword,
        keepArchiving: false,
        scratch: false,
      });
      try {
        const url = `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/clinic`;
        checks = await checkRestoredDatabase(url, options.migrationsDir);
      } finally {
        await server.stop();
      }
      // The new timeline's history goes to the archive now, so later restores can follow it.
      for (const name of await fs.readdir(path.join(restored, 'pg_wal'))) {
        if (name.endsWith('.history') && !existsSync(path.join(options.layout.walDir, name)))
          await fs.copyFile(path.join(restored, 'pg_wal', name), path.join(options.layout.walDir, name));
      }
      await refuseIfRunning(); // someone may have started the app meanwhile (it waits for this lock, an older build does not)
    } catch (error) {
      await fs.rm(restored, { recursive: true, force: true });
      if (error instanceof BackupCorrupt) throw new RestoreRefused(error.message);
      throw error;
    }
    // From here the journal, not this process, guarantees the swap: a crash is finished at the next start.
    const keptAside = existsSync(options.dataDir) ? `${options.dataDir}.before-restore-${stamp}` : null;
    await swapInRestoredCopy(options.layout, { dataDir: options.dataDir, restored, keptAside }, options.beforeSecondRename);
    log(`Restored from backup ${manifest.id}; the previous data folder is kept at ${keptAside ?? '(none)'}.`);
    return { backupId: manifest.id, keptAside, checks };
  });
}
