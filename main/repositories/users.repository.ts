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

export const recordSuccessfulLogin = (db: Kysely<Database>, userId: string) =>
  db
    .updateTable('users')
    .set({ last_login: sql<Date>`now()`, failed_login_count: 0, updated_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .execute();
