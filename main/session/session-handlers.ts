import { failure } from '../shared/failure.js';
import type { sessionChannels } from '../../contract/session.js';
import { inTransaction, local, type HandlerContext, type HandlersFor } from '../ipc/handler-types.js';
import { redeemResetToken } from './password-reset-service.js';
import { changePassword, signIn, unlock } from './session-service.js';

const currentSession = (ctx: HandlerContext) => {
  const session = ctx.session ?? ctx.sessions.get(ctx.senderId);
  if (!session) throw failure('Unauthorized', 'Please sign in first.');
  return session;
};

export const sessionHandlers = {
  'session/sign-in': inTransaction<'session/sign-in'>(async (trx, input, ctx) => {
    // Signing in on a window that holds a (locked) session replaces it: the fast user switch.
    const replacing = ctx.sessions.get(ctx.senderId)?.user ?? null;
    const signedIn = await signIn(trx, input, ctx.terminal, ctx.now(), replacing);
    const session = ctx.sessions.start(ctx.senderId, signedIn.user, { idleMinutes: signedIn.idleMinutes, maxHours: signedIn.maxHours });
    ctx.signedIn(signedIn.user, input.password);
    return ctx.sessions.view(session);
  }),
  'session/sign-out': local<'session/sign-out'>((_input, ctx) => {
    ctx.sessions.end(ctx.senderId);
    return { signedOut: true as const };
  }),
  'session/get-current': local<'session/get-current'>((_input, ctx) => {
    const session = ctx.sessions.get(ctx.senderId);
    return session ? ctx.sessions.view(session) : null;
  }),
  'session/unlock-screen': inTransaction<'session/unlock-screen'>(async (trx, { password }, ctx) => {
    const session = currentSession(ctx);
    await unlock(trx, session.user.userId, password, ctx.terminal, ctx.now());
    ctx.sessions.unlock(ctx.senderId);
    ctx.signedIn(session.user, password);
    return ctx.sessions.view(session);
  }),
  'session/report-activity': local<'session/report-activity'>((_input, ctx) => {
    ctx.sessions.touch(ctx.senderId);
    return { locked: ctx.sessions.status(ctx.senderId) === 'locked' };
  }),
  'session/change-password': inTransaction<'session/change-password'>(async (trx, input, ctx) => {
    const session = currentSession(ctx);
    await changePassword(trx, session.user.userId, input, ctx.terminal, ctx.now());
    ctx.sessions.endAllFor(session.user.userId, ctx.senderId); // other windows must sign in again
    ctx.signedIn(session.user, input.newPassword);
    return { passwordChanged: true as const };
  }),
  'session/redeem-reset-token': inTransaction<'session/redeem-reset-token'>(async (trx, input, ctx) => {
    const userId = await redeemResetToken(trx, input, ctx.terminal, ctx.now());
    ctx.sessions.endAllFor(userId); // a reset ends every session of that user
    return { passwordChanged: true as const };
  }),
} satisfies HandlersFor<typeof sessionChannels>;
