import type { Kysely } from 'kysely';
import type { TerminalRole } from '../../contract/index.js';
import type { Database } from '../db/database.js';

export const findSecuritySettings = (db: Kysely<Database>) =>
  db.selectFrom('security_settings').select(['lockout_threshold', 'lockout_minutes', 'session_max_hours']).executeTakeFirstOrThrow();

export async function findIdleMinutes(db: Kysely<Database>, terminalRole: TerminalRole): Promise<number> {
  const row = await db
    .selectFrom('terminal_idle_settings')
    .select('idle_minutes')
    .where('terminal_role', '=', terminalRole)
    .executeTakeFirst();
  return row?.idle_minutes ?? 15;
}
