import { PERMISSIONS, ROLE_NAMES, type Permission, type RoleName } from '../../contract/permissions.js';
import type { SessionUser } from '../../contract/index.js';

const isPermission = (name: string): name is Permission => (PERMISSIONS as readonly string[]).includes(name);
const isRoleName = (name: string): name is RoleName => (ROLE_NAMES as readonly string[]).includes(name);

/** The one shape of a signed-in user: from the users row and what the RBAC tables grant now. */
export function sessionUserOf(
  user: { user_id: string; email: string; display_name: string | null },
  access: { roles: string[]; permissions: string[] },
  now: Date,
): SessionUser {
  return {
    userId: user.user_id,
    email: user.email,
    displayName: user.display_name || user.email,
    roles: access.roles.filter(isRoleName),
    permissions: access.permissions.filter(isPermission),
    signedInAt: now.toISOString(),
  };
}
