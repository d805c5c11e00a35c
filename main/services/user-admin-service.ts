import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RoleName } from '../../contract/permissions.js';
import type { SecuritySettings, UserRow } from '../../contract/schemas.js';
import { hashPassword } from '../auth/password.js';
import type { Database } from '../db/database.js';
import { failure } from '../ipc/failure.js';
import { countActiveAdmins, listUsers, replaceRoles } from '../repositories/user-admin.repository.js';
import { issueResetToken } from './password-reset-service.js';
import type { Terminal } from './session-service.js';

async function userRow(trx: Kysely<Database>, userId: string): Promise<UserRow> {
  const [row] = await listUsers(trx, userId);
  if (!row) throw failure('NotFound', 'No such user.');
  return row;
}

/** Refuses a change that would leave the hospital with no active administrator. */
async function keepAnAdministrator(trx: Kysely<Database>): Promise<void> {
  if ((await countActiveAdmins(trx)) === 0) throw failure('Conflict', 'This would leave no active administrator. Make someone else an administrator first.');
}

export async function createUser(
  trx: Kysely<Database>,
  request: { email: string; displayName: string; roles: RoleName[] },
  actor: string,
  terminal: Terminal,
  now: Date,
) {
  // No one knows this password: the user sets theirs with the one-time code.
  const unusable = await hashPassword(randomBytes(32).toString('base64url'));
  const created = await trx
    .insertInto('users')
    .values({ email: request.email, display_name: request.displayName, password_hash: unusable, created_at: now, updated_at: now })
    .returning('user_id')
    .executeTakeFirstOrThrow();
  await replaceRoles(trx, created.user_id, request.roles, actor);
  return { userId: created.user_id, resetCode: await issueResetToken(trx, created.user_id, actor, terminal, now) };
}

export async function setUserActive(trx: Kysely<Database>, userId: string, active: boolean, now: Date): Promise<UserRow> {
  const updated = await trx.updateTable('users').set({ is_active: active, updated_at: now }).where('user_id', '=', userId).executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw failure('NotFound', 'No such user.');
  if (!active) await keepAnAdministrator(trx);
  return userRow(trx, userId);
}

export async function setUserRoles(trx: Kysely<Database>, userId: string, roles: RoleName[], actor: string): Promise<UserRow> {
  await userRow(trx, userId);
  await replaceRoles(trx, userId, roles, actor);
  await keepAnAdministrator(trx);
  return userRow(trx, userId);
}

export async function unlockUser(trx: Kysely<Database>, userId: string, now: Date): Promise<UserRow> {
  await trx.updateTable('users').set({ failed_login_count: 0, locked_until: null, updated_at: now }).where('user_id', '=', userId).execute();
  return userRow(trx, userId);
}

export async function readSecuritySettings(trx: Kysely<Database>): Promise<SecuritySettings> {
  const settings = await trx.selectFrom('security_settings').select(['lockout_threshold', 'lockout_minutes', 'session_max_hours']).executeTakeFirstOrThrow();
  const idle = await trx.selectFrom('terminal_idle_settings').select(['terminal_role', 'idle_minutes']).execute();
  const minutes = (role: string) => idle.find((r) => r.terminal_role === role)?.idle_minutes ?? 15;
  return {
    lockoutThreshold: settings.lockout_threshold,
    lockoutMinutes: settings.lockout_minutes,
    sessionMaxHours: settings.session_max_hours,
    idleMinutes: { ward: minutes('ward'), pharmacy: minutes('pharmacy'), front_desk: minutes('front_desk'), office: minutes('office') },
  };
}

export async function saveSecuritySettings(trx: Kysely<Database>, settings: SecuritySettings, actor: string, now: Date): Promise<SecuritySettings> {
  await trx
    .updateTable('security_settings')
    .set({ lockout_threshold: settings.lockoutThreshold, lockout_minutes: settings.lockoutMinutes, session_max_hours: settings.sessionMaxHours, updated_at: now, updated_by: actor })
    .execute();
  for (const [role, minutes] of Object.entries(settings.idleMinutes)) {
    await trx.updateTable('terminal_idle_settings').set({ idle_minutes: minutes, updated_at: now, updated_by: actor }).where('terminal_role', '=', role).execute();
  }
  return readSecuritySettings(trx);
}
