import type { Kysely } from 'kysely';
import type { SessionUser } from '../../contract/index.js';
import type { Terminal } from '../shared/terminal.js';
import { sessionUserOf } from './session-user.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { Database } from '../db/database.js';
import { setTransactionUser } from '../db/user-transaction.js';
import { committedFailure, failure } from '../shared/failure.js';
import { findIdleMinutes, findSecuritySettings } from './security.repository.js';
import { recordAuthEvent } from '../db/auth-events.js';
import {
  findRolesAndPermissions,
  findUserByEmail,
  findUserById,
  recordFailedSignIn,
  recordSuccessfulLogin,
  setOwnPasswordHash,
  unknownEmailLockedUntil,
} from './users.repository.js';

// One message for every way sign-in can fail, so it never tells whether an email exists.
export const SIGN_IN_REFUSED = 'The email or password is not correct.';

const lockedMessage = (until: Date, now: Date) =>
  `This account is locked after too many failed attempts. Try again in ${Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))} minute(s), or ask an administrator.`;

/**
 * Checks a password for a known user, counting failures towards the lockout. Failures are
 * committed (counter and audit row) even though the request fails.
 */
export async function checkPassword(
  trx: Kysely<Database>,
  user: { user_id: string; email: string; password_hash: string; locked_until: Date | null; is_active: boolean | null },
  password: string,
  terminal: Terminal,
  now: Date,
): Promise<void> {
  const settings = await findSecuritySettings(trx);
  if (user.locked_until && user.locked_until > now) {
    await verifyPassword(null, password); // same cost as a real check
    await recordAuthEvent(trx, 'SIGNINFAIL', { userId: user.user_id, email: user.email }, terminal.name, { reason: 'locked' });
    throw committedFailure('Unauthorized', lockedMessage(user.locked_until, now));
  }
  const matches = await verifyPassword(user.password_hash, password);
  if (matches && user.is_active !== false) return;
  const justLocked = await recordFailedSignIn(trx, user.email, now);
  await recordAuthEvent(trx, 'SIGNINFAIL', { userId: user.user_id, email: user.email }, terminal.name, {
    reason: matches ? 'inactive' : 'password',
  });
  if (justLocked)
    await recordAuthEvent(trx, 'LOCKED', { userId: user.user_id, email: user.email }, terminal.name, { minutes: settings.lockout_minutes });
  throw committedFailure('Unauthorized', SIGN_IN_REFUSED);
}

/**
 * An email no account has gets the answers a real account would: its failures are counted and lock
 * it the same way, so "locked" after five failures does not tell that the account exists.
 */
export async function refuseUnknownEmail(
  trx: Kysely<Database>,
  email: string,
  password: string,
  terminal: Terminal,
  now: Date,
): Promise<never> {
  const lockedUntil = await unknownEmailLockedUntil(trx, email);
  await verifyPassword(null, password); // same cost as a real check
  if (lockedUntil && lockedUntil > now) {
    await recordAuthEvent(trx, 'SIGNINFAIL', { userId: null, email }, terminal.name, { reason: 'unknown-email' });
    throw committedFailure('Unauthorized', lockedMessage(lockedUntil, now));
  }
  await recordFailedSignIn(trx, email, now);
  await recordAuthEvent(trx, 'SIGNINFAIL', { userId: null, email }, terminal.name, { reason: 'unknown-email' });
  throw committedFailure('Unauthorized', SIGN_IN_REFUSED);
}

async function loadSessionUser(
  trx: Kysely<Database>,
  user: { user_id: string; email: string; display_name: string },
  now: Date,
): Promise<SessionUser> {
  const access = await findRolesAndPermissions(trx, user.user_id);
  if (access.roles.length === 0) throw failure('Forbidden', 'Your account has no role on this system. Ask an administrator.');
  return sessionUserOf(user, access, now);
}

/** The user as they are now, for acting on their behalf (replay); null when gone or switched off. */
export async function findActiveSessionUser(trx: Kysely<Database>, userId: string, now: Date): Promise<SessionUser | null> {
  const user = await findUserById(trx, userId);
  if (!user || user.is_active === false) return null;
  return sessionUserOf(user, await findRolesAndPermissions(trx, userId), now);
}

export interface SignedIn {
  user: SessionUser;
  idleMinutes: number;
  maxHours: number;
}

export async function signIn(
  trx: Kysely<Database>,
  credentials: { email: string; password: string },
  terminal: Terminal,
  now: Date,
  replacing: SessionUser | null,
): Promise<SignedIn> {
  const user = await findUserByEmail(trx, credentials.email);
  if (!user) return refuseUnknownEmail(trx, credentials.email, credentials.password, terminal, now);
  await checkPassword(trx, user, credentials.password, terminal, now);
  // From here on the audit trail names the user who is signing in.
  await setTransactionUser(trx, user.user_id);
  const sessionUser = await loadSessionUser(trx, user, now);
  await recordSuccessfulLogin(trx, user.user_id, now);
  const switched = replacing && replacing.userId !== user.user_id;
  await recordAuthEvent(
    trx,
    switched ? 'SWITCH' : 'SIGNIN',
    { userId: user.user_id, email: user.email },
    terminal.name,
    switched ? { from: replacing.email } : {},
  );
  const settings = await findSecuritySettings(trx);
  return { user: sessionUser, idleMinutes: await findIdleMinutes(trx, terminal.role), maxHours: settings.session_max_hours };
}

/** The same user, back from the lock screen: the password is checked (and counted) as at sign-in. */
export async function unlock(trx: Kysely<Database>, userId: string, password: string, terminal: Terminal, now: Date): Promise<void> {
  const user = await findUserById(trx, userId);
  if (!user) throw failure('Unauthorized', 'Please sign in again.');
  await checkPassword(trx, user, password, terminal, now);
  await recordAuthEvent(trx, 'UNLOCK', { userId, email: user.email }, terminal.name);
}

export async function changePassword(
  trx: Kysely<Database>,
  userId: string,
  passwords: { currentPassword: string; newPassword: string },
  terminal: Terminal,
  now: Date,
): Promise<void> {
  const user = await findUserById(trx, userId);
  if (!user) throw failure('Unauthorized', 'Please sign in again.');
  if (!(await verifyPassword(user.password_hash, passwords.currentPassword))) {
    throw failure('Validation', 'The current password is not correct.', [
      { path: 'currentPassword', message: 'The current password is not correct.' },
    ]);
  }
  if (passwords.newPassword.toLowerCase().includes(user.email.split('@')[0]!.toLowerCase())) {
    throw failure('Validation', 'The new password must not contain your user name.', [
      { path: 'newPassword', message: 'Must not contain your user name.' },
    ]);
  }
  await setOwnPasswordHash(trx, userId, await hashPassword(passwords.newPassword), now);
  await recordAuthEvent(trx, 'PW_CHANGE', { userId, email: user.email }, terminal.name);
}
