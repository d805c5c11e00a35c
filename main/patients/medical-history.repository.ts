import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

// The key travels as a bound parameter into the database's own functions (017 checks it before any
// use); it is never stored there, and the app's logins do not log statements (db/app-login-role.ts).

/** SQLSTATEs of 017: a key that is not the current one; a history written under another key. */
const WRONG_KEY = 'MHK01';
const OTHER_KEY = 'MHK02';
/** pgcrypto's "Wrong key or corrupt data". */
const PGCRYPTO_FAILED = '39000';

/** The stored histories and this workstation's key do not go together; `kind` says how. */
export class MedicalHistoryKeyMismatch extends Error {
  constructor(
    readonly kind: 'wrong-key' | 'older-key',
    cause: unknown,
  ) {
    super(`medical history key mismatch: ${kind}`, { cause });
    this.name = 'MedicalHistoryKeyMismatch';
  }
}

function keyMismatch(error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === WRONG_KEY || code === PGCRYPTO_FAILED) return new MedicalHistoryKeyMismatch('wrong-key', error);
  if (code === OTHER_KEY) return new MedicalHistoryKeyMismatch('older-key', error);
  return error as Error;
}

export async function readMedicalHistory(db: Kysely<Database>, patientId: number, key: string): Promise<string | null> {
  try {
    const { rows } = await sql<{ history: string | null }>`SELECT read_medical_history(${patientId}::int, ${key}) AS history`.execute(db);
    return rows[0]?.history ?? null;
  } catch (error) {
    throw keyMismatch(error);
  }
}

export async function writeMedicalHistory(db: Kysely<Database>, patientId: number, history: string, key: string): Promise<boolean> {
  try {
    const { rows } = await sql<{
      written: boolean;
    }>`SELECT write_medical_history(${patientId}::int, ${history}, ${key}) AS written`.execute(db);
    return rows[0]?.written === true;
  } catch (error) {
    throw keyMismatch(error);
  }
}
