import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { DepartmentInput, DoctorInput, RoomInput, RoomTypeInput, StaffInput, WorkingHours } from '../../contract/reference-data.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import {
  doctorExists,
  findDepartments,
  findDoctors,
  findRooms,
  findRoomTypes,
  findStaff,
  highestOccupiedBed,
  replaceHours,
  upsertDepartment,
  upsertDoctor,
  upsertRoom,
  upsertRoomType,
  upsertStaff,
} from './reference.repository.js';

// Reference data. The contract's schemas say what the database's CHECKs say; what only the database
// knows (a unique name, overlapping shifts, a row that refers to nothing) is read back here as a sentence.

/** Runs a write under a savepoint and names what the database refused. */
async function saving<T>(
  db: Kysely<Database>,
  what: string,
  unique: string | ((constraint: string) => string),
  write: () => Promise<T | undefined>,
): Promise<T> {
  await sql`SAVEPOINT reference_save`.execute(db);
  let saved: T | undefined;
  try {
    saved = await write();
  } catch (error) {
    const { code, constraint = '' } = error as { code?: string; constraint?: string };
    if (code === '23505') throw failure('Conflict', `${typeof unique === 'string' ? unique : unique(constraint)} is already taken.`);
    if (code === '23503') throw failure('Validation', `The ${what} refers to a department, room type or doctor that does not exist.`);
    if (code === '23P01') throw failure('Conflict', 'Two shifts on the same day overlap.');
    if (code === '23514' || code === '22P02' || code === '22003')
      throw failure('Validation', `The database refused a value of this ${what}.`);
    throw error;
  }
  if (saved === undefined) throw failure('NotFound', `No such ${what}.`);
  return saved;
}

export async function listPlaces(db: Kysely<Database>) {
  return { departments: await findDepartments(db), roomTypes: await findRoomTypes(db), rooms: await findRooms(db) };
}

export async function listPeople(db: Kysely<Database>) {
  return { staff: await findStaff(db), doctors: await findDoctors(db) };
}

export const saveDepartment = async (db: Kysely<Database>, d: z.output<typeof DepartmentInput>) => ({
  departmentId: await saving(db, 'department', `The name ${d.name} or the code ${d.code}`, () => upsertDepartment(db, d)),
});

export const saveRoomType = async (db: Kysely<Database>, t: z.output<typeof RoomTypeInput>) => ({
  roomTypeId: await saving(db, 'room type', `The room type name ${t.typeName}`, () => upsertRoomType(db, t)),
});

export async function saveRoom(db: Kysely<Database>, r: z.output<typeof RoomInput>) {
  // Fewer beds than a patient's bed number would hide that patient from the bed board.
  if (r.roomId) {
    const occupied = await highestOccupiedBed(db, r.roomId);
    if (occupied > r.bedCount)
      throw failure('Conflict', `Bed ${occupied} of this room holds a patient: the room keeps at least ${occupied} beds until they leave.`);
  }
  return { roomId: await saving(db, 'room', `Room number ${r.roomNumber}`, () => upsertRoom(db, r)) };
}

export const saveStaff = async (db: Kysely<Database>, s: z.output<typeof StaffInput>) => ({
  // The one unique column a save can clash on is user_id: one account is one person.
  staffId: await saving(db, 'member of staff', 'This sign-in account', () => upsertStaff(db, s)),
});

export async function saveDoctor(db: Kysely<Database>, { hours, ...d }: z.output<typeof DoctorInput>) {
  // Two unique columns: the licence number, and the sign-in account (one account is one doctor).
  const doctorId = await saving(
    db,
    'doctor',
    (constraint) => (constraint.includes('user_id') ? 'This sign-in account' : `The licence number ${d.licenseNumber ?? ''}`),
    () => upsertDoctor(db, d),
  );
  // In the same transaction: a refused week leaves no half-saved (or twice-added) doctor behind.
  if (hours) await setDoctorHours(db, doctorId, hours);
  return { doctorId };
}

export async function setDoctorHours(db: Kysely<Database>, doctorId: number, hours: z.output<typeof WorkingHours>[]) {
  if (!(await doctorExists(db, doctorId))) throw failure('NotFound', 'No such doctor.');
  await saving(db, 'working hours', 'These hours', async () => {
    await replaceHours(db, doctorId, hours);
    return true;
  });
  return { doctorId, shifts: hours.length };
}
