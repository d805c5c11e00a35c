// The scheduling feature: doctors, the book, booking, and the front desk's offline desk. Other features
// and the composition root (app-core.ts, index.ts) import only this file.
import type { schedulingChannels } from '../../contract/scheduling.js';
import type { HandlersFor } from '../ipc/handler-types.js';
import { inboxHandlers } from './offline/inbox-handlers.js';
import { bookHandlers } from './scheduling-handlers.js';

export const schedulingHandlers = { ...bookHandlers, ...inboxHandlers } satisfies HandlersFor<typeof schedulingChannels>;
export { createOfflineDesk, type OfflineDesk, type OfflineDeskOptions } from './offline/offline-desk.js';
export { offlineStoreKey } from './offline/offline-key.js';
