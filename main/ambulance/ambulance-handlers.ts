import type { ambulanceChannels } from '../../contract/ambulance.js';
import { inTransaction, reading, type HandlersFor } from '../ipc/handler-types.js';
import { dispatch, getFleet, getResponseTimes, listRuns, setStatus, updateRun } from './dispatch-service.js';

export const ambulanceHandlers = {
  'ambulance/get-fleet': reading<'ambulance/get-fleet'>((trx) => getFleet(trx)),
  'ambulance/list-runs': reading<'ambulance/list-runs'>((trx, { days }) => listRuns(trx, days)),
  'ambulance/get-response-times': reading<'ambulance/get-response-times'>((trx, { days }) => getResponseTimes(trx, days)),
  'ambulance/dispatch-vehicle': inTransaction<'ambulance/dispatch-vehicle'>((trx, request) => dispatch(trx, request)),
  'ambulance/update-run': inTransaction<'ambulance/update-run'>((trx, { logId, status, notes }) => updateRun(trx, logId, status, notes)),
  'ambulance/set-vehicle-status': inTransaction<'ambulance/set-vehicle-status'>((trx, { ambulanceId, status }) =>
    setStatus(trx, ambulanceId, status),
  ),
} satisfies HandlersFor<typeof ambulanceChannels>;
