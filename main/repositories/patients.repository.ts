import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** The columns of a PatientSummary (contract/schemas.ts), named as the contract names them. */
export const PATIENT_SUMMARY_COLUMNS = [
  'patient_id as patientId',
  'first_name as firstName',
  'last_name as lastName',
  'date_of_birth as dateOfBirth',
  'gender',
  'contact_number as contactNumber',
  'email',
  'department_id as departmentId',
] as const;

export const findPatientSummary = (db: Kysely<Database>, patientId: number) =>
  db.selectFrom('patients').select(PATIENT_SUMMARY_COLUMNS).where('patient_id', '=', patientId).executeTakeFirst();
