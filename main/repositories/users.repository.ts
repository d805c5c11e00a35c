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

export const recordSuccessfulLogin = (db: Kysely<Database>, userId: string, now: Date) =>
  db
    .updateTable('users')
    .set({ last_login: now, failed_login_count: 0, locked_until: null, updated_at: now })
    .where('user_id', '=', userId)
    .execute();

/**
 * Counts one failed attempt atomically (concurrent failures all count) and locks the account when
 * the count reaches the threshold. Returns whether this attempt is the one that locked it.
 */
export async function recordFailedLogin(db: Kysely<Database>, userId: string, now: Date, threshold: number, lockMinutes: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({
      failed_login_count: sql<number>`failed_login_count + 1`,
      locked_until: sql<Date>`CASE WHEN failed_login_count + 1 >= ${threshold} THEN ${now}::timestamptz + make_interval(mins => ${lockMinutes}) ELSE locked_until END`,
    })
    .where('user_id', '=', userId)
    .returning(['failed_login_count', 'locked_until'])
    .executeTakeFirst();
  return row !== undefined && row.failed_login_count === threshold;
}

export const setPasswordHash = (db: Kysely<Database>, userId: string, passwordHash: string, now: Date) =>
  db
    .updateTable('users')
    .set({ password_hash: passwordHash, failed_login_count: 0, locked_until: null, updated_at: now })
    .where('user_id', '=', userId)
    .executeTakeFirst();
