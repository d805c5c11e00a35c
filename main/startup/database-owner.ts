import pg from 'pg';
import { scramSha256Verifier } from '../db/app-login-role.js';

/**
 * The schema owner: not superuser, no BYPASSRLS, may create the app's roles. Migrations and the seed
 * run as this role, so every SECURITY DEFINER function runs as it (or as clinic_phi), never as a
 * superuser: a hijacked function could at worst act as the owner, never as the OS user of the server.
 */
export const OWNER_ROLE = 'clinic_owner';

/** What the migrations create with CREATE EXTENSION IF NOT EXISTS; a DBA may pre-create them. */
export const REQUIRED_EXTENSIONS = ['pgcrypto', 'btree_gist', 'pg_trgm'] as const;

export interface OwnerBootstrap {
  /** Superuser connection string for a database of the cluster. */
  superuserUrl(database: string): string;
  database: string;
  password: string;
  owner?: string;
  /** Scratch clusters only: lets the owner create (and so own) further databases itself. */
  createdb?: boolean;
}

/**
 * The superuser's whole job: make the owner role (or re-key it), the database it owns and the
 * extensions, and hand over what an earlier version left owned by a superuser. Idempotent.
 */
export async function bootstrapDatabaseOwner(options: OwnerBootstrap): Promise<void> {
  const owner = options.owner ?? OWNER_ROLE;
  await withClient(options.superuserUrl('postgres'), async (admin) => {
    await ensureOwnerRole(admin, owner, options.password, options.createdb ?? false);
    const { rows } = await admin.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    const database = pg.escapeIdentifier(options.database);
    if (rows.length === 0) await admin.query(`CREATE DATABASE ${database} OWNER ${pg.escapeIdentifier(owner)}`);
    else if (rows[0]!.owner !== owner) await admin.query(`ALTER DATABASE ${database} OWNER TO ${pg.escapeIdentifier(owner)}`);
  });
  await withClient(options.superuserUrl(options.database), async (admin) => {
    await createRequiredExtensions(admin);
    await adoptSuperuserObjects(admin, owner);
    await grantOwnerTheAppRoles(admin, owner);
  });
}

/** Creates the owner role, or re-keys it and resets its attributes. Run as a superuser. */
export async function ensureOwnerRole(admin: pg.ClientBase, owner: string, password: string, createdb: boolean): Promise<void> {
  const exists = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [owner])).rowCount !== 0;
  // A SCRAM verifier, not the password: the server (and any statement log) never sees the secret.
  await admin.query(
    `${exists ? 'ALTER' : 'CREATE'} ROLE ${pg.escapeIdentifier(owner)} LOGIN NOSUPERUSER CREATEROLE NOBYPASSRLS ` +
      `${createdb ? 'CREATEDB' : 'NOCREATEDB'} PASSWORD ${pg.escapeLiteral(scramSha256Verifier(password))}`,
  );
}

/** Extensions are created by a superuser (as a DBA would), so the owner needs no rights over them. */
export async function createRequiredExtensions(admin: pg.ClientBase): Promise<void> {
  for (const extension of REQUIRED_EXTENSIONS) await admin.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
}

/**
 * An installation migrated by an earlier version has its tables and functions owned by the
 * superuser; they pass to the owner once (extensions' members stay the superuser's).
 */
async function adoptSuperuserObjects(admin: pg.ClientBase, owner: string): Promise<void> {
  const { rows } = await admin.query<{ statement: string }>(
    `WITH superusers AS (SELECT oid FROM pg_roles WHERE rolsuper),
          public_schema AS (SELECT oid, nspowner FROM pg_namespace WHERE nspname = 'public'),
          extension_members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
     SELECT format('ALTER %s %s OWNER TO %I', kind, name, $1::text) AS statement FROM (
       SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                             WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name
       FROM pg_class c
       WHERE c.relnamespace = (SELECT oid FROM public_schema) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
         AND c.relowner IN (SELECT oid FROM superusers)
         AND (c.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_class'::regclass))
         -- a serial/identity sequence follows its table
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
       UNION ALL
       SELECT 'ROUTINE', p.oid::regprocedure::text FROM pg_proc p
       WHERE p.pronamespace = (SELECT oid FROM public_schema) AND p.prokind IN ('f', 'p')
         AND p.proowner IN (SELECT oid FROM superusers)
         AND p.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_proc'::regclass)
       UNION ALL
       SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text FROM pg_type t
       WHERE t.typnamespace = (SELECT oid FROM public_schema) AND t.typowner IN (SELECT oid FROM superusers)
         AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
         AND t.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_type'::regclass)
       UNION ALL
       SELECT 'SCHEMA', 'public' FROM public_schema WHERE nspowner IN (SELECT oid FROM superusers)
     ) AS owned_by_superuser`,
    [owner],
  );
  if (rows.length === 0) return;
  await admin.query('BEGIN');
  for (const { statement } of rows) await admin.query(statement);
  await admin.query('COMMIT');
}

/** NOLOGIN roles that own SECURITY DEFINER functions (009, 016): the owner maintains those functions. */
const FUNCTION_OWNER_ROLES = ['clinic_phi', 'clinic_auth'];

/**
 * Roles an earlier version made as superuser: ownership checks on their functions need membership
 * (with INHERIT), and granting clinic_app to a terminal's login needs ADMIN on it from 16 on (before,
 * CREATEROLE alone may grant any non-superuser role). A role the owner made itself has both already.
 */
async function grantOwnerTheAppRoles(admin: pg.ClientBase, owner: string): Promise<void> {
  const role = pg.escapeIdentifier(owner);
  const { rows } = await admin.query<{ rolname: string; member: boolean; admin: boolean; version: number }>(
    `SELECT r.rolname, pg_has_role($1, r.oid, 'USAGE') AS member, pg_has_role($1, r.oid, 'MEMBER WITH ADMIN OPTION') AS admin,
            current_setting('server_version_num')::int AS version
     FROM pg_roles r WHERE r.rolname = ANY ($2::text[])`,
    [owner, [...FUNCTION_OWNER_ROLES, 'clinic_app']],
  );
  for (const r of rows) {
    const name = pg.escapeIdentifier(r.rolname);
    // From 16 a repeated grant changes only the options it names, so it names them.
    if (FUNCTION_OWNER_ROLES.includes(r.rolname) && !r.member)
      await admin.query(`GRANT ${name} TO ${role}${r.version >= 160000 ? ' WITH INHERIT TRUE, SET TRUE' : ''}`);
    if (r.rolname === 'clinic_app' && !r.admin && r.version >= 160000)
      await admin.query(`GRANT ${name} TO ${role} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE`);
  }
}

export async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
