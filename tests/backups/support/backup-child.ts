// A backup in its own process, as `npm run backup` runs it, for the kill test: it prints each
// progress state as a JSON line and, once the copy is under way, stops there and waits (so the
// test's SIGKILL lands mid-copy, whatever the machine's speed). Password on stdin, never argv/env.
import { createInterface } from 'node:readline';
import { backupLayout, runBackup } from '../../../main/backups/index.js';

const [dataDir, backupsRoot, port, migrationsDir, pauseAtFile] = process.argv.slice(2);
const password = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
await runBackup(
  { layout: backupLayout(backupsRoot!), dataDir: dataDir!, superuserUrl: url, superuserPassword: password, migrationsDir: migrationsDir! },
  async (progress) => {
    process.stdout.write(`${JSON.stringify(progress)}\n`);
    if (progress.phase === 'copying' && progress.filesDone === Number(pauseAtFile)) {
      process.stdout.write('PAUSED\n');
      await new Promise(() => undefined); // until killed
    }
  },
);
process.stdout.write('FINISHED\n');
