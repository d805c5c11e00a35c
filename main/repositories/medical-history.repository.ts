import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { failure } from '../ipc/failure.js';

// The key travels as a bound parameter into the database's own functions; it is never stored there.
export async function readMedicalHistory(db: Kysely<Database>, patientId: number, key: string): Promise<string | null> {
  try {
    const { rows } = await sql<{ history: string | null }>`SELECT read_medical_history(${patientId}::int, ${key}) AS history`.execute(db);
    return rows[0]?.history ?? null;
  } catch (error) {
    // pgcrypto's "Wrong key or corrupt data": a workstation holding a different key than the data.
    if ((error as { code?: string }).code === '39000') {
      throw failure('Unavailable', "This workstation's key for medical histories does not match the stored data. Ask IT.");
    }
    throw error;
  }
}

export async function writeMedicalHistory(db: Kysely<Database>, patientId: number, history: string, key: string): Promise<boolean> {
  const { rows } = await sql<{ written: boolean }>`SELECT write_medical_history(${patientId}::int, ${history}, ${key}) AS written`.execute(db);
  return rows[0]?.written === true;
}
