// Attack (review, low): two processes finding the same stale backup lock both removed it and both
// wrote their own, so two backups or restores ran at once. Eight takers race for a lock a dead
// process left, a hundred times: exactly one gets in each time; then separate processes do the same.
// (The first takeover let two in: 6 of 40 rounds; the second, which moved the stale lock aside and
// put back a fresh one it had moved by mistake, 2 of 40 on a loaded CI machine.) No server needed.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BackupBusy, backupLayout, withBackupLock, type BackupLayout } from '../../main/backups/index.js';
import { deadPid, raceForStaleLock, raceProcessesForStaleLock } from './support/lock-race.js';

let layout: BackupLayout;
beforeAll(async () => {
  layout = backupLayout(await fs.mkdtemp(path.join(os.tmpdir(), 'backup-lock-')));
});
afterAll(async () => fs.rm(layout.root, { recursive: true, force: true }));

test('a stale lock is taken over by exactly one of many racing takers', async () => {
  const stale = await deadPid();
  const rounds: { entered: number; refused: number }[] = [];
  for (let round = 0; round < 100; round += 1) rounds.push(await raceForStaleLock(withBackupLock, layout, 8, stale));
  const doubled = rounds.filter((r) => r.entered > 1).length;
  console.log(
    `lock race: 100 rounds x 8 takers of a lock left by dead pid ${stale}: rounds with more than one holder ${doubled}, ` +
      `holders per round ${[...new Set(rounds.map((r) => r.entered))].join('/')}`,
  );
  expect(rounds.every((r) => r.entered === 1 && r.refused === 7)).toBe(true);
});

test('a stale lock is taken over by exactly one of several processes racing for it', async () => {
  const stale = await deadPid();
  const rounds: { entered: number; refused: number }[] = [];
  for (let round = 0; round < 2; round += 1) rounds.push(await raceProcessesForStaleLock(layout, 5, stale));
  console.log(
    `lock race across processes: 2 rounds x 5 processes: ${rounds.map((r) => `${r.entered} in/${r.refused} refused`).join(', ')}`,
  );
  expect(rounds.every((r) => r.entered === 1 && r.refused === 4)).toBe(true);
}, 60_000); // five Node processes start per round

test("a live process's lock is never taken over, and finishing never removes another's lock", async () => {
  await fs.writeFile(layout.lockFile, `${process.ppid} someone-else`);
  await expect(withBackupLock(layout, async () => 'ran')).rejects.toThrow(BackupBusy);
  expect(await fs.readFile(layout.lockFile, 'utf8')).toBe(`${process.ppid} someone-else`);
  await fs.rm(layout.lockFile);
  // Our lock replaced while we work (an operator deleting it by hand): our release leaves the new one.
  await withBackupLock(layout, async () => {
    await fs.rm(layout.lockFile);
    await fs.writeFile(layout.lockFile, `${process.ppid} replaced`);
  });
  expect(await fs.readFile(layout.lockFile, 'utf8')).toBe(`${process.ppid} replaced`);
});
