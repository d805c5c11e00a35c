import { adminHandlers } from './admin/index.js';
import { ambulanceHandlers } from './ambulance/index.js';
import { auditHandlers } from './audit/index.js';
import { backupsHandlers } from './backups/index.js';
import { billingHandlers } from './billing/index.js';
import { housekeepingHandlers } from './housekeeping/index.js';
import type { HandlerMap } from './ipc/handler-types.js';
import { monitoringHandlers } from './monitoring/index.js';
import { systemHandlers } from './ipc/system-handlers.js';
import { patientHandlers } from './patients/index.js';
import { pharmacyHandlers } from './pharmacy/index.js';
import { referenceDataHandlers } from './reference-data/index.js';
import { schedulingHandlers } from './scheduling/index.js';
import { sessionHandlers } from './session/index.js';
import { wardHandlers } from './ward/index.js';
import { wardCopyHandlers } from './ward/offline/index.js';

/** The handler map, typed from the contract: adding a channel without a handler fails typecheck. */
export const createHandlers = (): HandlerMap => ({
  ...sessionHandlers,
  ...systemHandlers,
  ...patientHandlers,
  ...adminHandlers,
  ...monitoringHandlers,
  ...auditHandlers,
  ...schedulingHandlers,
  ...pharmacyHandlers,
  ...wardHandlers,
  ...wardCopyHandlers,
  ...billingHandlers,
  ...housekeepingHandlers,
  ...ambulanceHandlers,
  ...referenceDataHandlers,
  ...backupsHandlers,
});
