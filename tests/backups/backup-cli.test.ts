// `npm run backup` and `npm run restore` on an app-like data folder (CLINIC_DATA_DIR): a backup of the
// running server with progress printed, a restore refused while the server runs, then (app closed) a
// backup that starts the server itself and a restore to the latest state. The keychain is the one
// thing replaced: the password is handed in as the keychain would give it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runBackupCli } from '../../scripts/backup.js';
import { parseMoment, runRestoreCli } from '../../scripts/restore.js';
import { startAppLikeCluster, type AppLikeCluster } from './support/app-like-cluster.js';

let cluster: AppLikeCluster;
beforeAll(async () => {
  cluster = await startAppLikeCluster('backup-cli', 20);
}, 120_000);
afterAll(async () => cluster?.remove());

function output() {
  const lines: string[] = [];
  return { lines, out: { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`ERROR ${line}`) } };
}

test('npm run backup / restore: progress, verification, refusal while running, restore with the app closed', async () => {
  const env = { CLINIC_DATA_DIR: cluster.root };
  const password = () => cluster.superuserPassword;

  const running = output();
  expect(await runBackupCli([], env, running.out, password)).toBe(0);
  expect(running.lines.some((l) => /^copying \d+%/.test(l))).toBe(true);
  expect(running.lines).toContain('Verification: GOOD');

  const refused = output();
  expect(await runRestoreCli(['--latest'], env, refused.out, password)).toBe(1);
  expect(refused.lines.join('\n')).toMatch(/still running/);
  expect(await runRestoreCli(['--to', 'yesterday-ish'], env, output().out, password)).toBe(2);

  await cluster.stopServer();
  try {
    const closed = output();
    expect(await runBackupCli([], env, closed.out, password)).toBe(0); // starts the server itself, then stops it
    const listed = output();
    expect(await runBackupCli(['--list'], env, listed.out, password)).toBe(0);
    expect(listed.lines.filter((l) => / good /.test(l))).toHaveLength(2);
    const restored = output();
    expect(await runRestoreCli(['--latest'], env, restored.out, password)).toBe(0);
    console.log(
      `npm run backup (app running):\n  ${running.lines.join('\n  ')}\nnpm run backup -- --list:\n  ${listed.lines.join('\n  ')}\nnpm run restore -- --latest:\n  ${restored.lines.join('\n  ')}`,
    );
  } finally {
    await cluster.startServer();
  }
  expect(parseMoment('2026-12-01 14:05')?.getHours()).toBe(14); // read in this computer's zone
}, 240_000);
