import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

const isDeadlock = (error: unknown) => (error as { code?: string }).code === '40P01';

/** Writes in a row a deadlock may cancel before the writer is told. */
const DEADLOCK_ATTEMPTS = 5;

/**
 * Runs one write that an exclusion constraint may refuse, under a savepoint, so that after a refusal
 * the caller can still read (free slots, free beds) and answer with them.
 * PostgreSQL checks an exclusion constraint after inserting the row, so two clashing inserts that land
 * together can each wait for the other; the deadlock detector cancels one (execIndexing.c). That one
 * writes once more: now it waits for the other to end and meets the clash as 23P01, like any loser.
 * With three or more writing at once, a writer that comes back can meet another in-progress loser before
 * the winner's row and be cancelled again: it writes again, up to a few times, so a clerk is still told
 * the slot is taken and the next free ones, not a bare "try again".
 */
export async function writeUnderSavepoint<T>(db: Kysely<Database>, write: () => Promise<T>): Promise<T> {
  // Released implicitly at COMMIT: one round trip fewer on the path every booking and admission takes.
  await sql`SAVEPOINT exclusion_write`.execute(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      // A lost connection cannot roll back: the caller must see why the write failed, not this.
      await sql`ROLLBACK TO SAVEPOINT exclusion_write`.execute(db).catch(() => {
        throw error;
      });
      if (attempt < DEADLOCK_ATTEMPTS && isDeadlock(error)) continue;
      throw error;
    }
  }
}
