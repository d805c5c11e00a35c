import pg from 'pg';
import type { MaintenanceAction } from '../../contract/index.js';

// SQL of the maintenance runner, on the owner's own connection outside any transaction block
// (VACUUM and REINDEX CONCURRENTLY refuse to run inside one). Plain pg: Kysely's pool is the app role's.

/** The table's name as the catalog spells it, quoted for SQL; null if the schema has no such table. */
export async function findMaintainableTable(client: pg.ClientBase, name: string): Promise<string | null> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_catalog.pg_class c
      WHERE c.relnamespace = 'public'::pg_catalog.regnamespace AND c.relkind IN ('r', 'm') AND c.relname = $1`,
    [name],
  );
  return rows[0] ? `public.${pg.escapeIdentifier(rows[0].relname)}` : null;
}

/**
 * Terminal logins other than this workstation's with a connection open to the database: a terminal
 * running the app keeps one (its health check), so its users would wait on a locked table. (Sign-out
 * is not in the audit trail, so the trail cannot say who is still signed in.)
 */
export async function findOtherTerminalLogins(client: pg.ClientBase, thisLogin: string | null): Promise<string[]> {
  const { rows } = await client.query<{ login: string }>(
    `SELECT DISTINCT r.rolname::pg_catalog.text AS login FROM pg_catalog.pg_stat_activity a
      JOIN pg_catalog.pg_roles r ON r.oid = a.usesysid
      -- (backend_type and the rest of another login's row are hidden from the owner: only login and database show)
      WHERE a.datname = pg_catalog.current_database() AND NOT r.rolsuper
        AND a.pid <> pg_catalog.pg_backend_pid() AND r.rolname <> current_user AND r.rolname IS DISTINCT FROM $1
        AND pg_catalog.pg_has_role(r.oid, 'clinic_app', 'MEMBER')
      ORDER BY 1`,
    [thisLogin],
  );
  return rows.map((r) => r.login);
}

/** Who asked for what, committed before the command runs, so even a crash mid-run leaves the trace. */
export async function recordMaintenance(
  client: pg.ClientBase,
  entry: { userId: string; table: string; action: MaintenanceAction; terminal: string },
): Promise<void> {
  const operation = { analyze: 'ANALYZE', vacuum: 'VACUUM', 'vacuum-full': 'VACUUMFULL', reindex: 'REINDEX' }[entry.action];
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_catalog.set_config('app.current_user_id', $1, true)`, [entry.userId]);
    await client.query(
      `INSERT INTO public.audit_log (table_name, operation, user_id, new_values)
       VALUES ($1, $2, $3::uuid, pg_catalog.jsonb_build_object('terminal', $4::text, 'action', $5::text))`,
      [entry.table, operation, entry.userId, entry.terminal, entry.action],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const COMMANDS: Record<MaintenanceAction, (table: string) => string> = {
  analyze: (table) => `ANALYZE ${table}`,
  vacuum: (table) => `VACUUM ${table}`,
  'vacuum-full': (table) => `VACUUM (FULL, ANALYZE) ${table}`,
  reindex: (table) => `REINDEX TABLE CONCURRENTLY ${table}`,
};

/** `quotedTable` comes only from findMaintainableTable (the catalog's name, quoted), never from input. */
export async function runMaintenanceCommand(client: pg.ClientBase, action: MaintenanceAction, quotedTable: string): Promise<void> {
  // A command waiting for its lock would queue every later reader of the table behind it: give up instead.
  await client.query(`SET lock_timeout = '5s'`);
  try {
    await client.query(COMMANDS[action](quotedTable));
  } finally {
    await client.query('RESET lock_timeout').catch(() => undefined);
  }
}
