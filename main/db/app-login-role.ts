import pg from 'pg';

/**
 * Creates (or re-keys) a login role that is a member of clinic_app: not superuser, no BYPASSRLS,
 * owns nothing. Run as the owner. The password is sent once, never logged or stored by us.
 */
export async function ensureAppLoginRole(owner: pg.Pool | pg.Client, name: string, password: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid role name: ${name}`);
  const role = pg.escapeIdentifier(name);
  const secret = pg.escapeLiteral(password);
  const { rowCount } = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  if (rowCount === 0) await owner.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${secret}`);
  else await owner.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${secret}`);
  await owner.query(`GRANT clinic_app TO ${role}`);
}
