// An attacker's copy of a good backup: the folder cloned under a new name, files edited, and the
// manifest's sizes and SHA-256 sums rewritten to match (the checksums catch damage, not this).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { backupFolder, type BackupLayout } from '../../../main/backups/index.js';

export type RawManifest = {
  files: { path: string; size: number; sha256: string }[];
  directories: string[];
  startWalFile: string;
  stopWalFile: string;
  id: string;
};

let counter = 0;

/** Clones `fromId` as a new backup and lets `edit` change its data files and manifest; returns the new id. */
export async function tamperedCopy(
  layout: BackupLayout,
  fromId: string,
  edit: (data: string, manifest: RawManifest) => Promise<void>,
): Promise<string> {
  counter += 1;
  const id = `2020-01-${String(counter).padStart(2, '0')}T00-00-00-000Z`;
  const folder = backupFolder(layout, id);
  await fs.cp(backupFolder(layout, fromId), folder, { recursive: true });
  const manifestFile = path.join(folder, 'backup-manifest.json');
  const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as RawManifest;
  manifest.id = id;
  const data = path.join(folder, 'data');
  await edit(data, manifest);
  for (const file of manifest.files) {
    const bytes = await fs.readFile(path.join(data, file.path)).catch(() => null);
    if (bytes) Object.assign(file, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  await fs.writeFile(manifestFile, JSON.stringify(manifest));
  await fs.rm(path.join(folder, 'backup-status.json'), { force: true });
  return id;
}
