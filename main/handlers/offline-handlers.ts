import { failure } from '../ipc/failure.js';
import { local, type HandlerContext } from '../ipc/handler-types.js';

const desk = (ctx: HandlerContext) => {
  if (!ctx.offline) throw failure('NotFound', 'This workstation does not keep an offline inbox.');
  return ctx.offline;
};

// Local: the inbox lives on this terminal; a fix opens its own transaction and saves the inbox after COMMIT.
export const offlineInboxHandlers = {
  'offline/list-attention-items': local<'offline/list-attention-items'>((_input, ctx) => ctx.offline?.listAttention(ctx) ?? []),
  'offline/resolve-attention-item': local<'offline/resolve-attention-item'>((input, ctx) => desk(ctx).resolve(input, ctx)),
};
