import type { HandlerMap } from '../ipc/handler-types.js';
import { adminHandlers } from './admin-handlers.js';
import { offlineInboxHandlers } from './offline-handlers.js';
import { patientHandlers } from './patient-handlers.js';
import { schedulingHandlers } from './scheduling-handlers.js';
import { sessionHandlers } from './session-handlers.js';
import { settingsHandlers } from './settings-handlers.js';
import { systemHandlers } from './system-handlers.js';

/** The handler map, typed from the contract: adding a channel without a handler fails typecheck. */
export const createHandlers = (): HandlerMap => ({
  ...sessionHandlers,
  ...systemHandlers,
  ...patientHandlers,
  ...settingsHandlers,
  ...adminHandlers,
  ...schedulingHandlers,
  ...offlineInboxHandlers,
});
