// Migration CLI, as in the hospital database guide:
//   npm run migrate -- --all | --migration 002 | --check | --help  [--lock-timeout 5s] [--statement-timeout 0]
// Connects to DATABASE_URL as the schema owner.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKysely, createPool } from '../main/db/connection.js';
import { ALLOW_INSECURE_ENV } from '../main/db/connection-security.js';
import {
  createMigrator,
  DEFAULT_MIGRATION_TIMEOUTS,
  migrateToLatest,
  migrateUpTo,
  migrationStatus,
  migrationTimeouts,
  NO_TRANSACTION_MARKER,
} from '../main/db/migrator.js';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');
const USAGE = `Usage: npm run migrate -- <option>
  --all              run every pending migration (running it twice is a no-op)
  --migration NNN    run pending migrations up to and including NNN
  --check            list each migration's status; exit 1 if any is pending or failed
  --help             show this text
  --lock-timeout D   give up on a lock after D (default ${DEFAULT_MIGRATION_TIMEOUTS.lockTimeout}; env CLINIC_MIGRATION_LOCK_TIMEOUT)
  --statement-timeout D  stop a statement after D (default ${DEFAULT_MIGRATION_TIMEOUTS.statementTimeout} = none; env CLINIC_MIGRATION_STATEMENT_TIMEOUT)
D is a PostgreSQL duration: 500ms, 5s, 2min; 0 turns it off. Each migration runs in its own
transaction, unless its first line is "${NO_TRANSACTION_MARKER}" (CREATE INDEX CONCURRENTLY).
The database is the one DATABASE_URL names (connect as the schema owner). A server on another
computer needs sslmode=verify-full in it, unless ${ALLOW_INSECURE_ENV}=1 is set.`;

export async function runMigrateCli(argv: string[], env = process.env, out = console): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        all: { type: 'boolean' },
        migration: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean' },
        'lock-timeout': { type: 'string' },
        'statement-timeout': { type: 'string' },
      },
    }).values;
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const chosen = [args.all, args.migration !== undefined, args.check].filter(Boolean).length;
  if (args.help || chosen !== 1) {
    (args.help ? out.log : out.error)(USAGE);
    return args.help ? 0 : 2;
  }
  if (!env.DATABASE_URL) {
    out.error('DATABASE_URL is not set. Example: DATABASE_URL=postgres://owner@db.hospital.local/clinic npm run migrate -- --check');
    return 2;
  }
  let timeouts;
  let db;
  try {
    // Flags win over the environment, which wins over the defaults.
    timeouts = migrationTimeouts({
      lockTimeout: args['lock-timeout'] ?? env.CLINIC_MIGRATION_LOCK_TIMEOUT,
      statementTimeout: args['statement-timeout'] ?? env.CLINIC_MIGRATION_STATEMENT_TIMEOUT,
    });
    db = createKysely(createPool({ connectionString: env.DATABASE_URL, max: 1, applicationName: 'clinic-migrate' }, env));
  } catch (error) {
    out.error((error as Error).message);
    return 2;
  }
  const migrator = createMigrator(db, MIGRATIONS, timeouts);
  try {
    if (args.check) {
      const status = await migrationStatus(migrator);
      for (const m of status)
        out.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ''}`);
      const pending = status.filter((m) => !m.executedAt).length;
      out.log(pending === 0 ? 'Database is up to date.' : `${pending} migration(s) pending.`);
      return pending === 0 ? 0 : 1;
    }
    const ran = args.all ? await migrateToLatest(migrator) : await migrateUpTo(migrator, args.migration!);
    out.log(ran.length === 0 ? 'Nothing to migrate.' : ran.map((name) => `applied  ${name}`).join('\n'));
    return 0;
  } catch (error) {
    // --check on a broken history (a recorded migration whose file is gone) lands here too.
    out.error(`Migration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runMigrateCli(process.argv.slice(2));
}
