import { sql, type Kysely } from 'kysely';
import type { TerminalRole } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';

export type AuthEvent =
  | 'SIGNIN' | 'SIGNINFAIL' | 'LOCKED' | 'SIGNOUT' | 'IDLE_LOCK' | 'UNLOCK' | 'SWITCH'
  | 'PW_CHANGE' | 'PW_RESET' | 'RESET_CODE' | 'CHART_OPEN';

/** Writes a sign-in/session event to audit_log through the database's own function. */
export async function recordAuthEvent(
  db: Kysely<Database>,
  event: AuthEvent,
  who: { userId: string | null; email: string },
  terminal: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await sql`SELECT record_auth_event(${event}, ${who.userId}::uuid, ${who.email}, ${terminal}, ${JSON.stringify(detail)}::jsonb)`.execute(db);
}

export const findSecuritySettings = (db: Kysely<Database>) =>
  db.selectFrom('security_settings').select(['lockout_threshold', 'lockout_minutes', 'session_max_hours']).executeTakeFirstOrThrow();

export async function findIdleMinutes(db: Kysely<Database>, terminalRole: TerminalRole): Promise<number> {
  const row = await db.selectFrom('terminal_idle_settings').select('idle_minutes').where('terminal_role', '=', terminalRole).executeTakeFirst();
  return row?.idle_minutes ?? 15;
}

/** Whether each user is still active, and a fingerprint of their password hash (never the hash). */
export async function credentialFingerprints(db: Kysely<Database>, userIds: string[]): Promise<{ userId: string; isActive: boolean; fingerprint: string }[]> {
  if (userIds.length === 0) return [];
  const { rows } = await sql<{ user_id: string; is_active: boolean; fingerprint: string }>`SELECT user_id, is_active, fingerprint FROM app_credential_fingerprints(${userIds}::uuid[])`.execute(db);
  return rows.map((r) => ({ userId: r.user_id, isActive: r.is_active, fingerprint: r.fingerprint }));
}
