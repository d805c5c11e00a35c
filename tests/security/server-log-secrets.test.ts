// What the server's own log shows of the app while a DBA logs every statement (log_statement = 'all'
// for the whole cluster): never the medical-history key, a history's text, or a login's password.
// This file runs its own PostgreSQL (the shared test cluster's log is not readable from a test) and
// reads its log as the DBA would, from the server's stderr.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { ensureAppLoginRole, scramSha256Verifier, UNLOGGED_STATEMENT_SETTINGS } from '../../main/db/app-login-role.js';
import { createPool } from '../../main/db/connection.js';
import { startLoggedCluster, type LoggedCluster } from '../support/logged-cluster.js';
import { asUser } from '../support/user-context.js';

const KEY = `key-${randomBytes(24).toString('base64url')}`;
const NEW_KEY = `new-key-${randomBytes(24).toString('base64url')}`;
const HISTORY = `History ${randomBytes(9).toString('base64url')}: allergic to penicillin.`;
const APP_LOGIN = 'clinic_logged_app';
const appPassword = randomBytes(18).toString('base64url');
const demoPassword = randomBytes(9).toString('base64url');

let cluster: LoggedCluster;
let owner: pg.Pool;
let appPool: pg.Pool;
const ownerUrl = (user?: string, password?: string) => cluster.url(user, password);
const logSoFar = () => cluster.logSoFar();

beforeAll(async () => {
  cluster = await startLoggedCluster('server-log', { patients: 120, demoPassword });
  owner = cluster.owner;
  // The DBA logs every statement, with parameters in full, for the whole cluster.
  await owner.query(`ALTER SYSTEM SET log_statement = 'all'`);
  await owner.query(`ALTER SYSTEM SET log_min_duration_statement = 0`);
  await owner.query(`ALTER SYSTEM SET log_parameter_max_length = -1`);
  await owner.query(`ALTER SYSTEM SET log_parameter_max_length_on_error = -1`);
  await owner.query('SELECT pg_reload_conf()');
  await vi.waitFor(async () => expect((await owner.query('SHOW log_statement')).rows[0].log_statement).toBe('all'), {
    timeout: 10_000,
    interval: 50,
  });
  expect(await ensureAppLoginRole(owner, APP_LOGIN, appPassword)).toEqual([]);
  appPool = createPool({ connectionString: ownerUrl(APP_LOGIN, appPassword), max: 2 });
}, 120_000); // its own cluster: initdb, every migration and a small seed

afterAll(async () => {
  await appPool?.end().catch(() => undefined);
  await cluster?.stop();
});

describe('the server log with log_statement = all', () => {
  it('holds no medical-history key and no history text after the app writes, reads and rotates', async () => {
    const internalErrors: unknown[] = [];
    const terminal = { name: 'logged-terminal', role: 'ward' } as const;
    const core = createAppCore({
      pool: appPool,
      mode: 'embedded',
      terminal,
      medicalHistoryKey: () => KEY,
      logInternal: (_m, e) => internalErrors.push(e),
    });
    const signedIn = await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: demoPassword });
    expect(signedIn, JSON.stringify(signedIn)).toMatchObject({ ok: true });
    const { rows } = await owner.query(
      `SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = 'GM' ORDER BY patient_id LIMIT 1`,
    );
    const patientId = rows[0].patient_id as number;
    expect(await core.dispatch('d', 'patients/save-medical-history', { patientId, medicalHistory: HISTORY })).toEqual({
      ok: true,
      value: { saved: true },
    });
    expect(await core.dispatch('d', 'patients/open-chart', { patientId })).toMatchObject({ ok: true, value: { medicalHistory: HISTORY } });
    // A wrong key fails: an error must not log the parameters either.
    const wrong = createAppCore({
      pool: appPool,
      mode: 'embedded',
      terminal,
      medicalHistoryKey: () => `${KEY}-wrong`,
      logInternal: (_m, e) => internalErrors.push(e),
    });
    await wrong.dispatch('w', 'session/sign-in', { email: 'doctor@demo.clinic', password: demoPassword });
    expect(await wrong.dispatch('w', 'patients/save-medical-history', { patientId, medicalHistory: HISTORY })).toMatchObject({
      ok: false,
      error: { code: 'Unavailable' },
    });
    expect(internalErrors).toEqual([]);
    await asUser(appPool, 'admin@demo.clinic', (c) => c.query('SELECT rotate_medical_history_key($1, $2)', [KEY, NEW_KEY]), true);
    expect(
      await asUser(
        appPool,
        'doctor@demo.clinic',
        async (c) => (await c.query('SELECT read_medical_history($1, $2) AS h', [patientId, NEW_KEY])).rows[0].h,
      ),
    ).toBe(HISTORY);

    const log = await logSoFar();
    expect(log).toMatch(/LOG: {2}statement: DO \$\$ BEGIN RAISE LOG 'log-marker-/); // the owner's statements are logged: logging is on
    for (const secret of [KEY, NEW_KEY, HISTORY, appPassword]) expect(log).not.toContain(secret);
    const settings = await appPool.query(`SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name`, [
      Object.keys(UNLOGGED_STATEMENT_SETTINGS),
    ]);
    expect(Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]))).toMatchObject({
      log_statement: 'none',
      log_parameter_max_length: '0',
      log_min_duration_statement: '-1',
    });
  });

  it('did hold the key for a login made without those settings (the attack the settings stop)', async () => {
    await owner.query(
      `CREATE ROLE clinic_unguarded_app LOGIN PASSWORD ${pg.escapeLiteral(scramSha256Verifier(appPassword))} IN ROLE clinic_app`,
    );
    const unguarded = createPool({ connectionString: ownerUrl('clinic_unguarded_app', appPassword), max: 1 });
    try {
      await asUser(unguarded, 'doctor@demo.clinic', (c) => c.query('SELECT read_medical_history(1, $1)', [NEW_KEY]).catch(() => undefined));
    } finally {
      await unguarded.end();
    }
    expect(await logSoFar()).toContain(NEW_KEY);
  });

  it('makes the login with a SCRAM verifier: the password signs in, and no statement or log line holds it', async () => {
    const client = new pg.Client({ connectionString: ownerUrl() });
    await client.connect();
    const sent = vi.spyOn(client, 'query');
    const first = randomBytes(18).toString('base64url');
    const second = randomBytes(18).toString('base64url');
    try {
      expect(await ensureAppLoginRole(client, 'clinic_scram_app', first)).toEqual([]);
      const stored = (await client.query(`SELECT rolpassword FROM pg_authid WHERE rolname = 'clinic_scram_app'`)).rows[0]
        .rolpassword as string;
      expect(stored).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      expect(await signsIn('clinic_scram_app', first)).toBe(true);
      expect(await signsIn('clinic_scram_app', `${first}x`)).toBe(false);
      // Re-keying replaces it: only the new password signs in.
      await ensureAppLoginRole(client, 'clinic_scram_app', second);
      expect(await signsIn('clinic_scram_app', first)).toBe(false);
      expect(await signsIn('clinic_scram_app', second)).toBe(true);
      const statements = JSON.stringify(sent.mock.calls);
      expect(statements).toContain('SCRAM-SHA-256$4096:');
      expect(statements).not.toContain(first);
      expect(statements).not.toContain(second);
      const log = await logSoFar();
      expect(log).toMatch(/statement: CREATE ROLE "clinic_scram_app" .*PASSWORD 'SCRAM-SHA-256\$4096:/);
      expect(log).not.toContain(first);
      expect(log).not.toContain(second);
    } finally {
      await client.end();
    }
  });

  it('computes the verifier exactly as PostgreSQL does (same salt and iterations, same secret)', async () => {
    await owner.query(`CREATE ROLE clinic_scram_reference`);
    await owner.query(`SET password_encryption = 'scram-sha-256'; ALTER ROLE clinic_scram_reference PASSWORD 'reference password 123'`);
    const stored = (await owner.query(`SELECT rolpassword FROM pg_authid WHERE rolname = 'clinic_scram_reference'`)).rows[0]
      .rolpassword as string;
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored)!;
    expect(scramSha256Verifier('reference password 123', Buffer.from(salt!, 'base64'), Number(iterations))).toBe(stored);
    expect(() => scramSha256Verifier('pässword')).toThrow(/printable ASCII/);
  });

  it('tells a non-superuser owner which logging settings it may not set, until the DBA grants SET on them', async () => {
    const ownerPassword = randomBytes(18).toString('base64url');
    await owner.query(`CREATE ROLE clinic_plain_owner LOGIN CREATEROLE PASSWORD ${pg.escapeLiteral(scramSha256Verifier(ownerPassword))}`);
    await owner.query('GRANT clinic_app TO clinic_plain_owner WITH ADMIN OPTION');
    const plain = new pg.Client({ connectionString: ownerUrl('clinic_plain_owner', ownerPassword) });
    await plain.connect();
    try {
      const superuserOnly = [
        'log_min_duration_sample',
        'log_min_duration_statement',
        'log_parameter_max_length',
        'log_statement',
        'log_transaction_sample_rate',
      ];
      expect((await ensureAppLoginRole(plain, 'clinic_terminal_7', randomBytes(18).toString('base64url'))).sort()).toEqual(superuserOnly);
      await owner.query(`GRANT SET ON PARAMETER ${superuserOnly.join(', ')} TO clinic_plain_owner`);
      expect(await ensureAppLoginRole(plain, 'clinic_terminal_7', randomBytes(18).toString('base64url'))).toEqual([]);
    } finally {
      await plain.end();
    }
  });
});

async function signsIn(user: string, password: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: ownerUrl(user, password) });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
