// A whole-database restore in its own process, as `npm run restore` runs it, for the crash test: it
// stops between the swap's two renames (live folder moved aside, restored copy not yet in place),
// prints PAUSED and waits to be killed. Password on stdin, never argv/env.
import { createInterface } from 'node:readline';
import { backupLayout, restoreDataFolder } from '../../../main/backups/index.js';

const [dataDir, backupsRoot, migrationsDir] = process.argv.slice(2);
const password = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
await restoreDataFolder({
  layout: backupLayout(backupsRoot!),
  dataDir: dataDir!,
  superuserPassword: password,
  migrationsDir: migrationsDir!,
  target: { kind: 'latest' },
  log: (line) => process.stdout.write(`${line}\n`),
  beforeSecondRename: async () => {
    process.stdout.write('PAUSED\n');
    setInterval(() => undefined, 60_000); // keeps the process alive until killed
    await new Promise(() => undefined);
  },
});
process.stdout.write('FINISHED\n');
