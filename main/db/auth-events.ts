import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

// The audit trail's sign-in and session events: written by the session feature, by a chart open and by
// an offline sign-in replayed, always through the database's own function.

export type AuthEvent =
  | 'SIGNIN'
  | 'SIGNINFAIL'
  | 'LOCKED'
  | 'SIGNOUT'
  | 'IDLE_LOCK'
  | 'UNLOCK'
  | 'SWITCH'
  | 'PW_CHANGE'
  | 'PW_RESET'
  | 'RESET_CODE'
  | 'CHART_OPEN';

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
  await sql`SELECT record_auth_event(${event}, ${who.userId}::uuid, ${who.email}, ${terminal}, ${JSON.stringify(detail ?? {})}::jsonb)`.execute(
    db,
  );
}
