// Restore CLI for the embedded database (issue #12), with the app closed:
//   npm run restore -- --latest                     everything up to the last archived change
//   npm run restore -- --to "2026-12-01 14:05"      the database as it was at that moment (this computer's time zone)
//   npm run restore -- --to "…" --backup <id>       from a chosen backup (npm run backup -- --list)
// The current data folder is kept aside (postgres.before-restore-…) and swapped only once the
// restored copy has started and passed the checks; on any failure it is left as it was.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appDataDir, backupLayout, restoreDataFolder } from '../main/backups/index.js';
import { readSecret } from '../main/config/keychain.js';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');
const USAGE = `Usage: npm run restore -- (--latest | --to "YYYY-MM-DD HH:MM[:SS]") [--backup ID]
Close the Clinic Workstation first. The data folder is the app's (CLINIC_DATA_DIR overrides it).`;

/** "2026-12-01 14:05" in this computer's zone (or any ISO time with its own offset). */
export function parseMoment(text: string): Date | null {
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  const at = local ? new Date(+local[1]!, +local[2]! - 1, +local[3]!, +local[4]!, +local[5]!, +(local[6] ?? 0)) : new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

export async function runRestoreCli(
  argv: string[],
  env = process.env,
  out: Pick<Console, 'log' | 'error'> = console,
  password = () => readSecret('embedded-postgres-superuser'),
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { latest: { type: 'boolean' }, to: { type: 'string' }, backup: { type: 'string' }, help: { type: 'boolean' } },
    }).values;
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help || Boolean(args.latest) === (args.to !== undefined)) {
    (args.help ? out.log : out.error)(USAGE);
    return args.help ? 0 : 2;
  }
  const at = args.to !== undefined ? parseMoment(args.to) : null;
  if (args.to !== undefined && !at) {
    out.error(`"${args.to}" is not a moment; write it like 2026-12-01 14:05.`);
    return 2;
  }
  const superuserPassword = password();
  if (!superuserPassword) {
    out.error('No embedded database password in the keychain: has the app been started on this computer?');
    return 2;
  }
  const dataDir = appDataDir(env);
  try {
    const outcome = await restoreDataFolder({
      layout: backupLayout(path.join(dataDir, 'backups')),
      dataDir: path.join(dataDir, 'postgres'),
      superuserPassword,
      migrationsDir: MIGRATIONS,
      target: at ? { kind: 'time', at } : { kind: 'latest' },
      ...(args.backup ? { backupId: args.backup } : {}),
      log: (line) => out.log(line),
    });
    for (const check of outcome.checks) out.log(`  ${check}`);
    out.log(`Restored${at ? ` to ${at.toString()}` : ' to the latest archived state'}. Start the app; take a new backup once it is open.`);
    return 0;
  } catch (error) {
    out.error(`Restore failed, the database was left as it was: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runRestoreCli(process.argv.slice(2));
}
