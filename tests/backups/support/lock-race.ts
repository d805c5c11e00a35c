// Contenders racing for a backup lock a dead process left behind: how many got in at the same time.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackupLayout } from '../../../main/backups/index.js';

type WithLock = <T>(layout: BackupLayout, work: () => Promise<T>) => Promise<T>;

/** The pid of a process that has exited: a lock holding it is stale. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** One round: a stale lock, `contenders` takers at once; each holder waits until every taker has got in or been refused. */
export async function raceForStaleLock(withLock: WithLock, layout: BackupLayout, contenders: number, stalePid: number) {
  await fs.mkdir(layout.baseDir, { recursive: true });
  await fs.writeFile(layout.lockFile, String(stalePid));
  let entered = 0;
  let refused = 0;
  let release!: () => void;
  const allSettled = new Promise<void>((resolve) => (release = resolve));
  const settle = () => entered + refused === contenders && release();
  await Promise.all(
    Array.from({ length: contenders }, () =>
      withLock(layout, async () => {
        entered += 1;
        settle();
        await allSettled;
      }).catch(() => {
        refused += 1;
        settle();
      }),
    ),
  );
  return { entered, refused };
}

/** The same race between separate processes (the app and `npm run backup`, say), each its own pid. */
export async function raceProcessesForStaleLock(layout: BackupLayout, racers: number, stalePid: number) {
  await fs.mkdir(layout.baseDir, { recursive: true });
  await fs.writeFile(layout.lockFile, String(stalePid));
  const meetingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-race-'));
  const taker = path.join(import.meta.dirname, 'lock-taker.ts');
  const exits = Array.from({ length: racers }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', taker, layout.root, meetingDir, String(racers)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return new Promise((resolve) => child.on('exit', resolve));
  });
  await Promise.all(exits);
  const names = await fs.readdir(meetingDir);
  await fs.rm(meetingDir, { recursive: true, force: true });
  return {
    entered: names.filter((name) => name.startsWith('entered-')).length,
    refused: names.filter((name) => name.startsWith('refused-')).length,
  };
}
