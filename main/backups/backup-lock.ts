import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PARTIAL_PREFIX, type BackupLayout } from './backup-layout.js';

export class BackupBusy extends Error {}

const BUSY = 'A backup or restore is already running.';
/** Every file the lock uses besides the lock itself starts so: temp files and takeover claims. */
const SIDE_FILE_PREFIX = '.backup.lock.';

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
const heldByLiveProcess = (text: string) => {
  const pid = holderPid(text);
  return Number.isInteger(pid) && pid > 0 && alive(pid);
};

/** A lock file as one taker saw it: its text and an identity no later lock file can share (inode, change time, text). */
type SeenLock = { text: string; identity: string };

async function readLock(file: string): Promise<SeenLock | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const [text, stat] = await Promise.all([handle.readFile('utf8'), handle.stat({ bigint: true })]);
    return { text, identity: `${stat.ino}:${stat.ctimeNs}:${text}` };
  } finally {
    await handle.close();
  }
}

const sideFile = (layout: BackupLayout, name: string) => path.join(layout.root, `${SIDE_FILE_PREFIX}${name}`);

/** A file holding our token, written completely before anyone can see it under its final name. */
async function writeTemp(layout: BackupLayout, token: string): Promise<string> {
  const temp = sideFile(layout, randomBytes(6).toString('hex'));
  await fs.writeFile(temp, token, { flag: 'wx', mode: 0o600 });
  return temp;
}

/** Puts our token at `target` only if nothing is there (link fails if it exists). */
async function createExclusive(layout: BackupLayout, target: string, token: string): Promise<boolean> {
  const temp = await writeTemp(layout, token);
  try {
    await fs.link(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Replaces a lock left by a dead process with ours. Only the taker that creates the claim file named
 * after that exact lock may replace it, and it does so in one rename while the lock is still the one
 * it judged stale: the lock is never absent, so no other taker can slip in between. A claimant that
 * died mid-takeover is itself taken over through a claim named after its claim.
 */
async function takeOverStaleLock(layout: BackupLayout, stale: SeenLock, token: string, chain: string[] = []): Promise<boolean> {
  const links = [...chain, stale.identity];
  const claim = sideFile(layout, `takeover-${createHash('sha256').update(links.join('\n')).digest('hex').slice(0, 24)}`);
  if (!(await createExclusive(layout, claim, token))) {
    const claimant = await readLock(claim);
    if (!claimant || heldByLiveProcess(claimant.text) || links.length > 4) return false;
    return takeOverStaleLock(layout, stale, token, [...links, claimant.identity]);
  }
  try {
    if ((await readLock(layout.lockFile))?.identity !== stale.identity) return false; // someone else's by now
    await fs.rename(await writeTemp(layout, token), layout.lockFile);
    return true;
  } finally {
    await fs.rm(claim, { force: true });
  }
}

async function takeLock(layout: BackupLayout, token: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await createExclusive(layout, layout.lockFile, token)) return;
    const seen = await readLock(layout.lockFile);
    if (!seen) continue; // released just now: look again
    if (heldByLiveProcess(seen.text)) break;
    if (await takeOverStaleLock(layout, seen, token)) return;
  }
  throw new BackupBusy(BUSY);
}

/** Temp files and claims left by killed processes; swept by the lock's holder, when no live taker can need them. */
async function sweepDeadSideFiles(layout: BackupLayout): Promise<void> {
  for (const name of await fs.readdir(layout.root)) {
    if (!name.startsWith(SIDE_FILE_PREFIX)) continue;
    const file = path.join(layout.root, name);
    const text = await fs.readFile(file, 'utf8').catch(() => null);
    if (text !== null && !heldByLiveProcess(text)) await fs.rm(file, { force: true });
  }
}

/** The pid holding the lock, when that process is alive; null when the lock is free or stale. */
export async function backupLockHolder(layout: BackupLayout): Promise<number | null> {
  const text = await fs.readFile(layout.lockFile, 'utf8').catch(() => '');
  return heldByLiveProcess(text) ? holderPid(text) : null;
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
    await sweepDeadSideFiles(layout);
    for (const name of await fs.readdir(layout.baseDir)) {
      if (name.startsWith(PARTIAL_PREFIX)) await fs.rm(path.join(layout.baseDir, name), { recursive: true, force: true });
    }
    return await work();
  } finally {
    // Only our own lock: never one another process holds.
    if ((await fs.readFile(layout.lockFile, 'utf8').catch(() => '')) === token) await fs.rm(layout.lockFile, { force: true });
  }
}
