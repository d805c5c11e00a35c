import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { findSecuritySettings } from '../session/index.js';

/** The lockout and session limits (as sign-in reads them), with every terminal role's idle minutes. */
export const findSecuritySettingRows = async (db: Kysely<Database>) => ({
  settings: await findSecuritySettings(db),
  idle: await db.selectFrom('terminal_idle_settings').select(['terminal_role', 'idle_minutes']).execute(),
});

export async function updateSecuritySettings(
  db: Kysely<Database>,
  settings: { lockoutThreshold: number; lockoutMinutes: number; sessionMaxHours: number; idleMinutes: Record<string, number> },
  actor: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('security_settings')
    .set({
      lockout_threshold: settings.lockoutThreshold,
      lockout_minutes: settings.lockoutMinutes,
      session_max_hours: settings.sessionMaxHours,
      updated_at: now,
      updated_by: actor,
    })
    .execute();
  for (const [role, minutes] of Object.entries(settings.idleMinutes)) {
    await db
      .updateTable('terminal_idle_settings')
      .set({ idle_minutes: minutes, updated_at: now, updated_by: actor })
      .where('terminal_role', '=', role)
      .execute();
  }
}
