import type { Kysely } from 'kysely';
import type { CleaningRequest } from '../../contract/housekeeping.js';
import type { Bed, BedBoard, CensusRow } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { writeUnderSavepoint } from '../db/exclusion-write.js';
import { requestCleaning } from '../housekeeping/index.js';
import { failure } from '../shared/failure.js';
import { countDueDoses } from './mar-service.js';
import {
  admitPatient,
  findPatientsToAdmit,
  closeAssignment,
  completeCleaningTask,
  countBedsByDepartmentAndState,
  findBedBoard,
  findCleaningTask,
  findDepartment,
  findFreeBeds,
  findMyDepartmentIds,
  findOpenAssignment,
  findRoom,
  insertCleaningTask,
  transferPatient,
  type BedRow,
} from './beds.repository.js';

const DAY_MS = 86_400_000;

export function ageInYears(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const beforeBirthday = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  return now.getUTCFullYear() - y - (beforeBirthday ? 1 : 0);
}

function toBed(row: BedRow, now: Date, dueNextHour: Map<number, number> | null): Bed {
  const seen = row.patientId !== null && row.admittedAt !== null;
  return {
    roomId: row.roomId,
    roomNumber: row.roomNumber,
    floor: row.floor,
    roomType: row.roomType,
    bedNumber: row.bedNumber,
    state: row.state,
    assignmentId: row.assignmentId,
    cleaningId: row.cleaningId,
    patient: seen
      ? {
          patientId: row.patientId!,
          name: `${row.firstName} ${row.lastName}`,
          ageYears: ageInYears(row.dateOfBirth!, now),
          admittedAt: row.admittedAt!.toISOString(),
          daysSinceAdmission: Math.max(0, Math.floor((now.getTime() - row.admittedAt!.getTime()) / DAY_MS)),
          hasAllergy: row.hasAllergy,
          latestNews2:
            row.news2Score !== null && row.news2Response !== null && row.news2TakenAt !== null
              ? { score: row.news2Score, response: row.news2Response, takenAt: row.news2TakenAt.toISOString() }
              : null,
          dueNextHour: dueNextHour?.get(row.patientId!) ?? null,
        }
      : null,
  };
}

/** withDoses: the reader may read clinical records, so each patient's doses due in the next hour are counted. */
export async function getBedBoard(db: Kysely<Database>, requested: number | undefined, now: Date, withDoses = false): Promise<BedBoard> {
  const departmentId = requested ?? (await findMyDepartmentIds(db))[0];
  if (departmentId === undefined) throw failure('Validation', 'You work in no department: choose which ward to show.');
  const department = await findDepartment(db, departmentId);
  if (!department) throw failure('NotFound', 'No such department.');
  const rows = await findBedBoard(db, departmentId);
  const patientIds = rows.flatMap((row) => (row.patientId === null ? [] : [row.patientId]));
  const due = withDoses ? await countDueDoses(db, patientIds, 60, now) : null;
  return { departmentId, departmentName: department.name, beds: rows.map((row) => toBed(row, now, due)) };
}

export async function getCensus(db: Kysely<Database>): Promise<CensusRow[]> {
  const byDepartment = new Map<number | null, CensusRow>();
  const key = { free: 'free', occupied: 'occupied', 'to-clean': 'toClean', maintenance: 'maintenance', closed: 'closed' } as const;
  for (const count of await countBedsByDepartmentAndState(db)) {
    const row = byDepartment.get(count.departmentId) ?? {
      departmentId: count.departmentId,
      departmentName: count.departmentName ?? 'No department',
      free: 0,
      occupied: 0,
      toClean: 0,
      maintenance: 0,
      closed: 0,
      total: 0,
    };
    row[key[count.state]] += count.beds;
    row.total += count.beds;
    byDepartment.set(count.departmentId, row);
  }
  return [...byDepartment.values()];
}

const STATE_WORDS: Record<string, string> = {
  occupied: 'occupied',
  'to-clean': 'waiting to be cleaned',
  maintenance: 'under maintenance',
  closed: 'closed',
};

/** A bed that cannot be given: says why and names up to ten free beds of the same ward. */
async function bedNotFree(db: Kysely<Database>, roomId: number, bedNumber: number, why: string) {
  const room = await findRoom(db, roomId);
  const free = await findFreeBeds(db, room?.departmentId ?? null);
  const list =
    free.length > 0 ? `Free beds: ${free.map((b) => `${b.roomNumber}/${b.bedNumber}`).join(', ')}.` : 'This ward has no free bed.';
  return failure('Conflict', `Bed ${room?.roomNumber ?? roomId}/${bedNumber} ${why}. ${list}`);
}

/**
 * Runs an admission or transfer function: the functions and the exclusion constraints decide (for
 * every client, under any concurrency); a bed that is not free is answered with the ward's free beds.
 */
async function placing(db: Kysely<Database>, roomId: number, bedNumber: number, place: () => Promise<number>): Promise<number> {
  try {
    return await writeUnderSavepoint(db, place);
  } catch (error) {
    const { code, constraint, detail } = error as { code?: string; constraint?: string; detail?: string };
    if (code === 'WRD02') throw failure('NotFound', 'No such bed, or no such stay in your ward.');
    if (code === 'WRD03') throw failure('Validation', 'The patient is already in this bed.');
    if (code === '23503') throw failure('NotFound', 'No such patient.');
    if (code === '23P01' && constraint === 'room_assignments_no_patient_overlap')
      throw failure('Conflict', 'This patient is already in a bed. Transfer them from there instead of admitting again.');
    if (code !== 'WRD01' && !(code === '23P01' && constraint === 'room_assignments_no_bed_overlap')) throw error;
    throw await bedNotFree(db, roomId, bedNumber, code === 'WRD01' ? `is ${STATE_WORDS[detail ?? ''] ?? 'not free'}` : 'was just taken');
  }
}

export async function admit(db: Kysely<Database>, request: { patientId: number; roomId: number; bedNumber: number; notes?: string }) {
  const assignmentId = await placing(db, request.roomId, request.bedNumber, () =>
    admitPatient(db, request.patientId, request.roomId, request.bedNumber, request.notes ?? null),
  );
  return { assignmentId };
}

export async function transfer(db: Kysely<Database>, request: { assignmentId: number; roomId: number; bedNumber: number }) {
  const assignmentId = await placing(db, request.roomId, request.bedNumber, () =>
    transferPatient(db, request.assignmentId, request.roomId, request.bedNumber),
  );
  return { assignmentId };
}

export async function discharge(db: Kysely<Database>, request: { assignmentId: number; reason: string; destination: string }) {
  const stay = await findOpenAssignment(db, request.assignmentId);
  if (!stay) throw failure('NotFound', 'No such stay in your ward, or the patient has already left.');
  const closed = await closeAssignment(db, stay.assignmentId, request.reason, request.destination);
  if (!closed) throw failure('Conflict', 'The patient has just left this bed.');
  const task = await insertCleaningTask(db, stay.roomId, stay.bedNumber, 'Bed vacated by a discharge');
  return { cleaningId: task.cleaning_id };
}

export async function completeCleaning(db: Kysely<Database>, cleaningId: number) {
  const done = await completeCleaningTask(db, cleaningId);
  if (done) return { cleaningId };
  const task = await findCleaningTask(db, cleaningId);
  if (!task) throw failure('NotFound', 'No such cleaning task.');
  if (task.status === 'Completed' || task.status === 'Skipped') throw failure('Conflict', 'This cleaning task is already closed.');
  throw failure('Forbidden', 'This room is not in your ward.');
}

/** A spill, isolation or deep clean asked for at a bed of the nurse's ward (row level security: her rooms only). */
export async function requestBedCleaning(db: Kysely<Database>, request: CleaningRequest) {
  try {
    return await requestCleaning(db, request);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    throw failure('Forbidden', 'This room is not in your ward: ask housekeeping for its clean.');
  }
}

/** Any registered patient to admit (the nurse's RLS view holds only her own); the search is audited. */
export async function findToAdmit(db: Kysely<Database>, query: string) {
  try {
    return await findPatientsToAdmit(db, query);
  } catch (error) {
    if ((error as { code?: string }).code === '22023')
      throw failure('Validation', 'Type a name, a birth date like 1950-01-31, or #number.');
    throw error;
  }
}
