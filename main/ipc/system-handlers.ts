import type { systemChannels } from '../../contract/system.js';
import { local, type HandlersFor } from './handler-types.js';

export const systemHandlers = {
  'system/get-status': local<'system/get-status'>((_input, ctx) => ctx.status()),
  'system/get-demo-accounts': local<'system/get-demo-accounts'>((_input, ctx) => ctx.demoAccounts()),
} satisfies HandlersFor<typeof systemChannels>;
