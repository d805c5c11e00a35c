import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { backupFolder, backupIdFor, DATA_SUBDIR, MANIFEST_FILE, PARTIAL_PREFIX, type BackupLayout } from './backup-layout.js';
import { type BackupManifest, writeJsonAtomically, writeStatus } from './backup-manifest.js';

export type BackupPhase = 'starting' | 'copying' | 'finishing' | 'verifying' | 'done';
export interface BackupProgress {
  backupId: string;
  phase: BackupPhase;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}
/** Awaited: a slow listener slows the copy rather than queueing events (the kill test pauses here). */
export type ProgressListener = (progress: BackupProgress) => void | Promise<void>;

export interface BaseBackupOptions {
  /** Superuser connection string (pg_backup_start needs it) to the running cluster. */
  superuserUrl: string;
  /** The running cluster's data folder, copied file by file between start and stop. */
  dataDir: string;
  layout: BackupLayout;
  now?: () => Date;
  onProgress?: ProgressListener;
}

// What pg_basebackup leaves out too: the server rebuilds these, and pg_wal comes from the archive.
const SKIP_CONTENTS = new Set([
  'pg_wal',
  'pg_dynshmem',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const SKIP_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
  'recovery.signal',
  'standby.signal',
  'current_logfiles',
  'pg_internal.init',
]);

interface Listing {
  directories: string[];
  files: { path: string; size: number }[];
}

async function listDataFolder(dataDir: string): Promise<Listing> {
  const listing: Listing = { directories: [], files: [] };
  const walk = async (relative: string) => {
    const entries = await fs.readdir(path.join(dataDir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = path.join(relative, entry.name);
      if (entry.name.startsWith('pgsql_tmp') || SKIP_FILES.has(entry.name)) continue;
      if (entry.isSymbolicLink()) throw new Error(`${child} is a link (a tablespace?); the embedded backup copies one data folder only.`);
      if (entry.isDirectory()) {
        listing.directories.push(child);
        if (!SKIP_CONTENTS.has(child)) await walk(child);
        continue;
      }
      const stat = await fs.stat(path.join(dataDir, child)).catch(() => null); // dropped since the listing: fine
      if (stat) listing.files.push({ path: child, size: stat.size });
    }
  };
  await walk('');
  listing.directories.push(path.join('pg_wal', 'archive_status'));
  return listing;
}

/** Copies one file while hashing the bytes actually copied; a file dropped meanwhile is left out (WAL replay drops it too). */
async function copyHashed(from: string, to: string): Promise<{ size: number; sha256: string } | null> {
  const hash = createHash('sha256');
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from), hasher, createWriteStream(to, { mode: 0o600 }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return { size, sha256: hash.digest('hex') };
}

async function writeHashed(file: string, text: string): Promise<{ size: number; sha256: string }> {
  await fs.writeFile(file, text, { mode: 0o600 });
  return { size: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

/**
 * A hot base backup through PostgreSQL's low-level API: pg_backup_start and pg_backup_stop in one
 * session (the server ends the backup itself if this process dies), the data folder copied between
 * them, backup_label and tablespace_map written from pg_backup_stop into the copy. pg_backup_stop
 * waits until the last WAL segment the backup needs is archived. The caller holds the backup lock.
 */
export async function takeBaseBackup(options: BaseBackupOptions): Promise<BackupManifest> {
  const startedAt = (options.now ?? (() => new Date()))();
  const id = backupIdFor(startedAt);
  const partial = path.join(options.layout.baseDir, `${PARTIAL_PREFIX}${id}`);
  const report = async (progress: Omit<BackupProgress, 'backupId'>) => options.onProgress?.({ backupId: id, ...progress });
  await report({ phase: 'starting', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 });
  await fs.mkdir(path.join(partial, DATA_SUBDIR), { recursive: true, mode: 0o700 });

  const client = new pg.Client({ connectionString: options.superuserUrl, application_name: 'clinic-backup' });
  await client.connect();
  try {
    const label = `clinic ${id}`;
    const start = await client.query<{ lsn: string; wal: string; version: string }>(
      `SELECT lsn::text, pg_walfile_name(lsn) AS wal, current_setting('server_version') AS version FROM pg_backup_start($1, true) AS lsn`,
      [label],
    );
    const listing = await listDataFolder(options.dataDir);
    const bytesTotal = listing.files.reduce((sum, f) => sum + f.size, 0);
    for (const dir of listing.directories) await fs.mkdir(path.join(partial, DATA_SUBDIR, dir), { recursive: true, mode: 0o700 });
    const files: BackupManifest['files'] = [];
    let bytesDone = 0;
    for (const [index, file] of listing.files.entries()) {
      const copied = await copyHashed(path.join(options.dataDir, file.path), path.join(partial, DATA_SUBDIR, file.path));
      if (copied) files.push({ path: file.path, ...copied });
      bytesDone += copied?.size ?? 0;
      await report({ phase: 'copying', filesDone: index + 1, filesTotal: listing.files.length, bytesDone, bytesTotal });
    }
    await report({ phase: 'finishing', filesDone: listing.files.length, filesTotal: listing.files.length, bytesDone, bytesTotal });
    const stop = await client.query<{ lsn: string; wal: string; labelfile: string; spcmapfile: string | null }>(
      `SELECT lsn::text, pg_walfile_name(lsn) AS wal, labelfile, spcmapfile FROM pg_backup_stop(true)`,
    );
    const ended = stop.rows[0]!;
    files.push({ path: 'backup_label', ...(await writeHashed(path.join(partial, DATA_SUBDIR, 'backup_label'), ended.labelfile)) });
    if (ended.spcmapfile)
      files.push({ path: 'tablespace_map', ...(await writeHashed(path.join(partial, DATA_SUBDIR, 'tablespace_map'), ended.spcmapfile)) });
    const manifest: BackupManifest = {
      id,
      label,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      startLsn: start.rows[0]!.lsn,
      stopLsn: ended.lsn,
      startWalFile: start.rows[0]!.wal,
      stopWalFile: ended.wal,
      serverVersion: start.rows[0]!.version,
      directories: listing.directories,
      files,
      totalBytes: files.reduce((sum, f) => sum + f.size, 0),
    };
    await writeJsonAtomically(path.join(partial, MANIFEST_FILE), manifest);
    await writeStatus(partial, { state: 'unverified', checkedAt: null, reason: null, checks: [] });
    await fs.rename(partial, backupFolder(options.layout, id)); // only now does it look like a backup
    return manifest;
  } catch (error) {
    await fs.rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
