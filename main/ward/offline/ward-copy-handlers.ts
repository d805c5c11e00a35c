import type { wardOfflineChannels } from '../../../contract/ward-offline.js';
import { local, type HandlersFor } from '../../ipc/handler-types.js';

/**
 * Online, and on a terminal that keeps no ward copy, there is none to show: null. A ward terminal's
 * copy (ward-copy.ts) answers this channel itself, through the door's OfflineRoute, before this runs.
 */
export const wardCopyHandlers = {
  'ward/get-last-known-copy': local<'ward/get-last-known-copy'>(() => null),
} satisfies HandlersFor<typeof wardOfflineChannels>;
