import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password.js';
import type { Database } from '../db/database.js';
import { setTransactionUser } from '../db/user-transaction.js';
import { failure } from '../shared/failure.js';
import { recordAuthEvent } from '../db/auth-events.js';
import { findUserById, redeemResetCode, replaceResetCode, setOwnPasswordHash } from './users.repository.js';
import type { Terminal } from '../shared/terminal.js';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;

// A 256-bit random token needs no slow hash: SHA-256 is enough to make the stored value useless.
export const hashResetToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Issues a one-time code, shown once to the administrator; only its hash is stored. */
export async function issueResetToken(trx: Kysely<Database>, userId: string, issuedBy: string, terminal: Terminal, now: Date) {
  const user = await findUserById(trx, userId);
  if (!user) throw failure('NotFound', 'No such user.');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
  await replaceResetCode(trx, { userId, tokenSha256: hashResetToken(token), expiresAt, issuedBy }, now);
  await recordAuthEvent(trx, 'RESET_CODE', { userId, email: user.email }, terminal.name, { issued_by: issuedBy });
  return { token, expiresAt: expiresAt.toISOString() };
}

/**
 * Redeems a code for the user with this email: valid for 30 minutes, once. The single UPDATE inside
 * auth_redeem_reset_token is the arbiter: of two concurrent redemptions, the row lock lets exactly one
 * see `used_at IS NULL`. The new password is then set as that user (their context), like a change.
 * Returns the user id, whose other sessions the caller ends.
 */
export async function redeemResetToken(
  trx: Kysely<Database>,
  request: { email: string; token: string; newPassword: string },
  terminal: Terminal,
  now: Date,
): Promise<string> {
  const userId = await redeemResetCode(trx, request.email, hashResetToken(request.token), now);
  if (!userId)
    throw failure('Unauthorized', 'This reset code is not valid, has expired, or was already used. Ask an administrator for a new one.');
  await setTransactionUser(trx, userId);
  await setOwnPasswordHash(trx, userId, await hashPassword(request.newPassword), now);
  await recordAuthEvent(trx, 'PW_RESET', { userId, email: request.email }, terminal.name);
  return userId;
}
