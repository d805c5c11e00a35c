import { failure } from '../../shared/failure.js';
import { local } from '../../ipc/handler-types.js';

// A terminal with an offline desk answers these itself (its inbox lives there, see offline-desk.ts);
// these answer on every other terminal, which keeps no inbox.
export const inboxHandlers = {
  'offline/list-attention-items': local<'offline/list-attention-items'>(() => []),
  'offline/resolve-attention-item': local<'offline/resolve-attention-item'>(() => {
    throw failure('NotFound', 'This workstation does not keep an offline inbox.');
  }),
};
