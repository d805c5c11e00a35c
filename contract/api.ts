import type { z } from 'zod';
import type { ChannelInput, ChannelKey, ChannelOutput } from './index.js';
import type { Result } from './errors.js';
import type { EventKey, events } from './events.js';

/** The one object preload puts on `window.clinic`. */
export interface ClinicApi {
  invoke<C extends ChannelKey>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventKey>(event: E, listener: (payload: z.output<(typeof events)[E]>) => void): () => void;
}

/** Names of the two raw Electron IPC channels; everything else travels inside them. */
export const IPC_INVOKE = 'clinic:invoke';
export const IPC_EVENT = 'clinic:event';
