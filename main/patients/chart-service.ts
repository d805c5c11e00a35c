import type { Kysely } from 'kysely';
import type { PatientSummary } from '../../contract/index.js';
import { recordAuthEvent } from '../db/auth-events.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import type { Terminal } from '../shared/terminal.js';
import { MedicalHistoryKeyMismatch, readMedicalHistory, writeMedicalHistory } from './medical-history.repository.js';
import { findPatientSummary } from './patients.repository.js';

/** What a clerk is told when this workstation's key and the stored histories do not go together. */
function keyProblem(error: unknown, nothingWritten: boolean): unknown {
  if (!(error instanceof MedicalHistoryKeyMismatch)) return error;
  if (error.kind === 'older-key')
    return failure('Unavailable', "This patient's medical history was saved under an older key and cannot be opened here. Ask IT.");
  const written = nothingWritten ? ' Nothing was saved.' : '';
  return failure('Unavailable', `This workstation's key for medical histories does not match the stored data.${written} Ask IT.`);
}

export async function getPatient(trx: Kysely<Database>, patientId: number): Promise<PatientSummary> {
  const patient = await findPatientSummary(trx, patientId);
  if (!patient) throw failure('NotFound', `No patient with id ${patientId}.`);
  return patient;
}

/** A chart open is a read of clinical data: audited in the same transaction, so no read goes unrecorded. */
export async function openChart(
  trx: Kysely<Database>,
  patientId: number,
  key: () => string,
  user: { userId: string; email: string },
  terminal: Terminal,
) {
  const patient = await findPatientSummary(trx, patientId); // row level security decides who finds it
  if (!patient) throw failure('NotFound', `No patient with id ${patientId} in your care.`);
  const medicalHistory = await readMedicalHistory(trx, patientId, key()).catch((error: unknown) => {
    throw keyProblem(error, false);
  });
  await recordAuthEvent(trx, 'CHART_OPEN', user, terminal.name, { patient_id: patientId });
  return { patient, medicalHistory };
}

export async function saveMedicalHistory(
  trx: Kysely<Database>,
  patientId: number,
  medicalHistory: string,
  key: string,
): Promise<{ saved: true }> {
  const written = await writeMedicalHistory(trx, patientId, medicalHistory, key).catch((error: unknown) => {
    throw keyProblem(error, true);
  });
  if (!written) throw failure('NotFound', `No patient with id ${patientId} in your care.`);
  return { saved: true };
}
