// A terminal's login could put the medical-history key back into the server log without any
// superuser setting: debug_print_plan and log_parameter_max_length_on_error are USERSET, and
// `ALTER ROLE <self> IN DATABASE … SET` beats the DBA's per-role settings (`ALTER ROLE … RESET ALL`
// even removes those). The app's pools now send them in the startup packet, which beats every role
// and database setting. This file runs its own PostgreSQL to read its log, as server-log-secrets does.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { ensureAppLoginRole } from '../../main/db/app-login-role.js';
import { createPool, PINNED_LOG_SETTINGS } from '../../main/db/connection.js';
import { startLoggedCluster, type LoggedCluster } from '../support/logged-cluster.js';
import { asUser } from '../support/user-context.js';

const KEY = `key-${randomBytes(24).toString('base64url')}`;
const HISTORY = `History ${randomBytes(9).toString('base64url')}: allergic to latex.`;
const APP_LOGIN = 'clinic_planted_app';
const appPassword = randomBytes(18).toString('base64url');
const demoPassword = randomBytes(9).toString('base64url');

let cluster: LoggedCluster;
let owner: pg.Pool;
const url = (user?: string, password?: string) => cluster.url(user, password);
const logSoFar = () => cluster.logSoFar();

beforeAll(async () => {
  cluster = await startLoggedCluster('pinned-log', { patients: 60, demoPassword });
  owner = cluster.owner;
  expect(await ensureAppLoginRole(owner, APP_LOGIN, appPassword)).toEqual([]);
  // The attack, as the login itself: plant the settings where they beat the DBA's, and wipe what it may.
  const attacker = new pg.Client({ connectionString: url(APP_LOGIN, appPassword) });
  await attacker.connect();
  await attacker.query('ALTER ROLE CURRENT_USER RESET ALL');
  for (const [name, value] of [
    ['debug_print_plan', 'on'],
    ['debug_print_rewritten', 'on'],
    ['log_parameter_max_length_on_error', '-1'],
  ]) {
    await attacker.query(`ALTER ROLE CURRENT_USER IN DATABASE clinic SET ${name} = ${pg.escapeLiteral(value!)}`);
  }
  await attacker.end();
}, 120_000); // its own cluster: initdb, every migration and a small seed

afterAll(async () => {
  await cluster?.stop();
});

const gmPatient = async () =>
  (
    await owner.query(
      `SELECT patient_id FROM patients JOIN departments USING (department_id) WHERE code = 'GM' ORDER BY patient_id LIMIT 1`,
    )
  ).rows[0].patient_id as number;

describe('logging settings a login plants on itself', () => {
  it('put the key in the log for a connection that does not pin them (the attack works)', async () => {
    const unpinned = new pg.Pool({ connectionString: url(APP_LOGIN, appPassword), max: 1 });
    try {
      const shown = (
        await unpinned.query(
          `SELECT current_setting('debug_print_plan') AS plan, current_setting('log_parameter_max_length_on_error') AS on_error`,
        )
      ).rows[0];
      expect(shown).toEqual({ plan: 'on', on_error: '-1' });
      const canary = `canary-${randomBytes(12).toString('hex')}`;
      await asUser(unpinned, 'doctor@demo.clinic', (c) =>
        c.query('SELECT read_medical_history($1, $2)', [1, canary]).catch(() => undefined),
      );
      expect(await logSoFar()).toContain(canary);
    } finally {
      await unpinned.end();
    }
  });

  it("do not reach the app's pool: a history written, read and refused through the app leaves no key or text in the log", async () => {
    const appPool = createPool({ connectionString: url(APP_LOGIN, appPassword), max: 2 });
    try {
      const shown = await appPool.query(`SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])`, [
        Object.keys(PINNED_LOG_SETTINGS),
      ]);
      expect(Object.fromEntries(shown.rows.map((r) => [r.name, r.setting]))).toEqual(PINNED_LOG_SETTINGS);
      // RESET ALL in a session goes back to the startup packet's values, not the planted ones.
      const client = await appPool.connect();
      try {
        await client.query('RESET ALL');
        expect((await client.query(`SELECT current_setting('debug_print_plan') AS plan`)).rows[0].plan).toBe('off');
      } finally {
        client.release();
      }
      const terminal = { name: 'planted-terminal', role: 'ward' } as const;
      const internalErrors: unknown[] = [];
      const core = createAppCore({
        pool: appPool,
        mode: 'embedded',
        terminal,
        medicalHistoryKey: () => KEY,
        logInternal: (_m, e) => internalErrors.push(e),
      });
      expect(await core.dispatch('d', 'session/sign-in', { email: 'doctor@demo.clinic', password: demoPassword })).toMatchObject({
        ok: true,
      });
      const patientId = await gmPatient();
      expect(await core.dispatch('d', 'patients/save-medical-history', { patientId, medicalHistory: HISTORY })).toEqual({
        ok: true,
        value: { saved: true },
      });
      expect(await core.dispatch('d', 'patients/open-chart', { patientId })).toMatchObject({
        ok: true,
        value: { medicalHistory: HISTORY },
      });
      // An error logs its statement (log_min_error_statement): its parameters must not follow it.
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
      });
      expect(internalErrors).toEqual([]);
      const log = await logSoFar();
      for (const secret of [KEY, `${KEY}-wrong`, HISTORY, demoPassword]) expect(log).not.toContain(secret);
    } finally {
      await appPool.end();
    }
  });

  it('a pool whose URL brings its own options keeps them, pinned settings added (the test owner pools connect so, as clinic_owner)', async () => {
    const pinnedOwner = createPool({ connectionString: `${url()}?options=${encodeURIComponent('-c statement_timeout=123456')}`, max: 1 });
    try {
      const { rows } = await pinnedOwner.query(
        `SELECT current_setting('debug_print_plan') AS plan, current_setting('statement_timeout') AS timeout`,
      );
      expect(rows[0]).toEqual({ plan: 'off', timeout: '123456ms' });
    } finally {
      await pinnedOwner.end();
    }
  });
});
