import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * What the server must never log for the app's logins: their statements carry the medical-history
 * key and histories' text as bound parameters. Set on the role, these beat postgresql.conf, ALTER
 * SYSTEM and ALTER DATABASE (only ALTER ROLE … IN DATABASE or the session itself beats a role
 * setting, and all but the last need a superuser or SET privilege on the parameter). The module
 * settings apply only where that module is loaded. pg_stat_statements keeps working: it stores no
 * parameters.
 */
export const UNLOGGED_STATEMENT_SETTINGS: Readonly<Record<string, string>> = {
  log_statement: 'none',
  log_min_duration_statement: '-1',
  log_min_duration_sample: '-1',
  log_transaction_sample_rate: '0',
  log_parameter_max_length: '0',
  log_parameter_max_length_on_error: '0',
  'auto_explain.log_min_duration': '-1',
  'pgaudit.log_parameter': 'off',
};

const SCRAM_ITERATIONS = 4096; // PostgreSQL's default (scram_iterations)
const SCRAM_SALT_BYTES = 16; // as PostgreSQL makes them

/**
 * The SCRAM-SHA-256 secret PostgreSQL would store for this password (RFC 5802/7677, as in
 * src/common/scram-common.c): `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64.
 * Sent instead of the password, so a statement log shows only a verifier, from which no one can
 * sign in. PostgreSQL runs passwords through SASLprep, which leaves printable ASCII unchanged; other
 * passwords are refused rather than risk a verifier that never matches.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(SCRAM_SALT_BYTES), iterations = SCRAM_ITERATIONS): string {
  if (!/^[\x20-\x7e]+$/.test(password)) throw new Error('App login passwords must be printable ASCII (e.g. random base64url).');
  const saltedPassword = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', saltedPassword).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', saltedPassword).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Creates (or re-keys) a login role that is a member of clinic_app: not superuser, no BYPASSRLS,
 * owns nothing, and never statement-logged. Run as the owner. The password leaves this process only
 * as a SCRAM verifier. Returns the logging settings it was not allowed to set (a non-superuser owner
 * needs `GRANT SET ON PARAMETER …` on PostgreSQL 15+): the DBA must set those (README).
 */
export async function ensureAppLoginRole(owner: pg.Pool | pg.Client, name: string, password: string): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid role name: ${name}`);
  const role = pg.escapeIdentifier(name);
  const verifier = pg.escapeLiteral(scramSha256Verifier(password));
  const { rows } = await owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
    'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [name],
  );
  if (rows.length === 0)
    await owner.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${verifier}`);
  else await owner.query(`ALTER ROLE ${role} LOGIN PASSWORD ${verifier}`);
  // Only a superuser may take these away (from 16 even re-asserting them), so only when they are there.
  if (rows[0]?.rolsuper || rows[0]?.rolbypassrls) await owner.query(`ALTER ROLE ${role} NOSUPERUSER NOBYPASSRLS`);
  await owner.query(`GRANT clinic_app TO ${role}`);
  return turnOffStatementLogging(owner, role);
}

async function turnOffStatementLogging(owner: pg.Pool | pg.Client, role: string): Promise<string[]> {
  const { rows } = await owner.query<{ name: string }>('SELECT name FROM pg_settings WHERE name = ANY($1::text[])', [
    Object.keys(UNLOGGED_STATEMENT_SETTINGS),
  ]);
  const notSet: string[] = [];
  for (const { name } of rows) {
    try {
      // The names come from the constant above, never from input.
      await owner.query(`ALTER ROLE ${role} SET ${name} = ${pg.escapeLiteral(UNLOGGED_STATEMENT_SETTINGS[name]!)}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error;
      notSet.push(name);
    }
  }
  return notSet;
}
