import type { wardChannels } from '../../contract/ward.js';
import { actingUserId, inTransaction, reading, readingOnPrimary, type HandlersFor } from '../ipc/handler-types.js';
import { administerDose, checkAdministration } from './administration-service.js';
import { admit, completeCleaning, discharge, findToAdmit, getBedBoard, getCensus, requestBedCleaning, transfer } from './beds-service.js';
import { markAdministrationInError, recordDoseOutcome } from './dose-records-service.js';
import { getHandover } from './handover-service.js';
import { clockFor, getDueMedicines, getMar, setAdministrationWindow } from './mar-service.js';
import { addNote, listNotes } from './notes-service.js';
import { getObservations, getSpo2Scale, recordObservation, setSpo2Scale } from './observations-service.js';

export const wardHandlers = {
  'ward/get-bed-board': reading<'ward/get-bed-board'>((trx, { departmentId }, ctx) =>
    getBedBoard(trx, departmentId, ctx.now(), ctx.session?.user.permissions.includes('medical_records.read') ?? false),
  ),
  'ward/get-census': reading<'ward/get-census'>((trx) => getCensus(trx)),
  'ward/admit-patient': inTransaction<'ward/admit-patient'>((trx, request) => admit(trx, request)),
  // A read that writes its audit row: a read-write transaction.
  'ward/find-patients-to-admit': inTransaction<'ward/find-patients-to-admit'>((trx, { query }) => findToAdmit(trx, query)),
  'ward/transfer-patient': inTransaction<'ward/transfer-patient'>((trx, request) => transfer(trx, request)),
  'ward/discharge-patient': inTransaction<'ward/discharge-patient'>((trx, request) => discharge(trx, request)),
  'ward/complete-cleaning': inTransaction<'ward/complete-cleaning'>((trx, { cleaningId }) => completeCleaning(trx, cleaningId)),
  'ward/request-cleaning': inTransaction<'ward/request-cleaning'>((trx, request) => requestBedCleaning(trx, request)),
  'ward/record-observation': inTransaction<'ward/record-observation'>((trx, request, ctx) =>
    recordObservation(trx, request, actingUserId(ctx), ctx.now()),
  ),
  'ward/get-observations': reading<'ward/get-observations'>((trx, { patientId, hours }, ctx) =>
    getObservations(trx, patientId, hours, ctx.now()),
  ),
  'ward/get-saturation-scale': readingOnPrimary<'ward/get-saturation-scale'>((trx, { patientId }) => getSpo2Scale(trx, patientId)),
  'ward/set-saturation-scale': inTransaction<'ward/set-saturation-scale'>((trx, { patientId, scale, reason }, ctx) =>
    setSpo2Scale(trx, patientId, scale, reason, actingUserId(ctx)),
  ),
  'ward/get-mar': readingOnPrimary<'ward/get-mar'>((trx, request, ctx) => getMar(trx, request, ctx.now())),
  'ward/get-due-medicines': readingOnPrimary<'ward/get-due-medicines'>((trx, { departmentId, minutes }, ctx) =>
    getDueMedicines(trx, departmentId, minutes, ctx.now()),
  ),
  'ward/check-administration': readingOnPrimary<'ward/check-administration'>(async (trx, request, ctx) =>
    checkAdministration(trx, request, ctx.now()),
  ),
  'ward/administer-dose': inTransaction<'ward/administer-dose'>(async (trx, request, ctx) =>
    administerDose(trx, request, ctx.now(), { userId: actingUserId(ctx), terminal: ctx.terminal }),
  ),
  'ward/record-dose-outcome': inTransaction<'ward/record-dose-outcome'>(async (trx, request, ctx) =>
    recordDoseOutcome(trx, request, await clockFor(trx, ctx.now()), actingUserId(ctx)),
  ),
  'ward/mark-administration-in-error': inTransaction<'ward/mark-administration-in-error'>((trx, { administrationId, reason }, ctx) =>
    markAdministrationInError(trx, administrationId, reason, actingUserId(ctx)),
  ),
  'ward/set-administration-window': inTransaction<'ward/set-administration-window'>((trx, { minutes }, ctx) =>
    setAdministrationWindow(trx, minutes, actingUserId(ctx)),
  ),
  'ward/add-note': inTransaction<'ward/add-note'>((trx, request, ctx) =>
    addNote(trx, request, { userId: actingUserId(ctx), roles: ctx.session?.user.roles ?? [] }),
  ),
  'ward/list-notes': reading<'ward/list-notes'>((trx, { patientId, limit }) => listNotes(trx, patientId, limit)),
  'ward/get-handover': reading<'ward/get-handover'>((trx, { departmentId }, ctx) => getHandover(trx, departmentId, ctx.now())),
} satisfies HandlersFor<typeof wardChannels>;
