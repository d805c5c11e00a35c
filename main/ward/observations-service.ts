import type { Kysely } from 'kysely';
import type { Observation, SaturationScale } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { findOpenAssignmentOfPatient } from './beds.repository.js';
import { patientNotInCare } from './mar-service.js';
import { scoreNews2, type Consciousness, type SpO2Scale } from './news2.js';
import {
  findObservation,
  findObservationsSince,
  findSpo2Scale,
  findSpo2ScaleDecision,
  findVisiblePatient,
  insertObservation,
  insertSpo2ScaleDecision,
  markEnteredInError,
} from './observations.repository.js';
import { checkVitals } from './vitals-validation.js';

const HOUR_MS = 3_600_000;
/** A chart entry may be late (written up after a busy round), but not from a previous shift's week. */
const MAX_AGE_HOURS = 72;
const CLOCK_SKEW_MS = 5 * 60_000;

export interface ObservationRequest {
  patientId: number;
  takenAt: string;
  vitals: {
    respirationRate: number;
    spo2: number;
    onOxygen: boolean;
    systolicBp: number;
    pulse: number;
    consciousness: Consciousness;
    temperature: number;
  };
  correctsObservationId?: number;
}

async function requireVisiblePatient(db: Kysely<Database>, patientId: number) {
  if (!(await findVisiblePatient(db, patientId))) throw patientNotInCare();
}

export async function recordObservation(db: Kysely<Database>, request: ObservationRequest, actor: string, now: Date): Promise<Observation> {
  const takenAt = new Date(request.takenAt);
  if (takenAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw failure('Validation', 'The time taken is in the future.', [
      { path: 'takenAt', message: 'Use the time the vitals were measured.' },
    ]);
  if (takenAt.getTime() < now.getTime() - MAX_AGE_HOURS * HOUR_MS)
    throw failure('Validation', `Observations older than ${MAX_AGE_HOURS} hours cannot be charted here; write a note instead.`, [
      { path: 'takenAt', message: 'Too long ago.' },
    ]);
  await requireVisiblePatient(db, request.patientId);
  // Scale 2 only where a doctor has recorded it; the nurse never picks the scale per reading.
  const spo2Scale = await findSpo2Scale(db, request.patientId);
  const vitals = { ...request.vitals, spo2Scale };
  const checked = checkVitals(vitals);
  if (!checked.ok) throw failure('Validation', checked.issues.map((i) => i.message).join(' '), checked.issues);

  if (request.correctsObservationId !== undefined) {
    const old = await findObservation(db, request.correctsObservationId);
    if (!old || old.patientId !== request.patientId) throw failure('NotFound', 'The observation to correct is not this patient’s.');
    if (old.enteredInError) throw failure('Conflict', 'That observation has already been corrected or marked entered-in-error.');
    if (!(await markEnteredInError(db, old.observationId, actor))) throw failure('Conflict', 'That observation has just been corrected.');
  }
  const stay = await findOpenAssignmentOfPatient(db, request.patientId);
  try {
    return await insertObservation(db, {
      patientId: request.patientId,
      assignmentId: stay?.assignmentId ?? null,
      takenAt,
      recordedBy: actor,
      vitals,
      news2: scoreNews2(vitals),
      flags: checked.flags,
      correctsObservationId: request.correctsObservationId ?? null,
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw failure('Conflict', 'That observation has just been corrected by someone else.');
    throw error;
  }
}

export async function getObservations(db: Kysely<Database>, patientId: number, hours: number, now: Date): Promise<Observation[]> {
  await requireVisiblePatient(db, patientId);
  return findObservationsSince(db, patientId, new Date(now.getTime() - hours * HOUR_MS));
}

export async function getSpo2Scale(db: Kysely<Database>, patientId: number): Promise<SaturationScale> {
  await requireVisiblePatient(db, patientId);
  const decision = await findSpo2ScaleDecision(db, patientId);
  if (!decision) return { scale: 1, decision: null };
  const { scale, decidedBy, decidedAt, reason } = decision;
  return { scale, decision: { decidedBy, decidedAt: decidedAt.toISOString(), reason } };
}

export async function setSpo2Scale(db: Kysely<Database>, patientId: number, scale: SpO2Scale, reason: string, actor: string) {
  await requireVisiblePatient(db, patientId);
  await insertSpo2ScaleDecision(db, patientId, scale, reason, actor);
  return { scale };
}
