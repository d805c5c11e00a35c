import type pg from 'pg';

/**
 * Runs `work` on one connection inside a transaction whose app.current_user_id is the user with
 * this email, as the one door does; rolls back unless `commit` is set.
 */
export async function asUser<T>(pool: pg.Pool, email: string, work: (client: pg.PoolClient) => Promise<T>, commit = false): Promise<T> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ user_id: string }>('SELECT user_id FROM users WHERE email = $1', [email]);
    if (!rows[0]) throw new Error(`no user ${email}`);
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.current_user_id', $1, true)`, [rows[0].user_id]);
    const result = await work(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
