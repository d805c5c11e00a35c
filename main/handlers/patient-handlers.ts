import { failure } from '../ipc/failure.js';
import { inTransaction, reading, type HandlerContext } from '../ipc/handler-types.js';
import { readMedicalHistory, writeMedicalHistory } from '../repositories/medical-history.repository.js';
import { findPatientSummary } from '../repositories/patients.repository.js';
import { recordAuthEvent } from '../repositories/security.repository.js';

const historyKey = (ctx: HandlerContext) => {
  const key = ctx.medicalHistoryKey();
  if (!key) throw failure('Unavailable', 'This workstation does not have the key for medical histories. Ask IT to install it.');
  return key;
};

export const patientHandlers = {
  'patients/get-patient': reading<'patients/get-patient'>(async (trx, { patientId }) => {
    const patient = await findPatientSummary(trx, patientId);
    if (!patient) throw failure('NotFound', `No patient with id ${patientId}.`);
    return patient;
  }),
  // A chart open is a read of clinical data: audited in the same transaction, so no read goes unrecorded.
  'patients/open-chart': inTransaction<'patients/open-chart'>(async (trx, { patientId }, ctx) => {
    const patient = await findPatientSummary(trx, patientId); // row level security decides who finds it
    if (!patient) throw failure('NotFound', `No patient with id ${patientId} in your care.`);
    const medicalHistory = await readMedicalHistory(trx, patientId, historyKey(ctx));
    const user = ctx.session!.user;
    await recordAuthEvent(trx, 'CHART_OPEN', { userId: user.userId, email: user.email }, ctx.terminal.name, { patient_id: patientId });
    return { patient, medicalHistory };
  }),
  'patients/save-medical-history': inTransaction<'patients/save-medical-history'>(async (trx, { patientId, medicalHistory }, ctx) => {
    if (!(await writeMedicalHistory(trx, patientId, medicalHistory, historyKey(ctx)))) throw failure('NotFound', `No patient with id ${patientId} in your care.`);
    return { saved: true as const };
  }),
};
