import { actingUserId, inTransaction, reading } from '../ipc/handler-types.js';
import { listRoles, listUsers } from './user-admin.repository.js';
import { issueResetToken } from '../session/index.js';
import { createUser, setUserActive, setUserRoles, unlockUser } from './user-admin-service.js';

export const userAdminHandlers = {
  'users/list-users': reading<'users/list-users'>((trx) => listUsers(trx)),
  'users/create-user': inTransaction<'users/create-user'>((trx, input, ctx) =>
    createUser(trx, input, actingUserId(ctx), ctx.terminal, ctx.now()),
  ),
  'users/set-user-active': inTransaction<'users/set-user-active'>(async (trx, { userId, active }, ctx) => {
    const row = await setUserActive(trx, userId, active, ctx.now());
    if (!active) ctx.sessions.endAllFor(userId); // a deactivated user is signed out everywhere at once
    return row;
  }),
  'users/set-user-roles': inTransaction<'users/set-user-roles'>(async (trx, { userId, roles }, ctx) => {
    const row = await setUserRoles(trx, userId, roles, actingUserId(ctx));
    // Permissions are read at sign-in: the user's open sessions must start again with the new ones.
    ctx.sessions.endAllFor(userId, userId === actingUserId(ctx) ? ctx.senderId : undefined);
    return row;
  }),
  'users/issue-reset-code': inTransaction<'users/issue-reset-code'>((trx, { userId }, ctx) =>
    issueResetToken(trx, userId, actingUserId(ctx), ctx.terminal, ctx.now()),
  ),
  'users/unlock-user': inTransaction<'users/unlock-user'>((trx, { userId }, ctx) => unlockUser(trx, userId, ctx.now())),
  'roles/list-roles': reading<'roles/list-roles'>((trx) => listRoles(trx)),
};
