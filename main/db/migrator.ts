import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Migrator, sql, type Kysely, type MigrationInfo, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { splitStatements } from './sql-statements.js';

// Migrations run before (and change) the schema the generated types describe; Kysely's Migrator takes Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type UntypedDb = Kysely<any>;

/** Migrations are numbered, forward-only .sql files: 001_initial_schema.sql, 002_... */
const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;
/** A file whose first line is this runs outside a transaction, one statement at a time (CREATE INDEX CONCURRENTLY). */
export const NO_TRANSACTION_MARKER = '-- migrate:no-transaction';

/**
 * Set for every migration, as PostgreSQL durations ('5s', '500ms', '0' = off). lock_timeout keeps a
 * migration from queueing behind a long transaction on a full table — a waiting ACCESS EXCLUSIVE
 * request blocks every later reader too — so it gives up quickly instead. statement_timeout is off:
 * a CONCURRENTLY build or a backfill on a million rows may rightly take minutes without blocking anyone.
 */
export interface MigrationTimeouts {
  lockTimeout: string;
  statementTimeout: string;
}
export const DEFAULT_MIGRATION_TIMEOUTS: MigrationTimeouts = { lockTimeout: '5s', statementTimeout: '0' };
const DURATION = /^\d+\s*(us|ms|s|min|h|d)?$/;

export interface MigrationRunner {
  getMigrations(): Promise<readonly MigrationInfo[]>;
  readonly timeouts: MigrationTimeouts;
  /** Runs the first pending migration in the mode its file asks for, unless its name sorts after `last`. */
  runNext(last?: string): Promise<string[]>;
}

interface MigrationFile {
  name: string;
  text: string;
  inTransaction: boolean;
}

async function readMigrationFiles(folder: string): Promise<MigrationFile[]> {
  const files = (await fs.readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await fs.readFile(path.join(folder, file), 'utf8');
      return { name: path.basename(file, '.sql'), text, inTransaction: text.split(/\r?\n/, 1)[0]!.trim() !== NO_TRANSACTION_MARKER };
    }),
  );
}

/** Inside a transaction: the file as one query (the simple protocol lets it hold many statements). */
async function runInTransaction(trx: UntypedDb, file: MigrationFile, timeouts: MigrationTimeouts): Promise<void> {
  await sql`SELECT set_config('lock_timeout', ${timeouts.lockTimeout}, true), set_config('statement_timeout', ${timeouts.statementTimeout}, true)`.execute(
    trx,
  );
  await sql.raw(file.text).execute(trx);
}

/** Outside a transaction: each statement on its own, so CONCURRENTLY is allowed; the timeouts are the session's until the file ends. */
async function runOutsideTransaction(connection: UntypedDb, file: MigrationFile, timeouts: MigrationTimeouts): Promise<void> {
  await sql`SELECT set_config('lock_timeout', ${timeouts.lockTimeout}, false), set_config('statement_timeout', ${timeouts.statementTimeout}, false)`.execute(
    connection,
  );
  try {
    for (const statement of splitStatements(file.text)) await sql.raw(statement).execute(connection);
  } finally {
    await sql.raw('RESET lock_timeout; RESET statement_timeout').execute(connection);
  }
}

/**
 * Every file is offered to both Kysely migrators (they check the recorded history against the full
 * list), but each runs only the files of its own mode: if another runner moved the history on
 * between our look and our run, the wrong one refuses rather than run a file in the wrong mode.
 */
function provider(folder: string, inTransaction: boolean, timeouts: MigrationTimeouts): MigrationProvider {
  return {
    async getMigrations() {
      const entries = (await readMigrationFiles(folder)).map((file) => {
        const up = async (db: UntypedDb) => {
          if (file.inTransaction !== inTransaction)
            throw new Error('the migration history changed while it was starting (another runner?); run it again');
          await (inTransaction ? runInTransaction : runOutsideTransaction)(db, file, timeouts);
        };
        return [file.name, { up }] as const;
      });
      return Object.fromEntries(entries);
    },
  };
}

/** Reads PostgreSQL durations for the runner, refusing anything else (they go to set_config). */
export function migrationTimeouts(overrides: Partial<Record<keyof MigrationTimeouts, string | undefined>> = {}): MigrationTimeouts {
  const timeouts = { ...DEFAULT_MIGRATION_TIMEOUTS };
  for (const key of ['lockTimeout', 'statementTimeout'] as const) {
    const value = overrides[key]?.trim();
    if (value === undefined || value === '') continue;
    if (!DURATION.test(value))
      throw new Error(
        `${key === 'lockTimeout' ? 'lock_timeout' : 'statement_timeout'} must be a duration such as 5s, 500ms or 2min (0 turns it off), not "${value}".`,
      );
    timeouts[key] = value;
  }
  return timeouts;
}

/**
 * Each migration runs on its own, in its own transaction unless its file's first line is
 * `-- migrate:no-transaction`, with lock_timeout and statement_timeout set (defaults above).
 */
export function createMigrator(db: UntypedDb, folder: string, timeouts: MigrationTimeouts = DEFAULT_MIGRATION_TIMEOUTS): MigrationRunner {
  const inTransaction = new Migrator({ db, provider: provider(folder, true, timeouts) });
  const outside = new Migrator({ db, provider: provider(folder, false, timeouts), disableTransactions: true });
  return {
    timeouts,
    getMigrations: () => inTransaction.getMigrations(),
    async runNext(last) {
      const next = (await inTransaction.getMigrations()).find((m) => !m.executedAt);
      if (!next || (last !== undefined && next.name > last)) return [];
      const file = (await readMigrationFiles(folder)).find((f) => f.name === next.name);
      return applied(await (file?.inTransaction === false ? outside : inTransaction).migrateUp(), file, timeouts);
    },
  };
}

export interface MigrationStatus {
  name: string;
  number: string;
  executedAt: Date | null;
}

export async function migrationStatus(migrator: MigrationRunner): Promise<MigrationStatus[]> {
  const all = await migrator.getMigrations();
  return all.map((m) => ({ name: m.name, number: m.name.slice(0, 3), executedAt: m.executedAt ?? null }));
}

/** Runs every pending migration, one by one; throws with the failing migration's name and the database's reason. */
export async function migrateToLatest(migrator: MigrationRunner): Promise<string[]> {
  return runUpTo(migrator);
}

/**
 * Runs pending migrations up to and including number N (earlier pending ones first, since later
 * files depend on them). Forward-only: asking for one that is already applied changes nothing.
 */
export async function migrateUpTo(migrator: MigrationRunner, number: string): Promise<string[]> {
  const status = await migrationStatus(migrator);
  const target = status.find((m) => m.number === number.padStart(3, '0'));
  if (!target) throw new Error(`No migration numbered ${number} in the migrations folder.`);
  if (target.executedAt) return [];
  return runUpTo(migrator, target.name);
}

async function runUpTo(migrator: MigrationRunner, last?: string): Promise<string[]> {
  const ran: string[] = [];
  for (let names = await migrator.runNext(last); names.length > 0; names = await migrator.runNext(last)) ran.push(...names);
  return ran;
}

/** What a DBA should do about the errors a live database gives a migration. */
function advice(code: string | undefined, file: MigrationFile | undefined, timeouts: MigrationTimeouts): string {
  const undone = file?.inTransaction === false ? 'it is written to be run again' : 'nothing of it was applied';
  if (code === '55P03') {
    return ` (another session held a lock this migration needs for longer than lock_timeout ${timeouts.lockTimeout}; ${undone}. Run it again when the tables are quieter, or raise --lock-timeout.)`;
  }
  if (code === '57014')
    return ` (stopped by statement_timeout ${timeouts.statementTimeout} or cancelled; ${undone}. Raise --statement-timeout, or 0 for none.)`;
  if (code === '25001') return ` (make ${NO_TRANSACTION_MARKER} the file's first line to run it outside a transaction.)`;
  return '';
}

function applied(result: MigrationResultSet, file: MigrationFile | undefined, timeouts: MigrationTimeouts): string[] {
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error) {
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    const code = (result.error as { code?: unknown }).code;
    const hint = advice(typeof code === 'string' ? code : undefined, file, timeouts);
    throw new Error(failed ? `Migration ${failed.migrationName} failed: ${reason}${hint}` : `Migrations failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
