// Parameterised statements are prepared once per connection (main/db/prepared-statements.ts) and
// reused; statements without parameters (BEGIN with the user context, COMMIT) are never prepared;
// DATABASE_PREPARED_STATEMENTS=off prepares nothing (a transaction pooler's shared sessions).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPool } from '../../main/db/connection.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_migrated', 1);
});
afterAll(async () => database?.drop());

const preparedOnThisConnection = `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'clinic\\_%'`;

test('a parameterised statement is prepared once per connection and reused', async () => {
  const pool = createPool({ connectionString: database.ownerUrl, max: 1 });
  try {
    for (let i = 0; i < 3; i++) await pool.query('SELECT $1::int + 1 AS n', [i]);
    await pool.query('SELECT $1::text AS other', ['x']);
    await pool.query('SELECT 1 AS no_parameters');
    const { rows } = await pool.query<{ n: number }>(`${preparedOnThisConnection} AND $1::int = 1`, [1]);
    // Two statements with parameters before this one, and this one: three, each once.
    expect(rows[0]!.n).toBe(3);
    const texts = await pool.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE $1::bool`, [true]);
    expect(texts.rows.map((r) => r.statement)).not.toContain('SELECT 1 AS no_parameters');
  } finally {
    await pool.end();
  }
});

test('DATABASE_PREPARED_STATEMENTS=off prepares nothing', async () => {
  const pool = createPool({ connectionString: database.ownerUrl, max: 1 }, { ...process.env, DATABASE_PREPARED_STATEMENTS: 'off' });
  try {
    for (let i = 0; i < 3; i++) await pool.query('SELECT $1::int + 1 AS n', [i]);
    const { rows } = await pool.query<{ n: number }>(preparedOnThisConnection);
    expect(rows[0]!.n).toBe(0);
  } finally {
    await pool.end();
  }
});

test('a statement whose result a migration changed fails once, then is prepared afresh on the same connection', async () => {
  const pool = createPool({ connectionString: database.ownerUrl, max: 1 });
  try {
    await pool.query('CREATE TABLE prepared_probe (a int)');
    await pool.query('INSERT INTO prepared_probe VALUES (1)');
    const read = () => pool.query('SELECT * FROM prepared_probe WHERE a = $1', [1]);
    await read();
    await pool.query('ALTER TABLE prepared_probe ADD COLUMN b int');
    const stale = await read().catch((error: { code?: string }) => error.code);
    console.log(`after ALTER TABLE: ${typeof stale === 'string' ? stale : 'answered'}`);
    expect(stale).toBe('0A000'); // "cached plan must not change result type": the server's word, once
    const fresh = await read();
    expect(fresh.fields.map((f) => f.name)).toEqual(['a', 'b']);
  } finally {
    await pool.end();
  }
});
