import type { Kysely } from 'kysely';
import type { Note, NoteKind } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { requirePatient } from './mar-service.js';
import { findNote, findNotes, insertNote, markNoteInError } from './notes.repository.js';

/** A doctor writes doctor's notes; a nurse nursing notes (the database checks the same). */
export function noteKindFor(roles: readonly string[]): NoteKind {
  if (roles.includes('doctor')) return 'doctor';
  if (roles.includes('nurse') || roles.includes('admin')) return 'nursing';
  throw failure('Forbidden', 'Only doctors and nurses write notes.');
}

export interface NoteRequest {
  patientId: number;
  text: string;
  correctsNoteId?: number;
}

export async function addNote(
  db: Kysely<Database>,
  request: NoteRequest,
  actor: { userId: string; roles: readonly string[] },
): Promise<Note> {
  const kind = noteKindFor(actor.roles);
  await requirePatient(db, request.patientId);
  if (request.correctsNoteId !== undefined) {
    const old = await findNote(db, request.correctsNoteId);
    if (!old || old.patientId !== request.patientId) throw failure('NotFound', 'The note to correct is not this patient’s.');
    if (old.enteredInError) throw failure('Conflict', 'That note has already been corrected.');
    // A note is corrected by the one who wrote it; anyone else adds a note of their own.
    if (!(await markNoteInError(db, old.noteId, request.patientId, actor.userId)))
      throw failure('Forbidden', 'Only the author corrects a note: add a note of your own instead.');
  }
  return insertNote(db, {
    patientId: request.patientId,
    kind,
    text: request.text,
    author: actor.userId,
    correctsNoteId: request.correctsNoteId ?? null,
  });
}

export async function listNotes(db: Kysely<Database>, patientId: number, limit: number): Promise<Note[]> {
  await requirePatient(db, patientId);
  return findNotes(db, [patientId], limit);
}
