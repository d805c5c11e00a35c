import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Where the app finds its database. Passwords are never part of this file: they are in the keychain. */
export const HospitalServerSettings = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1).max(63),
  user: z.string().min(1).max(63),
  ssl: z.boolean().default(true),
});
export type HospitalServerSettings = z.infer<typeof HospitalServerSettings>;

export const Settings = z.object({
  hospitalServer: HospitalServerSettings.nullable().default(null),
  terminalName: z.string().max(100).default(''),
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
export const serverSecretAccount = (s: HospitalServerSettings) => `server:${s.user}@${s.host}:${s.port}/${s.database}`;
