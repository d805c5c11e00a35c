// SECURITY DEFINER functions run as their owner, so nothing the caller controls may steer them
// (issue 8 §1, migration 015). Every attack runs as the app's login role, with the database password
// a workstation holds: temporary tables that shadow public ones, forged sign-in events, and drawing
// or resetting the audit trail's ids.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, temporaryObjectsForTheAppLogin, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
const ids: Record<'admin' | 'nurse' | 'frontdesk', string> = { admin: '', nurse: '', frontdesk: '' };

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  for (const who of ['admin', 'nurse', 'frontdesk'] as const) {
    ids[who] = (await database.ownerPool.query('SELECT user_id FROM users WHERE email = $1', [`${who}@demo.clinic`])).rows[0].user_id;
  }
});
afterAll(() => database?.drop());

/** One app-role session, which keeps its temporary objects to the end (a pool would drop a connection after an error). */
async function attackerSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.appUrl });
  await client.connect();
  return client;
}

/** Runs one statement on `client` in a committed transaction whose user context is `userId`, as the one door does. */
async function inContext(client: pg.Client, userId: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  await client.query(`BEGIN; SELECT set_config('app.current_user_id', '${userId}', true)`);
  try {
    const result = await client.query(text, params);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

const backendPid = async (client: pg.Client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

const audited = async (where: string, params: unknown[]) =>
  (
    await database.ownerPool.query(
      `SELECT table_name, operation, user_id, new_values FROM audit_log WHERE ${where} ORDER BY log_id`,
      params,
    )
  ).rows;

describe('every SECURITY DEFINER function', () => {
  it('pins search_path with pg_temp last (or empty), PUBLIC cannot execute it, trigger functions are granted to no one, and no superuser owns it', async () => {
    const { rows } = await database.ownerPool.query<{
      fn: string;
      owner: string;
      ownerIsSuperuser: boolean;
      config: string[] | null;
      publicExec: boolean;
      isTrigger: boolean;
      grantees: string[];
    }>(`
      SELECT p.oid::regprocedure::text AS fn, pg_get_userbyid(p.proowner) AS owner,
             (SELECT rolsuper FROM pg_roles WHERE oid = p.proowner) AS "ownerIsSuperuser", p.proconfig AS config,
             has_function_privilege('public', p.oid, 'EXECUTE') AS "publicExec",
             p.prorettype = 'trigger'::regtype AS "isTrigger",
             ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
                   FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                   WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner)::text[] AS grantees
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1`);
    // The listing itself works: the functions migrations 005–014 define are in it.
    expect(rows.map((r) => r.fn)).toEqual(
      expect.arrayContaining([
        'audit_trigger_function()',
        'record_auth_event(text,uuid,text,text,jsonb)',
        'read_medical_history(integer,text)',
        'write_medical_history(integer,text,text)',
        'rotate_medical_history_key(text,text)',
        'patient_name_words_sync()',
        'find_name_words(text,text,integer)',
        'app_credential_fingerprints(uuid[])',
      ]),
    );

    const safePath = (config: string[] | null) => {
      const setting = config?.find((c) => c.startsWith('search_path='));
      if (!setting) return false;
      const schemas = setting
        .slice('search_path='.length)
        .split(',')
        .map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
      return (schemas.length === 1 && schemas[0] === '') || schemas.at(-1) === 'pg_temp';
    };
    const problems = rows.flatMap((r) => [
      ...(safePath(r.config) ? [] : [`${r.fn}: search_path must end in pg_temp (or be empty), is ${JSON.stringify(r.config)}`]),
      ...(r.publicExec ? [`${r.fn}: PUBLIC may execute it`] : []),
      ...(r.isTrigger && r.grantees.length > 0 ? [`${r.fn}: a trigger function needs no EXECUTE grant, has ${r.grantees.join(', ')}`] : []),
      // The tests migrate as a non-superuser owner, as a hospital server and the embedded default do.
      ...(r.ownerIsSuperuser ? [`${r.fn}: owned by the superuser ${r.owner}, so any flaw in it runs with every right`] : []),
    ]);
    expect(problems).toEqual([]);
  });
});

describe('a temporary table cannot take the place of a public one inside a SECURITY DEFINER function', () => {
  // Since 045 the app's login may create no temporary object at all; the definers must still hold where a
  // database administrator grants it again (or a database was copied without 045's REVOKE).
  beforeAll(async () => {
    const refused = await attackerSession();
    await expect(refused.query('CREATE TEMP TABLE audit_log (log_id int)')).rejects.toMatchObject({ code: '42501' });
    await refused.end();
    await temporaryObjectsForTheAppLogin(database, 'GRANT');
  });
  afterAll(() => temporaryObjectsForTheAppLogin(database, 'REVOKE'));

  it("record_auth_event and the audit trigger write to public.audit_log, never to the caller's pg_temp.audit_log, and run none of its code", async () => {
    const attacker = await attackerSession();
    try {
      const pid = await backendPid(attacker);
      // The attack, with no user context. The temp trigger would record whose rights it ran with.
      await attacker.query(`
        CREATE TEMP TABLE audit_log (log_id int, table_name text, operation text, user_id uuid, old_values jsonb, new_values jsonb, timestamp timestamptz);
        GRANT ALL ON pg_temp.audit_log TO PUBLIC;
        CREATE TEMP TABLE witness (ran_as text, superuser boolean);
        GRANT ALL ON pg_temp.witness TO PUBLIC;
        CREATE FUNCTION pg_temp.hijack() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO pg_temp.witness SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user;
            RETURN NEW;
        END $$;
        CREATE TRIGGER hijack AFTER INSERT ON pg_temp.audit_log FOR EACH ROW EXECUTE FUNCTION pg_temp.hijack();`);
      // In this session an unqualified audit_log now means the temp table: only a pinned path avoids it.
      expect((await attacker.query(`SELECT 'audit_log'::regclass = 'pg_temp.audit_log'::regclass AS shadowed`)).rows[0].shadowed).toBe(
        true,
      );

      // An event that legitimately has no user context (the SIGNIN now needs one: see below) …
      await attacker.query(
        `SELECT record_auth_event('SIGNINFAIL', NULL, 'nobody@pg-temp.attack', 'pg-temp-attack', '{"reason": "unknown-email"}')`,
      );
      // … and the audit trigger, in a user context: a real change to a patient.
      const patientId = (await database.ownerPool.query('SELECT min(patient_id) AS id FROM patients')).rows[0].id;
      await inContext(attacker, ids.frontdesk, `UPDATE patients SET address = '1 Temp Table Road' WHERE patient_id = $1`, [patientId]);

      expect(await backendPid(attacker)).toBe(pid); // the same session throughout, so its temp objects were in scope
      expect((await attacker.query('SELECT * FROM pg_temp.witness')).rows).toEqual([]); // before 015: [{ ran_as: 'postgres', superuser: true }, …]
      expect((await attacker.query('SELECT count(*)::int AS n FROM pg_temp.audit_log')).rows[0].n).toBe(0);
      // The exact call is refused outright: SIGNIN happens only once the user is known.
      await expect(attacker.query(`SELECT record_auth_event('SIGNIN', NULL, 'x@y', 'T')`)).rejects.toMatchObject({ code: '42501' });

      expect(await audited(`new_values->>'terminal' = $1`, ['pg-temp-attack'])).toMatchObject([
        {
          table_name: 'auth',
          operation: 'SIGNINFAIL',
          user_id: null,
          new_values: { email: 'nobody@pg-temp.attack', reason: 'unknown-email' },
        },
      ]);
      expect(
        await audited(`table_name = 'patients' AND operation = 'UPDATE' AND new_values->>'address' = $1`, ['1 Temp Table Road']),
      ).toMatchObject([{ user_id: ids.frontdesk, new_values: { patient_id: patientId } }]);
    } finally {
      await attacker.end();
    }
  });

  it('shadowing the role tables does not make a nurse a front-desk clerk inside find_name_words', async () => {
    const attacker = await attackerSession();
    try {
      // The invoker helpers (app_roles) called inside a SECURITY DEFINER function inherit its pinned path.
      await attacker.query(`
        CREATE TEMP TABLE users (user_id uuid, email text, is_active boolean);
        CREATE TEMP TABLE roles (role_id int, role_name text, is_active boolean);
        CREATE TEMP TABLE user_roles (user_id uuid, role_id int);
        INSERT INTO pg_temp.users VALUES ('${ids.nurse}', 'nurse@demo.clinic', true);
        INSERT INTO pg_temp.roles VALUES (1, 'front_desk', true);
        INSERT INTO pg_temp.user_roles VALUES ('${ids.nurse}', 1);`);
      expect((await attacker.query(`SELECT 'user_roles'::regclass = 'pg_temp.user_roles'::regclass AS shadowed`)).rows[0].shadowed).toBe(
        true,
      );
      const nurseWords = await inContext(attacker, ids.nurse, `SELECT word FROM find_name_words('son', 'partial', 5)`);
      expect(nurseWords.rows).toEqual([]);
      // The same call as the real front desk does answer, so the empty answer above is the nurse's.
      const frontDesk = await asUser(database.appPool, 'frontdesk@demo.clinic', (client) =>
        client.query(`SELECT word FROM find_name_words('son', 'partial', 5)`),
      );
      expect(frontDesk.rows.length).toBeGreaterThan(0);
    } finally {
      await attacker.end();
    }
  });
});

describe('record_auth_event takes who and what from the server, not from the caller', () => {
  const call = (
    client: pg.Pool | pg.PoolClient,
    event: string,
    userId: string | null,
    email: string,
    terminal: string,
    detail: unknown = {},
  ) => client.query('SELECT record_auth_event($1, $2::uuid, $3, $4, $5::jsonb)', [event, userId, email, terminal, JSON.stringify(detail)]);

  it('refuses events that need a signed-in user when there is no user context', async () => {
    for (const event of ['SIGNIN', 'PW_RESET', 'PW_CHANGE', 'UNLOCK', 'CHART_OPEN', 'RESET_CODE']) {
      await expect(call(database.appPool, event, ids.admin, 'admin@demo.clinic', 'forge-1')).rejects.toMatchObject({ code: '42501' });
    }
    expect(await audited(`new_values->>'terminal' = 'forge-1'`, [])).toEqual([]);
  });

  it("before sign-in, the user is the one the email belongs to: another user's id is refused, a missing one is filled in", async () => {
    await expect(
      call(database.appPool, 'SIGNINFAIL', ids.admin, 'nurse@demo.clinic', 'forge-2', { reason: 'password' }),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(call(database.appPool, 'LOCKED', ids.admin, 'no-such-user@demo.clinic', 'forge-2', { minutes: 15 })).rejects.toMatchObject(
      { code: '42501' },
    );
    await call(database.appPool, 'SIGNINFAIL', null, 'nurse@demo.clinic', 'forge-2', { reason: 'password' });
    expect(await audited(`new_values->>'terminal' = 'forge-2'`, [])).toMatchObject([
      {
        operation: 'SIGNINFAIL',
        user_id: ids.nurse,
        new_values: { email: 'nurse@demo.clinic', reason: 'password', db_login: 'clinic_test_app' },
      },
    ]);
  });

  it("in a user context, the user is the context's: another id is refused, another email is replaced by the user's own", async () => {
    await expect(
      asUser(database.appPool, 'nurse@demo.clinic', (c) => call(c, 'PW_CHANGE', ids.admin, 'admin@demo.clinic', 'forge-3'), true),
    ).rejects.toMatchObject({ code: '42501' });
    await asUser(
      database.appPool,
      'nurse@demo.clinic',
      (c) => call(c, 'CHART_OPEN', null, 'admin@demo.clinic', 'forge-3', { patient_id: 1 }),
      true,
    );
    // A reset code is about its target, and its issuer is whoever the context says, whatever the detail claims.
    await asUser(
      database.appPool,
      'nurse@demo.clinic',
      (c) => call(c, 'RESET_CODE', ids.frontdesk, 'admin@demo.clinic', 'forge-3', { issued_by: ids.admin }),
      true,
    );
    expect(await audited(`new_values->>'terminal' = 'forge-3'`, [])).toMatchObject([
      { table_name: 'patients', operation: 'CHART_OPEN', user_id: ids.nurse, new_values: { email: 'nurse@demo.clinic', patient_id: 1 } },
      {
        table_name: 'auth',
        operation: 'RESET_CODE',
        user_id: ids.frontdesk,
        new_values: { email: 'frontdesk@demo.clinic', issued_by: ids.nurse },
      },
    ]);
  });

  it('refuses a detail that would override email or terminal, holds unknown keys, nests, or is long', async () => {
    const forged = [
      { reason: 'password', email: 'admin@demo.clinic' },
      { reason: 'password', terminal: 'ward-7' },
      { reason: 'password', db_login: 'someone' },
      { reason: 'password', note: 'anything' },
      { reason: { nested: true } },
      { reason: 'x'.repeat(300) },
      ['reason'],
    ];
    for (const detail of forged) {
      await expect(call(database.appPool, 'SIGNINFAIL', null, 'nurse@demo.clinic', 'forge-4', detail)).rejects.toMatchObject({
        code: '22023',
      });
    }
    await expect(
      asUser(database.appPool, 'nurse@demo.clinic', (c) => call(c, 'PW_CHANGE', null, '', 'forge-4', { email: 'admin@demo.clinic' }), true),
    ).rejects.toMatchObject({ code: '22023' });
    expect(await audited(`new_values->>'terminal' = 'forge-4'`, [])).toEqual([]);
  });
});

describe("the audit trail's ids", () => {
  it('cannot be drawn or reset by the app role, which keeps the sequences its own inserts need', async () => {
    await expect(database.appPool.query(`SELECT nextval('audit_log_log_id_seq')`)).rejects.toMatchObject({ code: '42501' });
    await expect(database.appPool.query(`SELECT setval('audit_log_log_id_seq', 1)`)).rejects.toMatchObject({ code: '42501' });
    await expect(database.appPool.query(`SELECT currval('audit_log_log_id_seq')`)).rejects.toMatchObject({ code: '42501' });
    const registered = await asUser(database.appPool, 'frontdesk@demo.clinic', (c) =>
      c.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Sequence', 'Check', '1980-01-01') RETURNING patient_id`,
      ),
    );
    expect(registered.rows[0].patient_id).toBeGreaterThan(0);
  });
});
