import type { Kysely } from 'kysely';
import type { SecuritySettings } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import { findSecuritySettingRows, updateSecuritySettings } from './security-settings.repository.js';

export async function readSecuritySettings(trx: Kysely<Database>): Promise<SecuritySettings> {
  const { settings, idle } = await findSecuritySettingRows(trx);
  const minutes = (role: string) => idle.find((r) => r.terminal_role === role)?.idle_minutes ?? 15;
  return {
    lockoutThreshold: settings.lockout_threshold,
    lockoutMinutes: settings.lockout_minutes,
    sessionMaxHours: settings.session_max_hours,
    idleMinutes: { ward: minutes('ward'), pharmacy: minutes('pharmacy'), front_desk: minutes('front_desk'), office: minutes('office') },
  };
}

export async function saveSecuritySettings(
  trx: Kysely<Database>,
  settings: SecuritySettings,
  actor: string,
  now: Date,
): Promise<SecuritySettings> {
  await updateSecuritySettings(trx, settings, actor, now);
  return readSecuritySettings(trx);
}
