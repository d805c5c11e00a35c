import { sql, type Kysely } from 'kysely';
import type { BedState, News2Response } from '../../contract/ward.js';
import type { Database } from '../db/database.js';

// Bed states come from ward_bed_states (migration 022: the whole truth, no patient data); the patient
// columns are joined under the reader's own row level security, so they are null where she may not look.

export interface BedRow {
  roomId: number;
  roomNumber: string;
  floor: number | null;
  roomType: string | null;
  bedNumber: number;
  state: BedState;
  assignmentId: number | null;
  cleaningId: number | null;
  patientId: number | null;
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  admittedAt: Date | null;
  hasAllergy: boolean | null;
  news2Score: number | null;
  news2Response: News2Response | null;
  news2TakenAt: Date | null;
}

export async function findBedBoard(db: Kysely<Database>, departmentId: number): Promise<BedRow[]> {
  const { rows } = await sql<BedRow>`
    SELECT s.room_id AS "roomId", s.room_number AS "roomNumber", s.floor, s.room_type AS "roomType",
           s.bed_number AS "bedNumber", s.state, s.assignment_id AS "assignmentId", s.cleaning_id AS "cleaningId",
           p.patient_id AS "patientId", p.first_name AS "firstName", p.last_name AS "lastName",
           to_char(p.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
           COALESCE(ra.admission_started_at, ra.assigned_at) AS "admittedAt",
           CASE WHEN p.patient_id IS NULL THEN NULL ELSE al.flagged IS NOT NULL END AS "hasAllergy",
           o.news2_score AS "news2Score", o.news2_response AS "news2Response", o.taken_at AS "news2TakenAt"
    FROM ward_bed_states(${departmentId}::int) s
    LEFT JOIN room_assignments ra ON ra.assignment_id = s.assignment_id
    LEFT JOIN patients p ON p.patient_id = ra.patient_id
    LEFT JOIN LATERAL (
        SELECT ob.news2_score, ob.news2_response, ob.taken_at FROM observations ob
        WHERE ob.patient_id = p.patient_id AND NOT ob.entered_in_error
          -- This stay's score (or the admitting department's of the day before), never an earlier admission's.
          AND ob.taken_at >= COALESCE(ra.admission_started_at, ra.assigned_at) - interval '24 hours'
        ORDER BY ob.taken_at DESC LIMIT 1) o ON true
    -- A probe per patient, not EXISTS: the planner hashed that over the whole allergy table, checking
    -- every row's visibility (53 of the board's 55 ms in bench:ward --explain).
    LEFT JOIN LATERAL (
        SELECT true AS flagged FROM patient_allergies a WHERE a.patient_id = p.patient_id AND NOT a.entered_in_error LIMIT 1) al ON true
    ORDER BY s.room_number, s.bed_number`.execute(db);
  return rows;
}

export interface CensusCount {
  departmentId: number | null;
  departmentName: string | null;
  state: BedState;
  beds: number;
}

export async function countBedsByDepartmentAndState(db: Kysely<Database>): Promise<CensusCount[]> {
  const { rows } = await sql<CensusCount>`
    SELECT s.department_id AS "departmentId", d.name AS "departmentName", s.state, count(*)::int AS beds
    FROM ward_bed_states(NULL) s LEFT JOIN departments d ON d.department_id = s.department_id
    GROUP BY s.department_id, d.name, s.state
    ORDER BY d.name NULLS LAST, s.state`.execute(db);
  return rows;
}

export async function findFreeBeds(db: Kysely<Database>, departmentId: number | null, limit = 10) {
  const { rows } = await sql<{ roomNumber: string; bedNumber: number }>`
    SELECT s.room_number AS "roomNumber", s.bed_number AS "bedNumber"
    FROM ward_bed_states(${departmentId}::int) s WHERE s.state = 'free'
    ORDER BY s.room_number, s.bed_number LIMIT ${limit}`.execute(db);
  return rows;
}

export const findRoom = (db: Kysely<Database>, roomId: number) =>
  db
    .selectFrom('rooms')
    .select(['room_id as roomId', 'room_number as roomNumber', 'department_id as departmentId'])
    .where('room_id', '=', roomId)
    .executeTakeFirst();

export const findDepartment = (db: Kysely<Database>, departmentId: number) =>
  db
    .selectFrom('departments')
    .select(['department_id as departmentId', 'name'])
    .where('department_id', '=', departmentId)
    .executeTakeFirst();

/** The departments the signed-in user works in (staff or doctor), lowest id first. */
export async function findMyDepartmentIds(db: Kysely<Database>): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT unnest(app_my_department_ids()) AS id ORDER BY 1`.execute(db);
  return rows.map((r) => r.id);
}

export async function admitPatient(db: Kysely<Database>, patientId: number, roomId: number, bedNumber: number, notes: string | null) {
  const { rows } = await sql<{
    id: number;
  }>`SELECT admit_patient(${patientId}::int, ${roomId}::int, ${bedNumber}::int, ${notes}::text) AS id`.execute(db);
  return rows[0]!.id;
}

export async function transferPatient(db: Kysely<Database>, assignmentId: number, roomId: number, bedNumber: number) {
  const { rows } = await sql<{
    id: number;
  }>`SELECT transfer_patient(${assignmentId}::int, ${roomId}::int, ${bedNumber}::int) AS id`.execute(db);
  return rows[0]!.id;
}

/** An open assignment the reader may see (row level security decides). */
export const findOpenAssignment = (db: Kysely<Database>, assignmentId: number) =>
  db
    .selectFrom('room_assignments')
    .select(['assignment_id as assignmentId', 'room_id as roomId', 'bed_number as bedNumber', 'patient_id as patientId'])
    .where('assignment_id', '=', assignmentId)
    .where('discharged_at', 'is', null)
    .executeTakeFirst();

export const findOpenAssignmentOfPatient = (db: Kysely<Database>, patientId: number) =>
  db
    .selectFrom('room_assignments')
    .select('assignment_id as assignmentId')
    .where('patient_id', '=', patientId)
    .where('discharged_at', 'is', null)
    .executeTakeFirst();

export const closeAssignment = (db: Kysely<Database>, assignmentId: number, reason: string, destination: string) =>
  db
    .updateTable('room_assignments')
    .set({ discharged_at: sql<Date>`now()`, discharge_reason: reason, discharge_destination: destination })
    .where('assignment_id', '=', assignmentId)
    .where('discharged_at', 'is', null)
    .returning('assignment_id')
    .executeTakeFirst();

export const insertCleaningTask = (db: Kysely<Database>, roomId: number, bedNumber: number, notes: string) =>
  db
    .insertInto('cleaning_service')
    .values({ room_id: roomId, bed_number: bedNumber, cleaning_type: 'Discharge', notes })
    .returning('cleaning_id')
    .executeTakeFirstOrThrow();

export const completeCleaningTask = (db: Kysely<Database>, cleaningId: number) =>
  db
    .updateTable('cleaning_service')
    .set({ status: 'Completed', completed_at: sql<Date>`now()` })
    .where('cleaning_id', '=', cleaningId)
    .where('status', 'in', ['Scheduled', 'InProgress'])
    .returning('cleaning_id')
    .executeTakeFirst();

export const findCleaningTask = (db: Kysely<Database>, cleaningId: number) =>
  db
    .selectFrom('cleaning_service')
    .select(['cleaning_id as cleaningId', 'status'])
    .where('cleaning_id', '=', cleaningId)
    .executeTakeFirst();

/** Any registered patient matching the text, through 031's audited definer (identity columns only). */
export async function findPatientsToAdmit(db: Kysely<Database>, query: string) {
  const { rows } = await sql<{
    patientId: number;
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    gender: string | null;
    admitted: boolean;
  }>`SELECT patient_id AS "patientId", first_name AS "firstName", last_name AS "lastName",
            pg_catalog.to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", gender, admitted
     FROM find_patients_to_admit(${query}::text)`.execute(db);
  return rows;
}
