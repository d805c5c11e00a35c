import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { backupLayout, type BackupLayout } from './backup-layout.js';
import { writeJsonAtomically } from './backup-manifest.js';
import { chooseBackup, restoreDataFolder, type RestoreOutcome } from './restore-cluster.js';

/** A whole-database restore asked for in Admin: it runs at the next start, before the database opens. */
const RestoreRequest = z.object({
  target: z.discriminatedUnion('kind', [z.object({ kind: z.literal('latest') }), z.object({ kind: z.literal('time'), at: z.string() })]),
  backupId: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
});
type RestoreRequest = z.infer<typeof RestoreRequest>;

const requestFile = (layout: BackupLayout) => path.join(layout.root, 'restore-request.json');

export async function requestRestore(
  layout: BackupLayout,
  target: RestoreRequest['target'],
  requestedBy: string,
  now: Date,
): Promise<string> {
  const manifest = await chooseBackup(layout, target.kind === 'time' ? { kind: 'time', at: new Date(target.at) } : target); // refused now, not at the restart
  await writeJsonAtomically(requestFile(layout), {
    target,
    backupId: manifest.id,
    requestedBy,
    requestedAt: now.toISOString(),
  } satisfies RestoreRequest);
  return manifest.id;
}

export async function pendingRestore(layout: BackupLayout): Promise<RestoreRequest | null> {
  try {
    return RestoreRequest.parse(JSON.parse(await fs.readFile(requestFile(layout), 'utf8')));
  } catch {
    return null;
  }
}

/**
 * At start, before the embedded server runs: carries out a requested restore. The request is
 * removed first (a restore that fails is not retried at every start); on failure the live data
 * folder is untouched and the reason is logged and kept beside the backups.
 */
export async function applyPendingRestore(
  appDataDir: string,
  superuserPassword: () => string,
  migrationsDir: string,
  log: (message: string, error?: unknown) => void,
): Promise<RestoreOutcome | null> {
  const layout = backupLayout(path.join(appDataDir, 'backups'));
  const request = await pendingRestore(layout);
  if (!request) return null;
  await fs.rm(requestFile(layout), { force: true });
  try {
    const outcome = await restoreDataFolder({
      layout,
      dataDir: path.join(appDataDir, 'postgres'),
      superuserPassword: superuserPassword(),
      migrationsDir,
      target: request.target.kind === 'time' ? { kind: 'time', at: new Date(request.target.at) } : { kind: 'latest' },
      backupId: request.backupId,
      log,
    });
    log(`Restore requested by ${request.requestedBy} done from backup ${outcome.backupId}; previous data kept at ${outcome.keptAside}`);
    return outcome;
  } catch (error) {
    log(`Restore requested by ${request.requestedBy} failed; the database was left as it was`, error);
    // Owner-only: the reason can name paths and backups.
    const failed = path.join(layout.root, 'restore-failed.txt');
    await fs.writeFile(failed, `${new Date().toISOString()} ${(error as Error).message}\n`, { mode: 0o600 });
    await fs.chmod(failed, 0o600);
    return null;
  }
}
