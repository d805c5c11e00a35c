import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BACKUP_ID, MANIFEST_FILE, STATUS_FILE } from './backup-layout.js';

/** A path inside the backup's data folder: relative, normalised, never `..`, never absolute, never a drive. */
const DataPath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (p) =>
      !path.posix.isAbsolute(p) &&
      !path.win32.isAbsolute(p) &&
      !/[\0:]/.test(p) &&
      p.split(/[\\/]/).every((part) => part !== '' && part !== '.' && part !== '..'),
    { message: 'a path outside the data folder' },
  );
/** At most this many segments between a backup's start and stop (16 MB each: 1 TB of WAL). */
export const MAX_BACKUP_WAL_SEGMENTS = 65_536;

/** A WAL segment name: timeline and position, 24 upper-case hex digits. */
const WAL_NAME = /^[0-9A-F]{24}$/;
export const WalFileName = z.string().regex(WAL_NAME, 'not a WAL segment name');
const walNamesValid = (m: { startWalFile: unknown; stopWalFile: unknown }) =>
  [m.startWalFile, m.stopWalFile].every((name) => typeof name === 'string' && WAL_NAME.test(name));

/** A segment's place in the WAL stream (16 MB segments: 256 per log id). */
export const walSegmentNumber = (name: string) => BigInt(`0x${name.slice(8, 16)}`) * 0x100n + BigInt(`0x${name.slice(16, 24)}`);

/**
 * What a base backup holds: every file with its size and SHA-256, and the WAL range it needs. Read
 * from a folder anyone with disk access could have edited, so every path and WAL name is checked
 * before use. The checksums detect damage, not tampering: whoever can rewrite a file can rewrite the
 * manifest too, which is why restoring never trusts the backup's configuration files (recovered-cluster.ts).
 */
export const BackupManifest = z
  .object({
    id: z.string().regex(BACKUP_ID, 'not a backup id'),
    label: z.string().max(200),
    startedAt: z.string().max(40),
    finishedAt: z.string().max(40),
    startLsn: z.string().max(40),
    stopLsn: z.string().max(40),
    /** The first WAL segment a restore of this backup needs from the archive (retention keeps it and every later one). */
    startWalFile: WalFileName,
    stopWalFile: WalFileName,
    serverVersion: z.string().max(100),
    directories: z.array(DataPath),
    files: z.array(z.object({ path: DataPath, size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
    totalBytes: z.number().int().nonnegative(),
  })
  .refine((m) => !walNamesValid(m) || m.startWalFile.slice(0, 8) === m.stopWalFile.slice(0, 8), {
    message: 'start and stop WAL on different timelines',
  })
  .refine(
    (m) => {
      if (!walNamesValid(m)) return true; // the field's own message says why (refinements run on invalid input too)
      const span = walSegmentNumber(m.stopWalFile) - walSegmentNumber(m.startWalFile);
      const inLog = (name: string) => BigInt(`0x${name.slice(16)}`) <= 0xffn;
      return inLog(m.startWalFile) && inLog(m.stopWalFile) && span >= 0n && span < BigInt(MAX_BACKUP_WAL_SEGMENTS);
    },
    { message: 'stop WAL before start WAL, or an impossible span' },
  )
  .refine((m) => !Array.isArray(m.files) || m.files.every((f) => f?.path !== 'tablespace_map' || f.size === 0), {
    message: 'a tablespace_map (the embedded database has no tablespaces; one would link folders outside the data folder)',
  });
export type BackupManifest = z.infer<typeof BackupManifest>;

/** Whether a backup may be trusted: never "good" until a restore of it has started and passed the checks. */
export const BackupStatus = z.object({
  state: z.enum(['unverified', 'good', 'bad']),
  checkedAt: z.string().nullable(),
  reason: z.string().nullable(),
  checks: z.array(z.string()).default([]),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(value, null, 2));
    await handle.sync(); // on disk before the rename makes it visible
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
}

/** A backup that must not be restored: a damaged file, or a manifest that is not one this app wrote. */
export class BackupCorrupt extends Error {}

export async function readManifest(folder: string): Promise<BackupManifest> {
  const parsed = BackupManifest.safeParse(JSON.parse(await fs.readFile(path.join(folder, MANIFEST_FILE), 'utf8')));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new BackupCorrupt(`its manifest is not valid (${issue.path.join('.') || 'manifest'}: ${issue.message})`);
}

export async function readStatus(folder: string): Promise<BackupStatus> {
  try {
    return BackupStatus.parse(JSON.parse(await fs.readFile(path.join(folder, STATUS_FILE), 'utf8')));
  } catch {
    return { state: 'unverified', checkedAt: null, reason: null, checks: [] };
  }
}

export const writeStatus = (folder: string, status: BackupStatus) => writeJsonAtomically(path.join(folder, STATUS_FILE), status);

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
