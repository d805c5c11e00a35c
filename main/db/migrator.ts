import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

/** Migrations are numbered, forward-only .sql files: 001_initial_schema.sql, 002_... */
const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export function sqlFileMigrationProvider(folder: string): MigrationProvider {
  return {
    async getMigrations() {
      const files = (await fs.readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).sort();
      const migrations: Record<string, Migration> = {};
      for (const file of files) {
        const text = await fs.readFile(path.join(folder, file), 'utf8');
        // A parameterless query goes over the simple protocol, so one file may hold many statements.
        migrations[path.basename(file, '.sql')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
      }
      return migrations;
    },
  };
}

export function createMigrator(db: Kysely<any>, folder: string): Migrator {
  return new Migrator({ db, provider: sqlFileMigrationProvider(folder) });
}

export interface MigrationStatus {
  name: string;
  number: string;
  executedAt: Date | null;
}

export async function migrationStatus(migrator: Migrator): Promise<MigrationStatus[]> {
  const all = await migrator.getMigrations();
  return all.map((m) => ({ name: m.name, number: m.name.slice(0, 3), executedAt: m.executedAt ?? null }));
}

/** Runs every pending migration; throws with the failing migration's name and the database's reason. */
export async function migrateToLatest(migrator: Migrator): Promise<string[]> {
  return applied(await migrator.migrateToLatest());
}

/**
 * Runs pending migrations up to and including number N (earlier pending ones first, since later
 * files depend on them). Forward-only: asking for one that is already applied changes nothing.
 */
export async function migrateUpTo(migrator: Migrator, number: string): Promise<string[]> {
  const status = await migrationStatus(migrator);
  const target = status.find((m) => m.number === number.padStart(3, '0'));
  if (!target) throw new Error(`No migration numbered ${number} in the migrations folder.`);
  if (target.executedAt) return [];
  return applied(await migrator.migrateTo(target.name));
}

function applied(result: MigrationResultSet): string[] {
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error) {
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(failed ? `Migration ${failed.migrationName} failed: ${reason}` : `Migrations failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
