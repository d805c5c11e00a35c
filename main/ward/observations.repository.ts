import { sql, type Kysely } from 'kysely';
import type { Observation } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import type { News2Result, SpO2Scale, Vitals } from './news2.js';

const OBSERVATION_COLUMNS = sql`
  o.observation_id AS "observationId", o.patient_id AS "patientId", o.taken_at AS "takenAt",
  COALESCE((SELECT u.display_name FROM users u WHERE u.user_id = o.recorded_by), o.recorded_by::text) AS "recordedBy",
  o.respiration_rate AS "respirationRate", o.spo2, o.spo2_scale AS "spo2Scale", o.on_oxygen AS "onOxygen",
  o.systolic_bp AS "systolicBp", o.pulse, o.consciousness, o.temperature::float8 AS temperature,
  o.news2_score AS "news2Score", o.news2_response AS "news2Response", o.news2_single_three AS "news2SingleThree",
  o.flags, o.corrects_observation_id AS "correctsObservationId", o.entered_in_error AS "enteredInError"`;

type ObservationRow = Omit<Observation, 'takenAt'> & { takenAt: Date };
const toObservation = (row: ObservationRow): Observation => ({ ...row, takenAt: row.takenAt.toISOString() });

export async function insertObservation(
  db: Kysely<Database>,
  row: {
    patientId: number;
    assignmentId: number | null;
    takenAt: Date;
    recordedBy: string;
    vitals: Vitals;
    news2: News2Result;
    flags: string[];
    correctsObservationId: number | null;
  },
): Promise<Observation> {
  const v = row.vitals;
  const { rows } = await sql<ObservationRow>`
    WITH o AS (
      INSERT INTO observations (patient_id, assignment_id, taken_at, recorded_by, respiration_rate, spo2, spo2_scale, on_oxygen,
                                systolic_bp, pulse, consciousness, temperature, news2_score, news2_response, news2_single_three,
                                flags, corrects_observation_id)
      VALUES (${row.patientId}, ${row.assignmentId}, ${row.takenAt}, ${row.recordedBy}, ${v.respirationRate}, ${v.spo2}, ${v.spo2Scale},
              ${v.onOxygen}, ${v.systolicBp}, ${v.pulse}, ${v.consciousness}, ${v.temperature}, ${row.news2.score}, ${row.news2.response},
              ${row.news2.singleParameterThree}, ${row.flags}::text[], ${row.correctsObservationId})
      RETURNING *)
    SELECT ${OBSERVATION_COLUMNS} FROM o`.execute(db);
  return toObservation(rows[0]!);
}

export async function findObservationsSince(db: Kysely<Database>, patientId: number, since: Date): Promise<Observation[]> {
  const { rows } = await sql<ObservationRow>`
    SELECT ${OBSERVATION_COLUMNS} FROM observations o
    WHERE o.patient_id = ${patientId} AND o.taken_at >= ${since}
    ORDER BY o.taken_at DESC, o.observation_id DESC`.execute(db);
  return rows.map(toObservation);
}

export const findObservation = (db: Kysely<Database>, observationId: number) =>
  db
    .selectFrom('observations')
    .select(['observation_id as observationId', 'patient_id as patientId', 'entered_in_error as enteredInError'])
    .where('observation_id', '=', observationId)
    .executeTakeFirst();

export const markEnteredInError = (db: Kysely<Database>, observationId: number, by: string) =>
  db
    .updateTable('observations')
    .set({ entered_in_error: true, entered_in_error_by: by, entered_in_error_at: sql<Date>`now()` })
    .where('observation_id', '=', observationId)
    .where('entered_in_error', '=', false)
    .returning('observation_id')
    .executeTakeFirst();

const asScale = (value: number): SpO2Scale => (value === 2 ? 2 : 1);

/** The latest doctor's decision on the patient's SpO2 scale, with who made it; null where there is none. */
export async function findSpo2ScaleDecision(db: Kysely<Database>, patientId: number) {
  const { rows } = await sql<{ scale: number; decidedBy: string; decidedAt: Date; reason: string }>`
    SELECT d.spo2_scale AS scale, COALESCE(u.display_name, d.decided_by::text) AS "decidedBy", d.decided_at AS "decidedAt", d.reason
    FROM spo2_scale_decisions d
    LEFT JOIN users u ON u.user_id = d.decided_by
    WHERE d.patient_id = ${patientId}
    ORDER BY d.decided_at DESC, d.decision_id DESC
    LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? { ...row, scale: asScale(row.scale) } : null;
}

/** The patient's SpO2 scale: the latest doctor's decision, scale 1 where there is none. */
export async function findSpo2Scale(db: Kysely<Database>, patientId: number): Promise<SpO2Scale> {
  return (await findSpo2ScaleDecision(db, patientId))?.scale ?? 1;
}

export const insertSpo2ScaleDecision = (db: Kysely<Database>, patientId: number, scale: SpO2Scale, reason: string, by: string) =>
  db.insertInto('spo2_scale_decisions').values({ patient_id: patientId, spo2_scale: scale, reason, decided_by: by }).execute();

export const findVisiblePatient = (db: Kysely<Database>, patientId: number) =>
  db.selectFrom('patients').select('patient_id as patientId').where('patient_id', '=', patientId).executeTakeFirst();

/** Each patient's latest observation that is not entered-in-error. */
export async function findLatestObservations(db: Kysely<Database>, patientIds: number[]): Promise<Observation[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await sql<ObservationRow>`
    SELECT latest.* FROM unnest(${patientIds}::int[]) AS pid(patient_id)
    CROSS JOIN LATERAL (
      SELECT ${OBSERVATION_COLUMNS} FROM observations o
      WHERE o.patient_id = pid.patient_id AND NOT o.entered_in_error
      ORDER BY o.taken_at DESC, o.observation_id DESC LIMIT 1) latest`.execute(db);
  return rows.map(toObservation);
}
