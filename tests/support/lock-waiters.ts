import type pg from 'pg';

/** Backends of this database waiting for a lock: the state a staged race waits for, instead of a sleep. */
export async function lockWaiters(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`,
  );
  return rows[0]!.n;
}
