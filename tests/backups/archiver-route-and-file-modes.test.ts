// Review findings (low): the archiver status must come from the primary (a read replica's
// pg_stat_archiver is the standby's, and would show a healthy archive the primary may not have), and
// what the backups folder keeps about a failed restore or the schedule is readable by its owner only.
// No server needed: the restore fails on a backup that is not there.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyPendingRestore, backupLayout, backupsHandlers, writeBackupSettings } from '../../main/backups/index.js';

let appData: string;
beforeAll(async () => {
  appData = await fs.mkdtemp(path.join(os.tmpdir(), 'backup-modes-'));
});
afterAll(async () => fs.rm(appData, { recursive: true, force: true }));

const mode = async (file: string) => ((await fs.stat(file)).mode & 0o777).toString(8);

test('the archiver status is read on the primary, never on a replica', () => {
  expect(backupsHandlers['backups/get-archiver-status']).toMatchObject({ kind: 'db', readOnly: true, onPrimary: true });
});

test('restore-failed.txt and the schedule file are owner-only, even where a looser file was there before', async () => {
  const layout = backupLayout(path.join(appData, 'backups'));
  await fs.mkdir(layout.root, { recursive: true, mode: 0o755 });
  const failed = path.join(layout.root, 'restore-failed.txt');
  await fs.writeFile(failed, 'older failure\n', { mode: 0o644 });
  await fs.chmod(failed, 0o644);
  await fs.writeFile(
    path.join(layout.root, 'restore-request.json'),
    JSON.stringify({
      target: { kind: 'latest' },
      backupId: '2020-01-01T00-00-00-000Z',
      requestedBy: 'admin@demo.clinic',
      requestedAt: new Date().toISOString(),
    }),
  );
  const logged: string[] = [];
  expect(
    await applyPendingRestore(
      appData,
      () => 'unused',
      '/nonexistent',
      (line) => logged.push(line),
    ),
  ).toBeNull();
  expect(await fs.readFile(failed, 'utf8')).toMatch(/There is no backup 2020-01-01T00-00-00-000Z/);
  await writeBackupSettings(layout, { everyHours: 12, keepDays: 7 });
  const modes = { failed: await mode(failed), settings: await mode(layout.settingsFile), folder: await mode(layout.root) };
  console.log(`modes after a failed restore and a saved schedule: ${JSON.stringify(modes)} (running as uid ${os.userInfo().uid})`);
  expect(modes).toMatchObject({ failed: '600', settings: '600' });
  // As root the server runs as "postgres" and must reach backups/wal, so the folder stays 755 there (ensureServerFolder).
  expect(modes.folder).toBe(os.userInfo().uid === 0 ? '755' : '700');
});
