import type { Kysely } from 'kysely';
import { PERMISSIONS, ROLE_NAMES, type Permission, type RoleName } from '../../contract/permissions.js';
import type { SessionUser } from '../../contract/schemas.js';
import { verifyPassword } from '../auth/password.js';
import type { Database } from '../db/database.js';
import { setTransactionUser } from '../db/user-transaction.js';
import { failure } from '../ipc/failure.js';
import { findRolesAndPermissions, findUserByEmail, recordSuccessfulLogin } from '../repositories/users.repository.js';

// One message for every way sign-in can fail, so it never tells whether an email exists.
const SIGN_IN_REFUSED = 'The email or password is not correct.';

const isPermission = (name: string): name is Permission => (PERMISSIONS as readonly string[]).includes(name);
const isRoleName = (name: string): name is RoleName => (ROLE_NAMES as readonly string[]).includes(name);

export async function signIn(
  trx: Kysely<Database>,
  credentials: { email: string; password: string },
  now = new Date(),
): Promise<SessionUser> {
  const user = await findUserByEmail(trx, credentials.email);
  const passwordMatches = await verifyPassword(user?.password_hash ?? null, credentials.password);
  if (!user || !passwordMatches || user.is_active === false) throw failure('Unauthorized', SIGN_IN_REFUSED);

  // From here on the audit trail names the user who is signing in.
  await setTransactionUser(trx, user.user_id);
  const access = await findRolesAndPermissions(trx, user.user_id);
  if (access.roles.length === 0) throw failure('Forbidden', 'Your account has no role on this system. Ask an administrator.');
  await recordSuccessfulLogin(trx, user.user_id);
  return {
    userId: user.user_id,
    email: user.email,
    displayName: user.display_name || user.email,
    roles: access.roles.filter(isRoleName),
    permissions: access.permissions.filter(isPermission),
    signedInAt: now.toISOString(),
  };
}
