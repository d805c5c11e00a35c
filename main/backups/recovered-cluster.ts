import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { postgresUserIds, startEmbeddedServer, type EmbeddedServer } from '../db/embedded-server.js';
import { DATA_SUBDIR } from './backup-layout.js';
import { BackupCorrupt, type BackupManifest } from './backup-manifest.js';
import { pinnedSettings, writeTrustedConfig } from './trusted-config.js';

export { BackupCorrupt };

/** Where recovery stops: the backup's own consistent point, a moment, or the end of the archived WAL. */
export type RecoveryTarget = { kind: 'consistent' } | { kind: 'latest' } | { kind: 'time'; at: Date };

/** PostgreSQL reads recovery_target_time with its zone; an ISO instant says it exactly. */
const pgTimestamp = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '+00');

/** Characters a shell (or cmd) or the server's own %-escapes would read inside restore_command. */
const UNSAFE_IN_COMMAND = /["'$`%\n\r\0]/;

/** restore_command copies a segment from the archive; `%f`/`%p` are filled in by the server. */
export function restoreCommand(archiveDir: string): string {
  if (UNSAFE_IN_COMMAND.test(archiveDir))
    throw new Error(
      `The backups folder ${JSON.stringify(archiveDir)} has a quote, $, backtick, % or line break in its path, which a restore cannot use safely. Move the app's data folder to a plain path.`,
    );
  return process.platform === 'win32' ? `copy "${path.join(archiveDir, '%f')}" "%p"` : `cp "${path.join(archiveDir, '%f')}" "%p"`;
}

export function recoverySettings(archiveDir: string, target: RecoveryTarget): Record<string, string> {
  const settings: Record<string, string> = { restore_command: restoreCommand(archiveDir), recovery_target_action: 'promote' };
  if (target.kind === 'consistent') settings.recovery_target = 'immediate';
  if (target.kind === 'time') settings.recovery_target_time = pgTimestamp(target.at);
  return settings;
}

/** Opens a backup file only if it is a regular file inside the backup's data folder (no link, no link on the way). */
async function openBackupFile(dataRoot: string, relative: string) {
  const full = path.join(dataRoot, relative);
  const stat = await fs.lstat(full).catch(() => null);
  if (!stat) throw new BackupCorrupt(`${relative} is missing`);
  if (!stat.isFile()) throw new BackupCorrupt(`${relative} is not a regular file (a link?)`);
  const real = await fs.realpath(full);
  if (!real.startsWith(`${await fs.realpath(dataRoot)}${path.sep}`)) throw new BackupCorrupt(`${relative} leads outside the backup`);
  return fs.open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
}

/** Copies one listed file while hashing the bytes copied: what is checked is exactly what is restored. */
async function copyChecked(dataRoot: string, targetDir: string, file: BackupManifest['files'][number]): Promise<void> {
  const source = await openBackupFile(dataRoot, file.path);
  const hash = createHash('sha256');
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const to = path.join(targetDir, file.path);
  await fs.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  await pipeline(createReadStream('', { fd: source }), hasher, createWriteStream(to, { flags: 'wx', mode: 0o600 }));
  if (size !== file.size) throw new BackupCorrupt(`${file.path} has ${size} bytes, the manifest says ${file.size}`);
  if (hash.digest('hex') !== file.sha256) throw new BackupCorrupt(`${file.path} does not match its SHA-256 checksum`);
}

/**
 * Lays a base backup out as a fresh data folder that recovers on start: only the regular files the
 * manifest lists, each checked against its SHA-256 as it is copied (a corrupted backup is never
 * restored), the listed folders, the app's own configuration files, and recovery.signal. On any
 * failure the half-made folder is removed.
 */
export async function materialiseBackup(
  backupFolder: string,
  manifest: BackupManifest,
  targetDir: string,
  /** Adds files (unarchived WAL) before the folder is handed to the server's user. */
  addFiles?: (targetDir: string) => Promise<void>,
): Promise<void> {
  await fs.mkdir(path.dirname(targetDir), { recursive: true, mode: 0o755 });
  await fs.mkdir(targetDir, { mode: 0o700 }); // fresh: fails if anything is there already
  try {
    for (const dir of manifest.directories) await fs.mkdir(path.join(targetDir, dir), { recursive: true, mode: 0o700 });
    for (const file of manifest.files) await copyChecked(path.join(backupFolder, DATA_SUBDIR), targetDir, file);
    await writeTrustedConfig(targetDir);
    await fs.writeFile(path.join(targetDir, 'recovery.signal'), '', { mode: 0o600 });
    await addFiles?.(targetDir);
    await fs.chmod(targetDir, 0o700); // PostgreSQL refuses a data folder others can read
    if (os.userInfo().uid === 0) await chownTree(targetDir, await postgresUserIds());
  } catch (error) {
    await fs.rm(targetDir, { recursive: true, force: true });
    if (error instanceof BackupCorrupt) throw new BackupCorrupt(`Backup ${manifest.id} is damaged: ${error.message}.`);
    throw error;
  }
}

async function chownTree(folder: string, ids: { uid: number; gid: number }): Promise<void> {
  await fs.chown(folder, ids.uid, ids.gid);
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) await chownTree(child, ids);
    else await fs.chown(child, ids.uid, ids.gid);
  }
}

export interface RecoveryStart {
  dataDir: string;
  archiveDir: string;
  target: RecoveryTarget;
  superuserPassword: string;
  /** The live cluster archives its new timeline; a scratch copy must not write into the archive. */
  keepArchiving: boolean;
  scratch: boolean;
}

/** Starts a materialised backup; it replays WAL up to the target and is promoted. Fails with the server's own reason. */
export async function startRecovery(options: RecoveryStart): Promise<EmbeddedServer> {
  const lines: string[] = [];
  const recovery = recoverySettings(options.archiveDir, options.target); // an unsafe path is refused with its own reason
  try {
    return await startEmbeddedServer({
      dataDir: options.dataDir,
      superuserPassword: options.superuserPassword,
      ...(options.keepArchiving ? { archiveDir: options.archiveDir } : {}),
      settings: {
        ...recovery,
        ...pinnedSettings(options.keepArchiving),
        ...(options.scratch ? { fsync: 'off', synchronous_commit: 'off' } : {}),
      },
      onLog: (line) => lines.push(line),
    });
  } catch {
    const reason = lines
      .join('')
      .split('\n')
      .filter((line) => /FATAL|PANIC/.test(line))
      .pop();
    throw new Error(`The restored database did not start${reason ? `: ${reason.replace(/^.*?(FATAL|PANIC):\s*/, '')}` : '.'}`);
  }
}

/** A scratch folder for a restored copy, beside the backups (same disk: a copy, not a move across disks). */
export const scratchFolder = (root: string, purpose: string) =>
  path.join(root, `scratch-${purpose}-${process.pid}-${randomBytes(4).toString('hex')}`);
