// The migration CLI and runner on clean real databases (embedded PostgreSQL 18; SQL kept 15-safe).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { inject, afterAll, describe, expect, it } from 'vitest';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest, migrateUpTo, migrationTimeouts, NO_TRANSACTION_MARKER } from '../../main/db/migrator.js';
import { createDatabase } from '../../scripts/lib/scratch-cluster.js';
import { runMigrateCli } from '../../scripts/migrate.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const clusterUrl = () => inject('clusterUrl');
const created: string[] = [];

async function cleanDatabase(name: string): Promise<string> {
  await createDatabase(`${clusterUrl()}postgres`, name);
  created.push(name);
  return `${clusterUrl()}${name}`;
}

function capture() {
  const lines: string[] = [];
  return { lines, out: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } as unknown as Console };
}

afterAll(async () => {
  const pool = createPool({ connectionString: `${clusterUrl()}postgres`, max: 1 });
  for (const name of created) await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await pool.end();
});

describe('migration CLI', () => {
  it('checks, runs one, runs all, and is a no-op the second time', async () => {
    const env = { DATABASE_URL: await cleanDatabase('cli_clean') };
    const files = (await fs.readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();

    const check1 = capture();
    expect(await runMigrateCli(['--check'], env, check1.out)).toBe(1);
    expect(check1.lines.filter((l) => l.startsWith('pending'))).toHaveLength(files.length);

    const one = capture();
    expect(await runMigrateCli(['--migration', '002'], env, one.out)).toBe(0);
    expect(one.lines.join('\n')).toBe('applied  001_initial_schema\napplied  002_rbac_system');

    const all = capture();
    expect(await runMigrateCli(['--all'], env, all.out)).toBe(0);
    expect(all.lines.join('\n').split('\n')).toHaveLength(files.length - 2);

    const again = capture();
    expect(await runMigrateCli(['--all'], env, again.out)).toBe(0);
    expect(again.lines).toEqual(['Nothing to migrate.']);

    const earlier = capture();
    expect(await runMigrateCli(['--migration', '001'], env, earlier.out)).toBe(0);
    expect(earlier.lines).toEqual(['Nothing to migrate.']);

    const check2 = capture();
    expect(await runMigrateCli(['--check'], env, check2.out)).toBe(0);
    expect(check2.lines.at(-1)).toBe('Database is up to date.');
  });

  it('explains bad usage and a missing DATABASE_URL with a non-zero exit', async () => {
    const usage = capture();
    expect(await runMigrateCli([], { DATABASE_URL: 'postgres://x' }, usage.out)).toBe(2);
    expect(await runMigrateCli(['--all', '--check'], { DATABASE_URL: 'postgres://x' }, capture().out)).toBe(2);
    const noUrl = capture();
    expect(await runMigrateCli(['--check'], {}, noUrl.out)).toBe(2);
    expect(noUrl.lines[0]).toMatch(/DATABASE_URL is not set/);
    const unknown = capture();
    expect(await runMigrateCli(['--migration', '999'], { DATABASE_URL: await cleanDatabase('cli_unknown') }, unknown.out)).toBe(1);
    expect(unknown.lines[0]).toMatch(/No migration numbered 999/);
    const badTimeout = capture();
    expect(
      await runMigrateCli(
        ['--check', '--lock-timeout', "5s'; DROP TABLE users; --"],
        { DATABASE_URL: 'postgres://x@localhost/x' },
        badTimeout.out,
      ),
    ).toBe(2);
    expect(badTimeout.lines[0]).toMatch(/lock_timeout must be a duration such as 5s/);
    const badEnv = capture();
    expect(
      await runMigrateCli(
        ['--check'],
        { DATABASE_URL: 'postgres://x@localhost/x', CLINIC_MIGRATION_STATEMENT_TIMEOUT: 'forever' },
        badEnv.out,
      ),
    ).toBe(2);
    expect(badEnv.lines[0]).toMatch(/statement_timeout must be a duration/);
  });

  it('refuses a remote DATABASE_URL without sslmode=verify-full before connecting (the owner password would cross the network)', async () => {
    for (const url of [
      'postgres://clinic_owner:secret@192.0.2.10/clinic',
      'postgres://clinic_owner:secret@db.hospital.example/clinic?sslmode=require',
    ]) {
      const refused = capture();
      expect(await runMigrateCli(['--check'], { DATABASE_URL: url }, refused.out), url).toBe(2);
      expect(refused.lines[0]).toMatch(/without sslmode=verify-full.*CLINIC_ALLOW_INSECURE_DATABASE=1/);
    }
  });

  it('reports a failing migration by name, rolls it back, and leaves it pending', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    for (const f of await fs.readdir(MIGRATIONS)) await fs.copyFile(path.join(MIGRATIONS, f), path.join(folder, f));
    await fs.writeFile(path.join(folder, '099_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();');
    const db = createKysely(createPool({ connectionString: await cleanDatabase('broken_migration'), max: 1 }));
    const migrator = createMigrator(db, folder);
    await expect(migrateToLatest(migrator)).rejects.toThrow(/Migration 099_broken failed: function no_such_function\(\) does not exist/);
    const status = await migrator.getMigrations();
    expect(status.find((m) => m.name === '099_broken')?.executedAt).toBeUndefined();
    const { rows } = await db
      .selectFrom('pg_tables' as never)
      .select('tablename' as never)
      .where('tablename' as never, '=', 'half_done' as never)
      .execute()
      .then((r) => ({ rows: r }));
    expect(rows).toEqual([]);
    await db.destroy();
    await fs.rm(folder, { recursive: true });
  });
});

/** A throwaway migrations folder: file name -> SQL. */
async function migrationsFolder(files: Record<string, string>): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(folder, name), text);
  return folder;
}

const NO_TRANSACTION = `${NO_TRANSACTION_MARKER}\n-- squawk-disable-assume-in-transaction\n`;
const indexValid = async (db: ReturnType<typeof createKysely>, name: string) =>
  (await sqlRows<{ valid: boolean }>(db, `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass('${name}')`))[0]
    ?.valid ?? null;
async function sqlRows<T>(db: ReturnType<typeof createKysely>, text: string): Promise<T[]> {
  return (await sql.raw<T>(text).execute(db)).rows;
}

describe('migration runner on a live database', () => {
  it('sets lock_timeout and statement_timeout for every migration, in both modes, and leaves the session as it was', async () => {
    const folder = await migrationsFolder({
      '001_seen.sql': `CREATE TABLE seen AS SELECT 'transaction' AS mode, current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout;`,
      '002_seen.sql': `${NO_TRANSACTION}INSERT INTO seen SELECT 'none', current_setting('lock_timeout'), current_setting('statement_timeout');`,
      '003_seen.sql': `${NO_TRANSACTION}INSERT INTO seen SELECT 'none, set', current_setting('lock_timeout'), current_setting('statement_timeout');`,
    });
    const db = createKysely(createPool({ connectionString: await cleanDatabase('timeouts'), max: 1 }));
    expect(await migrateUpTo(createMigrator(db, folder), '002')).toEqual(['001_seen', '002_seen']);
    expect(
      await migrateToLatest(createMigrator(db, folder, migrationTimeouts({ lockTimeout: '250ms', statementTimeout: '10min' }))),
    ).toEqual(['003_seen']);
    expect(await sqlRows(db, 'SELECT * FROM seen ORDER BY mode DESC')).toEqual([
      { mode: 'transaction', lock_timeout: '5s', statement_timeout: '0' },
      { mode: 'none, set', lock_timeout: '250ms', statement_timeout: '10min' },
      { mode: 'none', lock_timeout: '5s', statement_timeout: '0' },
    ]);
    // The one connection the runner used is back to the server's defaults.
    expect(await sqlRows(db, `SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s`)).toEqual([
      { l: '0', s: '0' },
    ]);
    await db.destroy();
    await fs.rm(folder, { recursive: true });
  });

  it('runs a no-transaction file statement by statement, so CREATE INDEX CONCURRENTLY builds a valid index', async () => {
    const folder = await migrationsFolder({
      '001_visits.sql': `CREATE TABLE visits (id int PRIMARY KEY, patient text NOT NULL);\nINSERT INTO visits SELECT g, 'patient ' || g FROM generate_series(1, 5000) g;`,
      '002_visits_index.sql': `${NO_TRANSACTION}-- A ; in a comment, a string ';' and a $$;$$ body do not split statements.\nDROP INDEX CONCURRENTLY IF EXISTS idx_visits_patient;\nCREATE INDEX CONCURRENTLY idx_visits_patient ON visits (patient) WHERE patient <> ';';\nDO $$ BEGIN PERFORM 1; END $$;\n`,
    });
    const db = createKysely(createPool({ connectionString: await cleanDatabase('concurrently'), max: 1 }));
    expect(await migrateToLatest(createMigrator(db, folder))).toEqual(['001_visits', '002_visits_index']);
    expect(await indexValid(db, 'idx_visits_patient')).toBe(true);
    // The same file without the marker is refused by PostgreSQL, and the runner says what to do.
    await fs.writeFile(path.join(folder, '003_again.sql'), 'CREATE INDEX CONCURRENTLY idx_visits_id ON visits (id);');
    await expect(migrateToLatest(createMigrator(db, folder))).rejects.toThrow(
      /Migration 003_again failed: CREATE INDEX CONCURRENTLY cannot run inside a transaction block \(make -- migrate:no-transaction the file's first line/,
    );
    await db.destroy();
    await fs.rm(folder, { recursive: true });
  });

  it('a failed CONCURRENTLY build leaves an INVALID index; the file, written to drop it first, repairs it when run again', async () => {
    const folder = await migrationsFolder({
      '001_contacts.sql': `CREATE TABLE contacts (id int PRIMARY KEY, email text);\nINSERT INTO contacts VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x');`,
      '002_contacts_email.sql': `${NO_TRANSACTION}DROP INDEX CONCURRENTLY IF EXISTS idx_contacts_email;\nCREATE UNIQUE INDEX CONCURRENTLY idx_contacts_email ON contacts (email);`,
    });
    const db = createKysely(createPool({ connectionString: await cleanDatabase('invalid_index'), max: 1 }));
    await expect(migrateToLatest(createMigrator(db, folder))).rejects.toThrow(
      /Migration 002_contacts_email failed: could not create unique index/,
    );
    expect(await indexValid(db, 'idx_contacts_email')).toBe(false); // left behind, INVALID, and still maintained on every write
    expect((await createMigrator(db, folder).getMigrations()).find((m) => m.name === '002_contacts_email')?.executedAt).toBeUndefined();
    await sqlRows(db, `DELETE FROM contacts WHERE id = 2`);
    expect(await migrateToLatest(createMigrator(db, folder))).toEqual(['002_contacts_email']);
    expect(await indexValid(db, 'idx_contacts_email')).toBe(true);
    await db.destroy();
    await fs.rm(folder, { recursive: true });
  });

  it('gives up on a table another session holds (lock_timeout), changes nothing, says why, and runs once the lock is gone', async () => {
    const url = await cleanDatabase('lock_timeout');
    const folder = await migrationsFolder({
      '001_appointments.sql': `CREATE TABLE appointments (id int PRIMARY KEY);\nINSERT INTO appointments SELECT generate_series(1, 100);`,
      '002_appointments_note.sql': `ALTER TABLE appointments ADD COLUMN note text;`,
    });
    const db = createKysely(createPool({ connectionString: url, max: 1 }));
    await migrateUpTo(createMigrator(db, folder), '001');
    // A long report: an open transaction that has read the table holds ACCESS SHARE until it ends.
    const report = new pg.Client({ connectionString: url });
    await report.connect();
    await report.query('BEGIN');
    await report.query('SELECT count(*) FROM appointments');
    const { rows } = await report.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const held = await sqlRows<{ granted: boolean }>(
      db,
      `SELECT granted FROM pg_locks WHERE pid = ${rows[0]!.pid} AND relation = 'appointments'::regclass`,
    );
    expect(held).toEqual([{ granted: true }]); // the state the migration meets, seen in pg_locks

    const migrator = createMigrator(db, folder, migrationTimeouts({ lockTimeout: '200ms' }));
    await expect(migrateToLatest(migrator)).rejects.toThrow(
      /Migration 002_appointments_note failed: canceling statement due to lock timeout \(another session held a lock this migration needs for longer than lock_timeout 200ms; nothing of it was applied/,
    );
    expect(
      await sqlRows(db, `SELECT column_name FROM information_schema.columns WHERE table_name = 'appointments' AND column_name = 'note'`),
    ).toEqual([]);
    expect((await migrator.getMigrations()).find((m) => m.name === '002_appointments_note')?.executedAt).toBeUndefined();

    await report.query('COMMIT');
    await report.end();
    expect(await migrateToLatest(migrator)).toEqual(['002_appointments_note']);
    await db.destroy();
    await fs.rm(folder, { recursive: true });
  });

  it('every file in migrations/ that runs outside a transaction also tells squawk so', async () => {
    for (const file of (await fs.readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql'))) {
      const lines = (await fs.readFile(path.join(MIGRATIONS, file), 'utf8')).split(/\r?\n/);
      const marked = lines[0]!.trim() === NO_TRANSACTION_MARKER;
      expect(marked, `${file}: ${NO_TRANSACTION_MARKER} belongs on the first line`).toBe(
        lines.some((l) => l.trim() === NO_TRANSACTION_MARKER),
      );
      expect(
        lines.some((l) => l.trim() === '-- squawk-disable-assume-in-transaction'),
        file,
      ).toBe(marked);
    }
  });
});

describe('migration linter (squawk, npm run lint:sql)', () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  /** squawk with the project's config on one file; resolves with its exit code and report. */
  const squawk = (file: string) =>
    new Promise<{ code: number; report: string }>((resolve) => {
      execFile(
        path.join(ROOT, 'node_modules/.bin/squawk'),
        ['--config', '.squawk.toml', '--reporter', 'gcc', file],
        { cwd: ROOT },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, report: `${stdout}${stderr}` }),
      );
    });

  it('refuses a new migration that would lock a full table, and accepts the safe way to write it', async () => {
    const folder = await migrationsFolder({
      '018_locking.sql': `CREATE INDEX idx_patients_email ON patients (email);\nALTER TABLE appointments ADD CONSTRAINT appointments_reason_short CHECK (length(reason) < 500);`,
      // NOT VALID, then VALIDATE in a later file: the scan no longer blocks writes.
      '019_check.sql': `ALTER TABLE appointments ADD CONSTRAINT appointments_reason_short CHECK (length(reason) < 500) NOT VALID;`,
      '020_validate.sql': `ALTER TABLE appointments VALIDATE CONSTRAINT appointments_reason_short;`,
      '021_index.sql': `${NO_TRANSACTION}DROP INDEX CONCURRENTLY IF EXISTS idx_patients_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_patients_email ON patients (email);`,
      '022_index_in_transaction.sql': `DROP INDEX IF EXISTS idx_patients_old;\nCREATE INDEX CONCURRENTLY idx_patients_email ON patients (email);`,
    });
    const locking = await squawk(path.join(folder, '018_locking.sql'));
    expect(locking.code).toBe(1);
    expect(locking.report).toMatch(/require-concurrent-index-creation/);
    expect(locking.report).toMatch(/constraint-missing-not-valid/);
    for (const safe of ['019_check.sql', '020_validate.sql', '021_index.sql'])
      expect(await squawk(path.join(folder, safe)), safe).toMatchObject({ code: 0 });
    expect((await squawk(path.join(folder, '022_index_in_transaction.sql'))).report).toMatch(
      /ban-concurrent-index-creation-in-transaction/,
    );
    await fs.rm(folder, { recursive: true });
  });
});
