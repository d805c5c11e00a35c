import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RoleName } from '../../contract/permissions.js';
import type { UserRow } from '../../contract/index.js';
import { hashPassword } from '../auth/password.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { clearLockout, countActiveAdmins, insertUser, listUsers, replaceRoles, updateUserActive } from './user-admin.repository.js';
import { issueResetToken } from '../session/index.js';
import type { Terminal } from '../shared/terminal.js';

async function userRow(trx: Kysely<Database>, userId: string): Promise<UserRow> {
  const [row] = await listUsers(trx, userId);
  if (!row) throw failure('NotFound', 'No such user.');
  return row;
}

/** Refuses a change that would leave the hospital with no active administrator. */
async function keepAnAdministrator(trx: Kysely<Database>): Promise<void> {
  if ((await countActiveAdmins(trx)) === 0)
    throw failure('Conflict', 'This would leave no active administrator. Make someone else an administrator first.');
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
  const userId = await insertUser(trx, { email: request.email, displayName: request.displayName, passwordHash: unusable }, now);
  await replaceRoles(trx, userId, request.roles, actor);
  return { userId, resetCode: await issueResetToken(trx, userId, actor, terminal, now) };
}

export async function setUserActive(trx: Kysely<Database>, userId: string, active: boolean, now: Date): Promise<UserRow> {
  if (!(await updateUserActive(trx, userId, active, now))) throw failure('NotFound', 'No such user.');
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
  await clearLockout(trx, userId, now);
  return userRow(trx, userId);
}
