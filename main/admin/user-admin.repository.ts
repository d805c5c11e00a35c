import { sql, type Kysely } from 'kysely';
import type { RoleName } from '../../contract/permissions.js';
import type { RoleRow, UserRow } from '../../contract/index.js';
import type { Database } from '../db/database.js';

/** Users with their roles, one row each, for the admin screen. */
export async function listUsers(db: Kysely<Database>, userId?: string): Promise<UserRow[]> {
  let query = db
    .selectFrom('users as u')
    .leftJoin('user_roles as ur', 'ur.user_id', 'u.user_id')
    .leftJoin('roles as r', 'r.role_id', 'ur.role_id')
    .select([
      'u.user_id as userId',
      'u.email',
      'u.display_name as displayName',
      sql<boolean>`coalesce(u.is_active, false)`.as('isActive'),
      sql<RoleName[]>`coalesce(array_agg(r.role_name ORDER BY r.role_name) FILTER (WHERE r.role_name IS NOT NULL), '{}')`.as('roles'),
      'u.last_login as lastLogin',
      'u.locked_until as lockedUntil',
    ])
    .groupBy('u.user_id')
    .orderBy('u.email');
  if (userId) query = query.where('u.user_id', '=', userId);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...r,
    lastLogin: r.lastLogin ? new Date(r.lastLogin).toISOString() : null,
    lockedUntil: r.lockedUntil ? new Date(r.lockedUntil).toISOString() : null,
  }));
}

export async function replaceRoles(db: Kysely<Database>, userId: string, roles: readonly RoleName[], assignedBy: string): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length === 0) return;
  await db
    .insertInto('user_roles')
    .columns(['user_id', 'role_id', 'assigned_by'])
    .expression(
      db
        .selectFrom('roles')
        .select([sql<string>`${userId}::uuid`.as('user_id'), 'role_id', sql<string>`${assignedBy}::uuid`.as('assigned_by')])
        .where('role_name', 'in', [...roles]),
    )
    .execute();
}

export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.role_id', 'ur.role_id')
    .innerJoin('users as u', 'u.user_id', 'ur.user_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.role_name', '=', 'admin')
    .where('u.is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listRoles(db: Kysely<Database>): Promise<RoleRow[]> {
  return db
    .selectFrom('roles as r')
    .leftJoin('role_permissions as rp', 'rp.role_id', 'r.role_id')
    .leftJoin('permissions as p', 'p.permission_id', 'rp.permission_id')
    .select([
      'r.role_name as roleName',
      'r.description',
      sql<
        string[]
      >`coalesce(array_agg(p.permission_name ORDER BY p.permission_name) FILTER (WHERE p.permission_name IS NOT NULL), '{}')`.as(
        'permissions',
      ),
    ])
    .where('r.is_active', '=', true)
    .groupBy('r.role_id')
    .orderBy('r.role_name')
    .execute();
}

/** A new account; returns its id. */
export async function insertUser(
  db: Kysely<Database>,
  user: { email: string; displayName: string; passwordHash: string },
  now: Date,
): Promise<string> {
  const created = await db
    .insertInto('users')
    .values({ email: user.email, display_name: user.displayName, password_hash: user.passwordHash, created_at: now, updated_at: now })
    .returning('user_id')
    .executeTakeFirstOrThrow();
  return created.user_id;
}

/** Whether the user was found (and so switched on or off). */
export async function updateUserActive(db: Kysely<Database>, userId: string, active: boolean, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable('users')
    .set({ is_active: active, updated_at: now })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function clearLockout(db: Kysely<Database>, userId: string, now: Date): Promise<void> {
  await db.updateTable('users').set({ failed_login_count: 0, locked_until: null, updated_at: now }).where('user_id', '=', userId).execute();
}
