// One process racing for the backup lock (spawned by backup-lock-race.test.ts): waits until every
// racer has started, takes the lock or is refused, and a holder keeps it until every racer is settled.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { backupLayout, withBackupLock } from '../../../main/backups/index.js';

const [backupsRoot = '', meetingDir = '', racersText = ''] = process.argv.slice(2);
const racers = Number(racersText);
const count = async (prefix: string) => (await fs.readdir(meetingDir)).filter((name) => name.startsWith(prefix)).length;
const until = async (done: () => Promise<boolean>) => {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 10)); // polls a state: the racers are separate processes
};
const settled = async () => (await count('entered-')) + (await count('refused-')) === racers;

await fs.writeFile(path.join(meetingDir, `ready-${process.pid}`), '');
await until(async () => (await count('ready-')) === racers);
await withBackupLock(backupLayout(backupsRoot), async () => {
  await fs.writeFile(path.join(meetingDir, `entered-${process.pid}`), '');
  await until(settled);
}).catch(async () => {
  await fs.writeFile(path.join(meetingDir, `refused-${process.pid}`), '');
  await until(settled);
});
