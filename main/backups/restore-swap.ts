import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MigrationRefused } from '../startup/open-database.js';
import { backupLayout, completedBackupIds, type BackupLayout } from './backup-layout.js';
import { writeJsonAtomically } from './backup-manifest.js';
import { BackupBusy, backupLockHolder, withBackupLock } from './backup-lock.js';

/*
 * Swapping a restored copy in is two renames (live folder aside, copy in place). A crash between them
 * would leave no data folder, and the next start would create an empty database and archive its WAL
 * beside the real one's. So the swap is written down first (restore-swap.json) and settled at the
 * next start before the server runs, and no empty database is ever created where backups exist.
 */

const SwapJournal = z.object({ dataDir: z.string(), restored: z.string(), keptAside: z.string().nullable() });
type SwapJournal = z.infer<typeof SwapJournal>;

const journalFile = (layout: BackupLayout) => path.join(layout.root, 'restore-swap.json');

/** Makes a rename durable: the folder's entry list is flushed too (not possible on Windows, where rename is durable). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r').catch(() => null);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/** A journal names only folders beside the data folder with the names a restore gives them (it is a file anyone could edit). */
function trustedJournal(journal: SwapJournal, dataDir: string): boolean {
  const beside = (folder: string, prefix: string) =>
    path.dirname(folder) === path.dirname(dataDir) && path.basename(folder).startsWith(`${path.basename(dataDir)}${prefix}`);
  return (
    journal.dataDir === dataDir &&
    beside(journal.restored, '.restoring-') &&
    (journal.keptAside === null || beside(journal.keptAside, '.before-restore-'))
  );
}

/** Renames whatever of the swap is not done yet; each step is skipped when already done, so it can be repeated. */
async function completeSwap(layout: BackupLayout, journal: SwapJournal, beforeSecondRename?: () => Promise<void>): Promise<void> {
  if (existsSync(journal.restored)) {
    if (existsSync(journal.dataDir)) {
      if (!journal.keptAside || existsSync(journal.keptAside))
        throw new Error(`A restore was interrupted and ${journal.dataDir} is in the way; move it aside and start again.`);
      await fs.rename(journal.dataDir, journal.keptAside);
      await syncFolder(path.dirname(journal.dataDir));
    }
    await beforeSecondRename?.();
    await fs.rename(journal.restored, journal.dataDir);
    await syncFolder(path.dirname(journal.dataDir));
  }
  await fs.rm(journalFile(layout), { force: true });
}

/** The restored copy (checked, server stopped) takes the live folder's place; the caller holds the backup lock. */
export async function swapInRestoredCopy(
  layout: BackupLayout,
  journal: SwapJournal,
  beforeSecondRename?: () => Promise<void>,
): Promise<void> {
  await writeJsonAtomically(journalFile(layout), journal);
  await syncFolder(layout.root);
  await completeSwap(layout, journal, beforeSecondRename);
}

/** At start, under the backup lock: finishes a swap a crash interrupted. Returns what it did, or null. */
export async function settleInterruptedSwap(layout: BackupLayout, dataDir: string): Promise<string | null> {
  const text = await fs.readFile(journalFile(layout), 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = SwapJournal.safeParse(JSON.parse(text));
  if (!parsed.success || !trustedJournal(parsed.data, dataDir))
    throw new Error(`${journalFile(layout)} does not describe a restore of ${dataDir}; an administrator must look at it.`);
  await completeSwap(layout, parsed.data);
  return `An interrupted restore was completed: ${dataDir} is the restored copy${parsed.data.keptAside ? `, the previous folder is at ${parsed.data.keptAside}` : ''}.`;
}

/** Refused like a migration: the app shows the sentence and does not open the database. */
export class DataFolderMissing extends MigrationRefused {}

/** Refuses to create an empty cluster where this computer has backups or a folder a restore kept aside. */
async function refuseEmptyClusterOverBackups(layout: BackupLayout, clusterDir: string): Promise<void> {
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) return;
  const siblings = await fs.readdir(path.dirname(clusterDir)).catch(() => [] as string[]);
  const aside = siblings.filter((name) => name.startsWith(`${path.basename(clusterDir)}.before-restore-`));
  const backups = await completedBackupIds(layout);
  if (backups.length === 0 && aside.length === 0) return;
  throw new DataFolderMissing(
    `The database folder ${clusterDir} is missing, but this computer has ${backups.length} backup(s) in ${layout.root}` +
      `${aside.length ? ` and a previous folder kept by a restore (${aside.join(', ')})` : ''}. ` +
      'The workstation will not create an empty database over them. Restore it (npm run restore -- --latest), or move the backups folder away to start afresh.',
  );
}

/**
 * The embedded server's start, guarded: under the backup lock (a command-line restore cannot swap the
 * folder while it starts, and it waits for one that runs), an interrupted swap settled first, and no
 * empty database created where backups exist.
 */
export async function guardedEmbeddedStart<T>(
  appDataDir: string,
  clusterDir: string,
  start: () => Promise<T>,
  log: (message: string) => void = () => undefined,
): Promise<T> {
  const layout = backupLayout(path.join(appDataDir, 'backups'));
  try {
    return await withBackupLock(layout, async () => {
      const settled = await settleInterruptedSwap(layout, clusterDir);
      if (settled) log(settled);
      await refuseEmptyClusterOverBackups(layout, clusterDir);
      return start();
    });
  } catch (error) {
    if (!(error instanceof BackupBusy)) throw error;
    const holder = await backupLockHolder(layout);
    throw new BackupBusy(`A backup or restore is running${holder ? ` (process ${holder})` : ''}; the database opens once it has finished.`);
  }
}
