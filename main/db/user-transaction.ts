import { sql, type Kysely } from 'kysely';
import { PINNED_LOG_SETTINGS } from './connection.js';
import type { Database } from './database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Pinned again per transaction: behind PgBouncer the startup packet's settings never reach the server
// session, and another client of that shared session could have SET them (names and values are constants).
const pinnedForTransaction = Object.entries(PINNED_LOG_SETTINGS)
  .map(([name, value]) => `, pg_catalog.set_config('${name}', '${value}', true)`)
  .join('');
// Row level security turns a short statement into a tree of policy sub-plans that takes 1-4 ms to plan
// and 0.1-1 ms to run, and the plan cache kept choosing a fresh custom plan for every execution of a
// prepared statement (its estimates for the generic one were higher). Generic plans are made once per
// connection and reused: a scan's allergy read went from 1.1 to 0.2 ms (bench:ward --profile).
const planSettings = `, pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)`;

/**
 * BEGIN with the user context and the per-transaction settings, as one simple-protocol statement (the
 * benchmarks' raw-pg baselines open their transactions with it too, so they run under the same plans).
 */
export function beginUserTransaction(userId: string | null, options: { readOnly?: boolean } = {}): string {
  // Interpolated rather than bound so BEGIN and set_config share one round trip (simple protocol);
  // safe only because the value is a checked UUID that came from main's session, never the renderer.
  if (userId !== null && !UUID.test(userId)) throw new Error('Refusing a malformed user id for the session context');
  return `BEGIN${options.readOnly ? ' READ ONLY' : ''}; SELECT pg_catalog.set_config('app.current_user_id', '${userId ?? ''}', true)${pinnedForTransaction}${planSettings}`;
}

/**
 * Runs `work` in one transaction on one pooled connection with app.current_user_id set for that
 * transaction only (set_config(..., true)), so RLS and the audit trigger see the acting user and
 * the next borrower of the connection sees no one.
 */
export async function inUserTransaction<T>(
  db: Kysely<Database>,
  userId: string | null,
  work: (trx: Kysely<Database>) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const begin = beginUserTransaction(userId, options);
  return new Promise<T>((resolve, reject) => {
    db.connection()
      .execute(async (conn) => {
        try {
          await sql.raw(begin).execute(conn);
        } catch (error) {
          // BEGIN may have run before a later statement of the batch failed (a cancel, statement_timeout,
          // PgBouncer's query_timeout): end that transaction, or the pool lends an aborted one (25P02) to the next caller.
          await sql
            .raw('ROLLBACK')
            .execute(conn)
            .catch(() => undefined); // a broken connection is dropped by the pool itself
          throw error;
        }
        let result: T;
        try {
          result = await work(conn);
        } catch (error) {
          const keep = (error as { commitFirst?: unknown }).commitFirst === true;
          await sql
            .raw(keep ? 'COMMIT' : 'ROLLBACK')
            .execute(conn)
            .catch(() => undefined);
          throw error;
        }
        if (options.readOnly) {
          // A read-only transaction has nothing to make durable: answer now, and end it before the
          // connection goes back to the pool (this callback still holds it until COMMIT returns).
          resolve(result);
          await sql
            .raw('COMMIT')
            .execute(conn)
            .catch(() => undefined);
          return;
        }
        await sql.raw('COMMIT').execute(conn);
        resolve(result);
      })
      .catch(reject);
  });
}

/** Re-points the current transaction at another user (sign-in, once the user is known). */
export async function setTransactionUser(trx: Kysely<Database>, userId: string): Promise<void> {
  await sql`SELECT set_config('app.current_user_id', ${userId}, true)`.execute(trx);
}
