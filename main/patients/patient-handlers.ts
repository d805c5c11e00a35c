import type { patientsChannels } from '../../contract/patients.js';
import { inTransaction, reading, type HandlerContext, type HandlersFor } from '../ipc/handler-types.js';
import { localNow } from '../shared/clinic-time.js';
import { failure } from '../shared/failure.js';
import { getPatient, openChart, saveMedicalHistory } from './chart-service.js';
import { registerPatient, searchPatients } from './patient-service.js';

const historyKey = (ctx: HandlerContext) => {
  const key = ctx.medicalHistoryKey();
  if (!key) throw failure('Unavailable', 'This workstation does not have the key for medical histories. Ask IT to install it.');
  return key;
};

export const patientHandlers = {
  'patients/search-patients': reading<'patients/search-patients'>((trx, { query, limit, wider }) =>
    searchPatients(trx, query, limit, wider),
  ),
  'patients/register-patient': inTransaction<'patients/register-patient'>((trx, input, ctx) =>
    registerPatient(trx, input, localNow(ctx.now()).date),
  ),
  'patients/get-patient': reading<'patients/get-patient'>((trx, { patientId }) => getPatient(trx, patientId)),
  'patients/open-chart': inTransaction<'patients/open-chart'>((trx, { patientId }, ctx) =>
    openChart(trx, patientId, () => historyKey(ctx), ctx.session!.user, ctx.terminal),
  ),
  'patients/save-medical-history': inTransaction<'patients/save-medical-history'>((trx, { patientId, medicalHistory }, ctx) =>
    saveMedicalHistory(trx, patientId, medicalHistory, historyKey(ctx)),
  ),
} satisfies HandlersFor<typeof patientsChannels>;
