import { sql, type Kysely } from 'kysely';
import type { CleaningQueue, CleaningRequest, CleaningStatus } from '../../contract/housekeeping.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import {
  findCleanableRooms,
  findClosedToday,
  findOpenTasks,
  findRoomBeds,
  findTask,
  insertRequest,
  insertRoutineForToday,
  setTaskStatus,
  type TaskRow,
} from './cleaning.repository.js';

// The cleaning queue. Which moves are allowed, their times, and that a bed a patient left is never
// skipped are the database's (cleaning_service_guard_changes); this service says why in words.

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toTask = (row: TaskRow) => ({
  ...row,
  scheduledAt: row.scheduledAt.toISOString(),
  dueAt: row.dueAt.toISOString(),
  startedAt: iso(row.startedAt),
  completedAt: iso(row.completedAt),
});

export async function getQueue(db: Kysely<Database>): Promise<CleaningQueue> {
  const open = await findOpenTasks(db, 500);
  const closed = await findClosedToday(db, 200);
  return { open: open.map(toTask), closedToday: closed.map(toTask) };
}

export const listRooms = (db: Kysely<Database>) => findCleanableRooms(db);

export const planRoutine = async (db: Kysely<Database>) => ({ added: await insertRoutineForToday(db) });

/** A spill, deep or isolation clean of a room or bed (housekeeping's form, and the ward's for its own rooms). */
export async function requestCleaning(db: Kysely<Database>, request: CleaningRequest) {
  const room = await findRoomBeds(db, request.roomId);
  if (!room) throw failure('NotFound', 'No such room.');
  if (request.bedNumber !== undefined && request.bedNumber > room.bedCount)
    throw failure('Validation', `This room has ${room.bedCount} bed${room.bedCount === 1 ? '' : 's'}.`, [
      { path: 'bedNumber', message: `At most ${room.bedCount}` },
    ]);
  return insertRequest(db, {
    roomId: request.roomId,
    bedNumber: request.bedNumber ?? null,
    type: request.type,
    notes: request.notes || null,
  });
}

const STATUS_WORDS: Record<CleaningStatus, string> = {
  Scheduled: 'not started yet',
  InProgress: 'already started',
  Completed: 'already completed',
  Skipped: 'already skipped',
};

/** Moves a task under a savepoint: the guard trigger refuses a move it does not allow, and this says why. */
export async function moveTask(db: Kysely<Database>, cleaningId: number, to: 'InProgress' | 'Completed' | 'Skipped', reason?: string) {
  await sql`SAVEPOINT cleaning_move`.execute(db);
  try {
    const moved = await setTaskStatus(db, cleaningId, to, reason ?? null);
    if (moved) return moved;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'CLN01' && code !== 'CLN02') throw error;
    await sql`ROLLBACK TO SAVEPOINT cleaning_move`.execute(db);
    const task = (await findTask(db, cleaningId))!;
    if (code === 'CLN02')
      throw failure('Conflict', `A ${task.type.toLowerCase()} clean is never skipped: the bed stays closed until it is done.`);
    throw failure('Conflict', `This cleaning task is ${STATUS_WORDS[task.status]}.`);
  }
  const task = await findTask(db, cleaningId);
  if (!task) throw failure('NotFound', 'No such cleaning task.');
  throw failure('Conflict', `This cleaning task is ${STATUS_WORDS[task.status]}.`);
}
