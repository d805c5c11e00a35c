// Retention on a backup folder laid out by hand (no server needed): backups older than N days go, the
// newest good one stays whatever its age, and archived WAL goes only below the oldest kept backup's start.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { backupFolder, backupLayout, pruneBackups, type BackupLayout } from '../../main/backups/index.js';

let layout: BackupLayout;
const now = new Date('2026-12-20T03:00:00Z');
const day = 24 * 60 * 60 * 1000;

async function fakeBackup(daysAgo: number, startWal: string, state: 'good' | 'bad') {
  const at = new Date(now.getTime() - daysAgo * day);
  const id = at.toISOString().replace(/[:.]/g, '-');
  const folder = backupFolder(layout, id);
  await fs.mkdir(path.join(folder, 'data'), { recursive: true });
  const manifest = {
    id,
    label: id,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    startLsn: '0/0',
    stopLsn: '0/0',
    startWalFile: startWal,
    stopWalFile: startWal,
    serverVersion: '18',
    directories: [],
    files: [],
    totalBytes: 0,
  };
  await fs.writeFile(path.join(folder, 'backup-manifest.json'), JSON.stringify(manifest));
  await fs.writeFile(
    path.join(folder, 'backup-status.json'),
    JSON.stringify({ state, checkedAt: at.toISOString(), reason: null, checks: [] }),
  );
  return id;
}

beforeAll(async () => {
  layout = backupLayout(await fs.mkdtemp(path.join(os.tmpdir(), 'retention-')));
  await fs.mkdir(layout.walDir, { recursive: true });
});
afterAll(async () => fs.rm(layout.root, { recursive: true, force: true }));

test('keeps N days of backups and the WAL the oldest kept one needs; never the last good backup', async () => {
  const old = await fakeBackup(20, '000000010000000000000010', 'good');
  const kept = await fakeBackup(5, '000000010000000000000030', 'good');
  const newest = await fakeBackup(1, '000000020000000000000040', 'bad');
  const wal = [
    '000000010000000000000010',
    '00000001000000000000002F',
    '000000010000000000000030',
    '000000010000000000000030.00000028.backup',
    '000000020000000000000041',
    '00000002.history',
  ];
  for (const name of wal) await fs.writeFile(path.join(layout.walDir, name), '');

  const result = await pruneBackups(layout, 7, now);
  expect(result.removedBackups).toEqual([old]);
  expect(existsSync(backupFolder(layout, kept))).toBe(true);
  expect(existsSync(backupFolder(layout, newest))).toBe(true);
  expect((await fs.readdir(layout.walDir)).sort()).toEqual([
    '000000010000000000000030',
    '000000010000000000000030.00000028.backup',
    '00000002.history',
    '000000020000000000000041',
  ]);

  // Everything older than a day, but the newest good backup (5 days old) stays, and so does its WAL.
  const second = await pruneBackups(layout, 1, now);
  expect(second.removedBackups).toEqual([]);
  await fs.rm(backupFolder(layout, newest), { recursive: true });
  const third = await pruneBackups(layout, 1, now);
  expect(third).toEqual({ removedBackups: [], removedWalFiles: 0 });
  console.log(
    `retention: first pass removed ${result.removedBackups.length} backup and ${result.removedWalFiles} WAL files; the last good backup survived keepDays=1`,
  );
});
