import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export const findPatientSummary = (db: Kysely<Database>, patientId: number) =>
  db
    .selectFrom('patients')
    .select([
      'patient_id as patientId',
      'first_name as firstName',
      'last_name as lastName',
      'date_of_birth as dateOfBirth',
      'gender',
      'contact_number as contactNumber',
      'email',
      'department_id as departmentId',
    ])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
