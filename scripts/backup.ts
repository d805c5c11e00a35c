// Backup CLI for the embedded database (issue #12):
//   npm run backup            take a base backup now, verify it by restoring it, apply retention
//   npm run backup -- --list  list the backups and whether each verified good
// Uses the app's data folder (CLINIC_DATA_DIR to choose another) and the superuser password in the OS
// keychain. Works whether the app is running (it backs up the running server) or not (it starts it).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appDataDir, backupLayout, listBackups, runBackup, runningServerPort, type BackupProgress } from '../main/backups/index.js';
import { readSecret } from '../main/config/keychain.js';
import { startEmbeddedServer } from '../main/db/embedded-server.js';
import { embeddedArchiveDir } from '../main/startup/open-database.js';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');
const USAGE = `Usage: npm run backup [-- --list]
Backs up this computer's embedded database into <data folder>/backups (a hospital's own server is
backed up by its DBA with pg_basebackup or pgBackRest; see the README). The data folder is the app's
(CLINIC_DATA_DIR overrides it).`;

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** One line per phase and per 10% of the copy; on a terminal the copy line is redrawn in place. */
function progressPrinter(out: Pick<Console, 'log'>, tty: boolean) {
  let lastPhase = '';
  let lastTenth = -1;
  return (p: BackupProgress) => {
    if (p.phase === 'copying') {
      const tenth = Math.floor((p.bytesDone / Math.max(p.bytesTotal, 1)) * 10);
      const line = `copying ${Math.round((p.bytesDone / Math.max(p.bytesTotal, 1)) * 100)}%  ${p.filesDone}/${p.filesTotal} files, ${megabytes(p.bytesDone)} of ${megabytes(p.bytesTotal)}`;
      if (tty) process.stdout.write(`\r${line}`);
      else if (tenth !== lastTenth) out.log(line);
      lastTenth = tenth;
    } else if (p.phase !== lastPhase) {
      if (tty && lastPhase === 'copying') process.stdout.write('\n');
      out.log(
        {
          starting: 'starting (checkpoint)…',
          finishing: 'finishing (waiting for the last WAL to be archived)…',
          verifying: 'verifying: restoring into a scratch database…',
          done: 'done.',
        }[p.phase] ?? p.phase,
      );
    }
    lastPhase = p.phase;
  };
}

export async function runBackupCli(
  argv: string[],
  env = process.env,
  out: Pick<Console, 'log' | 'error'> = console,
  password = () => readSecret('embedded-postgres-superuser'),
): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { list: { type: 'boolean' }, help: { type: 'boolean' } } }).values;
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out.log(USAGE);
    return 0;
  }
  if (env.DATABASE_URL) {
    out.error(
      "DATABASE_URL names a hospital's server: the app does not back it up. Use pg_basebackup or pgBackRest there (see the README).",
    );
    return 2;
  }
  const dataDir = appDataDir(env);
  const layout = backupLayout(path.join(dataDir, 'backups'));
  if (args.list) {
    for (const b of await listBackups(layout))
      out.log(`${b.id}  ${b.state.padEnd(10)} ${megabytes(b.totalBytes).padStart(9)}  ${b.reason ?? ''}`);
    return 0;
  }
  const superuserPassword = password();
  if (!superuserPassword) {
    out.error(`No embedded database password in the keychain for ${dataDir}: has the app been started here?`);
    return 2;
  }
  const clusterDir = path.join(dataDir, 'postgres');
  let port = await runningServerPort(clusterDir);
  const started =
    port === null ? await startEmbeddedServer({ dataDir: clusterDir, superuserPassword, archiveDir: embeddedArchiveDir(dataDir) }) : null;
  port = started?.port ?? port;
  try {
    const url = `postgres://postgres:${encodeURIComponent(superuserPassword)}@127.0.0.1:${port}/postgres`;
    const outcome = await runBackup(
      { layout, dataDir: clusterDir, superuserUrl: url, superuserPassword, migrationsDir: MIGRATIONS },
      progressPrinter(out, Boolean(process.stdout.isTTY)),
    );
    out.log(`Backup ${outcome.manifest.id}: ${outcome.manifest.files.length} files, ${megabytes(outcome.manifest.totalBytes)}.`);
    out.log(`Verification: ${outcome.status.state.toUpperCase()}${outcome.status.reason ? ` — ${outcome.status.reason}` : ''}`);
    for (const check of outcome.status.checks) out.log(`  ${check}`);
    if (outcome.pruned.removedBackups.length > 0 || outcome.pruned.removedWalFiles > 0)
      out.log(
        `Retention removed ${outcome.pruned.removedBackups.length} old backup(s) and ${outcome.pruned.removedWalFiles} archived WAL file(s).`,
      );
    return outcome.status.state === 'good' ? 0 : 1;
  } catch (error) {
    out.error(`Backup failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await started?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runBackupCli(process.argv.slice(2));
}
