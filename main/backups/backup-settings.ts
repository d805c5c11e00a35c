import { promises as fs } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import type { BackupLayout } from './backup-layout.js';
import { writeJsonAtomically } from './backup-manifest.js';

/** How often the scheduler backs up and how long backups are kept; an administrator changes them in Admin → Backups. */
export const BackupSettings = z.object({
  everyHours: z.number().int().min(1).max(168).default(24),
  keepDays: z.number().int().min(1).max(365).default(14),
});
export type BackupSettings = z.infer<typeof BackupSettings>;

export async function readBackupSettings(layout: BackupLayout): Promise<BackupSettings> {
  try {
    return BackupSettings.parse(JSON.parse(await fs.readFile(layout.settingsFile, 'utf8')));
  } catch {
    return BackupSettings.parse({});
  }
}

export async function writeBackupSettings(layout: BackupLayout, settings: BackupSettings): Promise<void> {
  await fs.mkdir(layout.root, { recursive: true, mode: 0o700 });
  // Owner only: it holds backups of patient data (as root, PostgreSQL's own user must reach wal/, see ensureServerFolder).
  if (os.userInfo().uid !== 0) await fs.chmod(layout.root, 0o700);
  await writeJsonAtomically(layout.settingsFile, BackupSettings.parse(settings));
}
