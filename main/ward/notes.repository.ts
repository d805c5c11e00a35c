import { sql, type Kysely } from 'kysely';
import type { Note, NoteKind } from '../../contract/ward.js';
import type { Database } from '../db/database.js';

// Nursing and doctor notes are medical_records rows with a note_kind (migration 025): written once,
// never edited; a correction is a new note, and the old one is marked entered-in-error by its author.

type NoteRow = Omit<Note, 'writtenAt'> & { writtenAt: Date };
const toNote = (row: NoteRow): Note => ({ ...row, writtenAt: row.writtenAt.toISOString() });

const NOTE_COLUMNS = sql`
  r.record_id AS "noteId", r.patient_id AS "patientId", r.note_kind AS kind, r.notes AS text, r.record_date AS "writtenAt",
  COALESCE(u.display_name, r.created_by::text) AS author, r.corrects_record_id AS "correctsNoteId", r.entered_in_error AS "enteredInError"`;

export async function insertNote(
  db: Kysely<Database>,
  row: { patientId: number; kind: NoteKind; text: string; author: string; correctsNoteId: number | null },
): Promise<Note> {
  const { rows } = await sql<NoteRow>`
    WITH r AS (
      INSERT INTO medical_records (patient_id, note_kind, notes, created_by, corrects_record_id)
      VALUES (${row.patientId}, ${row.kind}, ${row.text}, ${row.author}::uuid, ${row.correctsNoteId})
      RETURNING *)
    SELECT ${NOTE_COLUMNS} FROM r LEFT JOIN users u ON u.user_id = r.created_by`.execute(db);
  return toNote(rows[0]!);
}

/** Marks a note entered-in-error; false when it is not the author's, not a note, or already marked. */
export async function markNoteInError(db: Kysely<Database>, noteId: number, patientId: number, actor: string): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`
    UPDATE medical_records SET entered_in_error = true, entered_in_error_by = ${actor}::uuid
    WHERE record_id = ${noteId} AND patient_id = ${patientId} AND note_kind IS NOT NULL AND NOT entered_in_error
      AND created_by = ${actor}::uuid
    RETURNING record_id AS id`.execute(db);
  return rows.length > 0;
}

export async function findNote(db: Kysely<Database>, noteId: number) {
  const { rows } = await sql<NoteRow>`
    SELECT ${NOTE_COLUMNS} FROM medical_records r LEFT JOIN users u ON u.user_id = r.created_by
    WHERE r.record_id = ${noteId} AND r.note_kind IS NOT NULL`.execute(db);
  return rows[0] ? toNote(rows[0]) : undefined;
}

/**
 * Notes of these patients, newest first, at most `limit` per patient. `standing` leaves out the notes
 * marked entered-in-error (a handover passes on what stands; the chart shows both, the wrong one marked).
 */
export async function findNotes(
  db: Kysely<Database>,
  patientIds: number[],
  limit: number,
  options: { standing?: boolean } = {},
): Promise<Note[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await sql<NoteRow>`
    SELECT n.* FROM unnest(${patientIds}::int[]) AS pid(patient_id)
    CROSS JOIN LATERAL (
      SELECT ${NOTE_COLUMNS} FROM medical_records r LEFT JOIN users u ON u.user_id = r.created_by
      WHERE r.patient_id = pid.patient_id AND r.note_kind IS NOT NULL ${options.standing ? sql`AND NOT r.entered_in_error` : sql``}
      ORDER BY r.record_date DESC, r.record_id DESC LIMIT ${limit}) n`.execute(db);
  return rows.map(toNote);
}
