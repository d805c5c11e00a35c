import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createKysely, createPool } from '../db/connection.js';
import { createMigrator, migrationStatus } from '../db/migrator.js';
import { backupFolder, type BackupLayout } from './backup-layout.js';
import { BackupCorrupt, readManifest, walSegmentNumber, writeStatus, type BackupStatus } from './backup-manifest.js';
import { materialiseBackup, scratchFolder, startRecovery, type RecoveryTarget } from './recovered-cluster.js';
import type { EmbeddedServer } from '../db/embedded-server.js';

export interface VerifyOptions {
  layout: BackupLayout;
  superuserPassword: string;
  migrationsDir: string;
  database?: string;
}

const superuserUrl = (server: EmbeddedServer, database: string) =>
  `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${database}`;

/** WAL segment names between two (same timeline, 16 MB segments): what the archive must hold for the backup to be consistent. */
export function walSegmentsBetween(first: string, last: string): string[] {
  const timeline = first.slice(0, 8);
  const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, '0');
  const names: string[] = [];
  for (let n = walSegmentNumber(first); n <= walSegmentNumber(last); n += 1n) names.push(`${timeline}${hex(n / 0x100n)}${hex(n % 0x100n)}`);
  return names;
}

/**
 * The checks a restored database must pass, on a running copy: every migration applied (the
 * equivalent of `migrate --check`) and amcheck's bt_index_check on every B-tree index of the
 * schema. Returns what was checked; throws with the reason on the first failure.
 */
export async function checkRestoredDatabase(connectionString: string, migrationsDir: string): Promise<string[]> {
  const db = createKysely(createPool({ connectionString, max: 1, applicationName: 'clinic-backup-verify' }));
  try {
    const pending = (await migrationStatus(createMigrator(db, migrationsDir))).filter((m) => !m.executedAt);
    if (pending.length > 0) throw new Error(`migrate --check: ${pending.length} migration(s) pending (${pending[0]!.name} first)`);
  } finally {
    await db.destroy();
  }
  const client = new pg.Client({ connectionString, application_name: 'clinic-backup-verify' });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS amcheck');
    const { rows } = await client.query<{ indexes: number }>(
      `SELECT count(bt_index_check(c.oid))::int AS indexes
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
       WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace AND i.indisvalid AND c.relpersistence = 'p'`,
    );
    return ['migrate --check: up to date', `amcheck: ${rows[0]!.indexes} B-tree indexes intact`];
  } finally {
    await client.end();
  }
}

/**
 * A backup is good only once it has been restored: checksums, the WAL it needs present in the
 * archive, started as a scratch cluster on a free port (recovery to the backup's consistent point),
 * migrations and indexes checked. The outcome, good or bad with the reason, goes in its status file.
 */
export async function verifyBackup(id: string, options: VerifyOptions): Promise<BackupStatus> {
  const folder = backupFolder(options.layout, id);
  const checks: string[] = [];
  let status: BackupStatus;
  const scratch = scratchFolder(options.layout.root, 'verify');
  let server: EmbeddedServer | null = null;
  try {
    const manifest = await readManifest(folder);
    const missing = walSegmentsBetween(manifest.startWalFile, manifest.stopWalFile).find(
      (name) => !existsSync(path.join(options.layout.walDir, name)),
    );
    if (missing) throw new BackupCorrupt(`the archive lacks WAL segment ${missing} this backup needs`);
    await materialiseBackup(folder, manifest, path.join(scratch, 'data'));
    checks.push(`checksums: ${manifest.files.length} files match`);
    server = await startRecovery(recoveryOf(scratch, options, { kind: 'consistent' }));
    checks.push('restored copy started');
    checks.push(...(await checkRestoredDatabase(superuserUrl(server, options.database ?? 'clinic'), options.migrationsDir)));
    status = { state: 'good', checkedAt: new Date().toISOString(), reason: null, checks };
  } catch (error) {
    status = { state: 'bad', checkedAt: new Date().toISOString(), reason: (error as Error).message, checks };
  } finally {
    await server?.stop().catch(() => undefined);
    await fs.rm(scratch, { recursive: true, force: true });
  }
  await writeStatus(folder, status);
  return status;
}

const recoveryOf = (scratch: string, options: VerifyOptions, target: RecoveryTarget) => ({
  dataDir: path.join(scratch, 'data'),
  archiveDir: options.layout.walDir,
  target,
  superuserPassword: options.superuserPassword,
  keepArchiving: false,
  scratch: true,
});
