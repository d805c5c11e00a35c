import { promises as fs } from 'node:fs';
import path from 'node:path';
import { backupFolder, completedBackupIds, type BackupLayout } from './backup-layout.js';
import { readManifest, readStatus } from './backup-manifest.js';

export interface PruneResult {
  removedBackups: string[];
  removedWalFiles: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** WAL segment (and its .backup/.partial companions): 8 hex timeline + 16 hex position. */
const SEGMENT = /^[0-9A-F]{24}(\.[0-9A-F]{8}\.backup|\.partial)?$/;

/**
 * Keeps every backup of the last N days and, whatever its age, the newest good one; removes older
 * backups, then the archived WAL older than the oldest backup kept (never a segment it needs, never
 * a timeline history file: later restores follow timelines through them).
 */
export async function pruneBackups(layout: BackupLayout, keepDays: number, now: Date): Promise<PruneResult> {
  const ids = await completedBackupIds(layout);
  const states = await Promise.all(ids.map(async (id) => ({ id, status: await readStatus(backupFolder(layout, id)) })));
  const newestGood = states.filter((s) => s.status.state === 'good').pop()?.id;
  const cutoff = now.getTime() - keepDays * DAY_MS;
  const removedBackups: string[] = [];
  for (const id of ids) {
    const manifest = await readManifest(backupFolder(layout, id)).catch(() => null);
    const finished = manifest ? Date.parse(manifest.finishedAt) : 0;
    if (id === newestGood || finished >= cutoff) continue;
    await fs.rm(backupFolder(layout, id), { recursive: true, force: true });
    removedBackups.push(id);
  }
  const kept = ids.filter((id) => !removedBackups.includes(id));
  if (kept.length === 0) return { removedBackups, removedWalFiles: 0 }; // nothing to anchor on: keep all WAL
  const oldest = await readManifest(backupFolder(layout, kept[0]!)).catch(() => null);
  if (!oldest) return { removedBackups, removedWalFiles: 0 };
  const oldestPosition = oldest.startWalFile.slice(8);
  let removedWalFiles = 0;
  for (const name of await fs.readdir(layout.walDir).catch(() => [] as string[])) {
    if (!SEGMENT.test(name) || name.slice(8, 24) >= oldestPosition) continue;
    await fs.rm(path.join(layout.walDir, name), { force: true });
    removedWalFiles += 1;
  }
  return { removedBackups, removedWalFiles };
}
