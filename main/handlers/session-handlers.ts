import { inTransaction, local } from '../ipc/handler-types.js';
import { signIn } from '../services/session-service.js';

export const sessionHandlers = {
  'session/sign-in': inTransaction<'session/sign-in'>(async (trx, input, ctx) => {
    const user = await signIn(trx, input);
    ctx.sessions.start(ctx.senderId, user);
    return user;
  }),
  'session/sign-out': local<'session/sign-out'>((_input, ctx) => {
    ctx.sessions.end(ctx.senderId);
    return { signedOut: true as const };
  }),
  'session/get-current': local<'session/get-current'>((_input, ctx) => ctx.session?.user ?? null),
};
