import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export const findUserByEmail = (db: Kysely<Database>, email: string) =>
  db
    .selectFrom('users')
    .select(['user_id', 'email', 'password_hash', 'display_name', 'is_active', 'locked_until'])
    .where('email', '=', email)
    .executeTakeFirst();

/** The user's active roles and the permissions they grant, straight from the RBAC tables. */
export async function findRolesAndPermissions(db: Kysely<Database>, userId: string) {
  const rows = await db
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.role_id', 'ur.role_id')
    .leftJoin('role_permissions as rp', 'rp.role_id', 'r.role_id')
    .leftJoin('permissions as p', 'p.permission_id', 'rp.permission_id')
    .select(['r.role_name', 'p.permission_name'])
    .where('ur.user_id', '=', userId)
    .where('r.is_active', '=', true)
    .execute();
  return {
    roles: [...new Set(rows.map((r) => r.role_name))].sort(),
    permissions: [...new Set(rows.flatMap((r) => (r.permission_name ? [r.permission_name] : [])))].sort(),
  };
}

export const findUserById = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('users')
    .select(['user_id', 'email', 'password_hash', 'display_name', 'is_active', 'locked_until'])
    .where('user_id', '=', userId)
    .executeTakeFirst();

// Sign-in's own writes happen before (or just as) anyone is signed in, so the app role cannot make
// them directly: each is one SECURITY DEFINER function of migration 016 (owned by clinic_auth).

/** The user in the transaction's context has signed in: last sign-in, failures and lockout cleared. */
export async function recordSuccessfulLogin(db: Kysely<Database>, userId: string, now: Date): Promise<void> {
  await sql`SELECT auth_record_sign_in(${userId}::uuid, ${now}::timestamptz)`.execute(db);
}

/**
 * Counts one failed attempt for this email, whether or not an account has it, atomically (concurrent
 * failures all count), locking it at the administrator's threshold. Returns whether this attempt
 * is the one that locked it.
 */
export async function recordFailedSignIn(db: Kysely<Database>, email: string, now: Date): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`SELECT auth_record_failed_sign_in(${email}, ${now}::timestamptz) AS locked`.execute(db);
  return rows[0]?.locked === true;
}

/** Until when an email that no account has is locked by failed attempts (null when it is not). */
export async function unknownEmailLockedUntil(db: Kysely<Database>, email: string): Promise<Date | null> {
  const { rows } = await sql<{ until: Date | null }>`SELECT auth_unknown_email_locked_until(${email}) AS until`.execute(db);
  return rows[0]?.until ?? null;
}

/** Sets the password of the user in the transaction's context (who proved it, or redeemed a code). */
export async function setOwnPasswordHash(db: Kysely<Database>, userId: string, passwordHash: string, now: Date): Promise<void> {
  await sql`SELECT auth_set_own_password(${userId}::uuid, ${passwordHash}, ${now}::timestamptz)`.execute(db);
}

/** Marks an unused, unexpired reset code of this email's account used; its user's id, or null. */
export async function redeemResetCode(db: Kysely<Database>, email: string, tokenSha256: string, now: Date): Promise<string | null> {
  const { rows } = await sql<{
    user_id: string | null;
  }>`SELECT auth_redeem_reset_token(${email}, ${tokenSha256}, ${now}::timestamptz) AS user_id`.execute(db);
  return rows[0]?.user_id ?? null;
}

/** A new reset code for the user; it supersedes any earlier unused one. */
export async function replaceResetCode(
  db: Kysely<Database>,
  code: { userId: string; tokenSha256: string; expiresAt: Date; issuedBy: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('password_reset_tokens')
    .set({ used_at: now })
    .where('user_id', '=', code.userId)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('password_reset_tokens')
    .values({ user_id: code.userId, token_hash: code.tokenSha256, expires_at: code.expiresAt, created_at: now, issued_by: code.issuedBy })
    .execute();
}
