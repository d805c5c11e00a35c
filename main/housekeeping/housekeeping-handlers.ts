import type { housekeepingChannels } from '../../contract/housekeeping.js';
import { inTransaction, reading, type HandlersFor } from '../ipc/handler-types.js';
import { getQueue, listRooms, moveTask, planRoutine, requestCleaning } from './cleaning-service.js';

export const housekeepingHandlers = {
  'housekeeping/get-queue': reading<'housekeeping/get-queue'>((trx) => getQueue(trx)),
  'housekeeping/list-rooms': reading<'housekeeping/list-rooms'>((trx) => listRooms(trx)),
  'housekeeping/plan-routine': inTransaction<'housekeeping/plan-routine'>((trx) => planRoutine(trx)),
  'housekeeping/request-cleaning': inTransaction<'housekeeping/request-cleaning'>((trx, request) => requestCleaning(trx, request)),
  'housekeeping/start-task': inTransaction<'housekeeping/start-task'>((trx, { cleaningId }) => moveTask(trx, cleaningId, 'InProgress')),
  'housekeeping/complete-task': inTransaction<'housekeeping/complete-task'>((trx, { cleaningId }) =>
    moveTask(trx, cleaningId, 'Completed'),
  ),
  'housekeeping/skip-task': inTransaction<'housekeeping/skip-task'>((trx, { cleaningId, reason }) =>
    moveTask(trx, cleaningId, 'Skipped', reason),
  ),
} satisfies HandlersFor<typeof housekeepingChannels>;
