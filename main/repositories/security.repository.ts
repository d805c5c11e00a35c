import { sql, type Kysely } from 'kysely';
import type { TerminalRole } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';

export type AuthEvent =
  | 'SIGNIN' | 'SIGNINFAIL' | 'LOCKED' | 'SIGNOUT' | 'IDLE_LOCK' | 'UNLOCK' | 'SWITCH'
  | 'PW_CHANGE' | 'PW_RESET' | 'RESET_CODE' | 'CHART_OPEN';

/** The detail each event may carry; record_auth_event (015) refuses any other key, and writes email and terminal itself. */
export interface AuthEventDetail {
  SIGNIN: { offline?: boolean; signed_in_at?: string };
  SIGNINFAIL: { reason: 'locked' | 'password' | 'inactive' | 'unknown-email' };
  LOCKED: { minutes: number };
  SIGNOUT: Record<string, never>;
  IDLE_LOCK: Record<string, never>;
  UNLOCK: Record<string, never>;
  SWITCH: { from: string };
  PW_CHANGE: Record<string, never>;
  PW_RESET: Record<string, never>;
  RESET_CODE: { issued_by: string };
  CHART_OPEN: { patient_id: number };
}

/**
 * Writes a sign-in/session event to audit_log through the database's own function. The database
 * decides whose event it is: the user the typed email belongs to for SIGNINFAIL and LOCKED, else the
 * transaction's user (RESET_CODE: `who.userId`, issued by the transaction's user). `who.userId` is
 * checked against that, and a mismatch is refused.
 */
export async function recordAuthEvent<E extends AuthEvent>(
  db: Kysely<Database>,
  event: E,
  who: { userId: string | null; email: string },
  terminal: string,
  detail?: AuthEventDetail[E],
): Promise<void> {
  await sql`SELECT record_auth_event(${event}, ${who.userId}::uuid, ${who.email}, ${terminal}, ${JSON.stringify(detail ?? {})}::jsonb)`.execute(db);
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
