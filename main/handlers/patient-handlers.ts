import { reading } from '../ipc/handler-types.js';
import { failure } from '../ipc/failure.js';
import { findPatientSummary } from '../repositories/patients.repository.js';

export const patientHandlers = {
  'patients/get-patient': reading<'patients/get-patient'>(async (trx, { patientId }) => {
    const patient = await findPatientSummary(trx, patientId);
    if (!patient) throw failure('NotFound', `No patient with id ${patientId}.`);
    return patient;
  }),
};
