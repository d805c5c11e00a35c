import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HospitalServer, TerminalRole } from '../../contract/index.js';

/** Where the app finds its database. Passwords are never part of this file: they are in the keychain. */

export const Settings = z.object({
  hospitalServer: HospitalServer.nullable().default(null),
  /** Shown in the audit trail for every sign-in from this computer; defaults to its host name. */
  terminalName: z.string().max(100).default(''),
  /** Sets the idle lock (ward terminals lock soonest). Chosen by an administrator at installation. */
  terminalRole: TerminalRole.default('office'),
  /** A front desk's department: whose book it keeps for offline work; null keeps every doctor's. */
  terminalDepartmentId: z.number().int().positive().nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

export const settingsFile = (dataDir: string) => path.join(dataDir, 'settings.json');

export async function readSettings(dataDir: string): Promise<Settings> {
  try {
    return Settings.parse(JSON.parse(await fs.readFile(settingsFile(dataDir), 'utf8')));
  } catch {
    return Settings.parse({});
  }
}

export async function writeSettings(dataDir: string, settings: Settings): Promise<void> {
  const file = settingsFile(dataDir);
  const temp = `${file}.tmp`;
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(temp, JSON.stringify(Settings.parse(settings), null, 2), { mode: 0o600 });
  await fs.rename(temp, file);
}

/** The keychain account holding a hospital server's password. */
export const serverSecretAccount = (s: HospitalServer) => `server:${s.user}@${s.host}:${s.port}/${s.database}`;
