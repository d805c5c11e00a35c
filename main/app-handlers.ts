import { adminHandlers } from './admin/index.js';
import type { HandlerMap } from './ipc/handler-types.js';
import { systemHandlers } from './ipc/system-handlers.js';
import { patientHandlers } from './patients/index.js';
import { pharmacyHandlers } from './pharmacy/index.js';
import { schedulingHandlers } from './scheduling/index.js';
import { sessionHandlers } from './session/index.js';
import { wardHandlers } from './ward/index.js';

/** The handler map, typed from the contract: adding a channel without a handler fails typecheck. */
export const createHandlers = (): HandlerMap => ({
  ...sessionHandlers,
  ...systemHandlers,
  ...patientHandlers,
  ...adminHandlers,
  ...schedulingHandlers,
  ...pharmacyHandlers,
  ...wardHandlers,
});
