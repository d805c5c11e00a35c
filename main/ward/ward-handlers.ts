import type { wardChannels } from '../../contract/ward.js';
import { actingUserId, inTransaction, reading, type HandlersFor } from '../ipc/handler-types.js';
import { admit, completeCleaning, discharge, getBedBoard, getCensus, transfer } from './beds-service.js';
import { getObservations, recordObservation, setSpo2Scale } from './observations-service.js';

export const wardHandlers = {
  'ward/get-bed-board': reading<'ward/get-bed-board'>((trx, { departmentId }, ctx) => getBedBoard(trx, departmentId, ctx.now())),
  'ward/get-census': reading<'ward/get-census'>((trx) => getCensus(trx)),
  'ward/admit-patient': inTransaction<'ward/admit-patient'>((trx, request) => admit(trx, request)),
  'ward/transfer-patient': inTransaction<'ward/transfer-patient'>((trx, request) => transfer(trx, request)),
  'ward/discharge-patient': inTransaction<'ward/discharge-patient'>((trx, request) => discharge(trx, request)),
  'ward/complete-cleaning': inTransaction<'ward/complete-cleaning'>((trx, { cleaningId }) => completeCleaning(trx, cleaningId)),
  'ward/record-observation': inTransaction<'ward/record-observation'>((trx, request, ctx) =>
    recordObservation(trx, request, actingUserId(ctx), ctx.now()),
  ),
  'ward/get-observations': reading<'ward/get-observations'>((trx, { patientId, hours }, ctx) =>
    getObservations(trx, patientId, hours, ctx.now()),
  ),
  'ward/set-saturation-scale': inTransaction<'ward/set-saturation-scale'>((trx, { patientId, scale, reason }, ctx) =>
    setSpo2Scale(trx, patientId, scale, reason, actingUserId(ctx)),
  ),
} satisfies HandlersFor<typeof wardChannels>;
