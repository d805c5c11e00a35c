// Who a SECURITY DEFINER function runs as. Issue 8 §1: a pg_temp hijack made the audit trigger run
// the attacker's trigger as the function's owner — the embedded superuser — and COPY … TO PROGRAM ran
// as the OS user of the server. 015 closes the hijack; this file holds the second line: the test
// cluster is set up as every installation now is (migrations run as clinic_owner, not superuser),
// and whoever a definer function runs as cannot run programs, read or write server files, skip
// triggers, or make itself superuser.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { DEFINER_OWNER_ROLES } from '../support/definer-owners.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 1);
});
afterAll(() => database?.drop());

describe('owners of SECURITY DEFINER functions', () => {
  it('are never a superuser, never BYPASSRLS, and hold no server-file or program roles', async () => {
    const { rows } = await database.appPool.query<{ owner: string; rolsuper: boolean; rolbypassrls: boolean; server_access: boolean }>(`
      SELECT DISTINCT r.rolname AS owner, r.rolsuper, r.rolbypassrls,
             pg_has_role(r.oid, 'pg_execute_server_program', 'MEMBER') OR pg_has_role(r.oid, 'pg_read_server_files', 'MEMBER')
             OR pg_has_role(r.oid, 'pg_write_server_files', 'MEMBER') AS server_access
      FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
      WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace ORDER BY 1`);
    // clinic_monitor (026) holds pg_monitor and pg_signal_backend where the server let them be granted: no file or program rights.
    // clinic_admission (031) reads only the identity columns of patients that admission search shows.
    // clinic_identity (035) reads only the columns that say who the caller is (roles, departments, rooms, doctors).
    // clinic_pharmacy_scope (037) reads three columns of prescriptions, through the pharmacist's read policy alone.
    expect(rows.map((r) => r.owner)).toEqual([...DEFINER_OWNER_ROLES]);
    for (const r of rows) expect(r, r.owner).toMatchObject({ rolsuper: false, rolbypassrls: false, server_access: false });
  });

  it('a hijacked function acting as clinic_owner (the most any of them can be) cannot reach the server itself', async () => {
    // What the attacker's trigger ran; as the owner every one of these is refused.
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    try {
      const attempts = [
        `COPY (SELECT 1) TO PROGRAM 'id'`,
        `COPY audit_log FROM '/etc/passwd'`,
        `SELECT pg_read_file('/etc/passwd')`,
        `SET session_replication_role = replica`, // would switch off the audit triggers
        `ALTER ROLE clinic_owner SUPERUSER`,
        `ALTER ROLE clinic_owner BYPASSRLS`,
      ];
      for (const statement of attempts) await expect(owner.query(statement), statement).rejects.toMatchObject({ code: '42501' });
    } finally {
      await owner.end();
    }
  });
});
