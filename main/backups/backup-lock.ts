import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PARTIAL_PREFIX, type BackupLayout } from './backup-layout.js';

export class BackupBusy extends Error {}

const BUSY = 'A backup or restore is already running.';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The lock's holder: its pid and a token unique to this taking (one process may try several times at once). */
const holderPid = (text: string) => Number(text.split(' ')[0]);

/** Creates the lock file with our token in one step (link fails if it exists): nobody ever sees it empty or half-written. */
async function createLock(layout: BackupLayout, token: string): Promise<boolean> {
  const temp = path.join(layout.root, `.backup.lock.${randomBytes(6).toString('hex')}`);
  await fs.writeFile(temp, token, { flag: 'wx', mode: 0o600 });
  try {
    await fs.link(temp, layout.lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Removes a lock left by a dead process, and only that lock: it is renamed to a name of our own (one
 * taker wins that rename) and checked to be the same file we judged stale. Had another taker replaced
 * it meanwhile, that fresh lock is linked back in place.
 */
async function removeStaleLock(layout: BackupLayout, staleInode: number): Promise<void> {
  const moved = path.join(layout.root, `.backup.lock.stale-${randomBytes(6).toString('hex')}`);
  try {
    await fs.rename(layout.lockFile, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another taker removed it
    throw error;
  }
  if ((await fs.stat(moved)).ino !== staleInode) await fs.link(moved, layout.lockFile).catch(() => undefined);
  await fs.rm(moved, { force: true });
}

async function takeLock(layout: BackupLayout, token: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (await createLock(layout, token)) return;
    const handle = await fs.open(layout.lockFile, 'r').catch(() => null);
    if (!handle) continue; // released just now: try again once
    const [text, stat] = await Promise.all([handle.readFile('utf8'), handle.stat()]).finally(() => handle.close());
    const holder = holderPid(text);
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) break;
    await removeStaleLock(layout, stat.ino);
  }
  throw new BackupBusy(BUSY);
}

/** The pid holding the lock, when that process is alive; null when the lock is free or stale. */
export async function backupLockHolder(layout: BackupLayout): Promise<number | null> {
  const holder = holderPid(await fs.readFile(layout.lockFile, 'utf8').catch(() => ''));
  return Number.isInteger(holder) && holder > 0 && alive(holder) ? holder : null;
}

/**
 * One backup or restore at a time, across the app and the CLI: a lock file holding the pid. A lock
 * left by a killed process (pid gone) is taken over, and that process's half-copied folder removed.
 */
export async function withBackupLock<T>(layout: BackupLayout, work: () => Promise<T>): Promise<T> {
  await fs.mkdir(layout.baseDir, { recursive: true, mode: 0o700 });
  const token = `${process.pid} ${randomBytes(8).toString('hex')}`;
  await takeLock(layout, token);
  try {
    for (const name of await fs.readdir(layout.baseDir)) {
      if (name.startsWith(PARTIAL_PREFIX)) await fs.rm(path.join(layout.baseDir, name), { recursive: true, force: true });
    }
    return await work();
  } finally {
    // Only our own lock: never one another process holds.
    if ((await fs.readFile(layout.lockFile, 'utf8').catch(() => '')) === token) await fs.rm(layout.lockFile, { force: true });
  }
}
