// Maintenance from Admin → Database (issue 12): ANALYZE, VACUUM, REINDEX CONCURRENTLY and VACUUM FULL
// cannot run in the one door's transaction, so they run on the owner's own connection (the local
// database's), after the door's permission check, audited first; the table comes from the catalog.
// VACUUM FULL is refused while another terminal's login is connected.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../contract/index.js';
import { configureMonitoringHost, resetMonitoringHost } from '../../main/monitoring/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let desk: ReturnType<typeof createCoreHarness>;
let ward: ReturnType<typeof createCoreHarness>;
const ADMIN = 'admin-window';

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  desk = createCoreHarness(database, undefined, undefined, { name: 'office-1', role: 'office' });
  ward = createCoreHarness(database, undefined, undefined, { name: 'ward-7', role: 'ward' });
  await desk.signIn(ADMIN, 'admin@demo.clinic');
});
afterAll(async () => {
  resetMonitoringHost();
  await desk?.core.close();
  await ward?.core.close();
  await database?.drop();
});

async function asSuperuser(statement: string) {
  const superuser = new pg.Client({ connectionString: database.superuserUrl });
  await superuser.connect();
  try {
    await superuser.query(statement);
  } finally {
    await superuser.end();
  }
}

const maintain = (input: object) => desk.core.dispatch(ADMIN, 'monitoring/run-maintenance', input);
const tableState = async (name: string) => {
  const result = await desk.core.dispatch(ADMIN, 'monitoring/get-health', {});
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as HealthSnapshot).tables.find((t) => t.name === name)!;
};

describe('maintenance', () => {
  it('on a hospital server (no owner connection here) says what the DBA runs', async () => {
    resetMonitoringHost();
    expect(await maintain({ table: 'patients', action: 'vacuum' })).toEqual({
      ok: false,
      error: {
        code: 'Unavailable',
        message:
          'Maintenance runs from this workstation only on the local database. On the hospital server the DBA runs: VACUUM public.patients;',
      },
    });
  });

  it('runs ANALYZE, VACUUM and REINDEX CONCURRENTLY on a table from the catalog, each audited', async () => {
    configureMonitoringHost({ ownerPool: database.ownerPool });
    expect((await tableState('appointments')).lastAnalyze).toBeNull();
    for (const action of ['analyze', 'vacuum', 'reindex'] as const) {
      expect(await maintain({ table: 'appointments', action })).toMatchObject({ ok: true, value: { table: 'appointments', action } });
    }
    const state = await tableState('appointments');
    expect(state.lastAnalyze).not.toBeNull();
    expect(state.lastVacuum).not.toBeNull();
    const audited = await database.ownerPool.query(
      `SELECT operation, new_values ->> 'terminal' AS terminal FROM audit_log WHERE table_name = 'appointments' AND operation IN ('ANALYZE', 'VACUUM', 'REINDEX') ORDER BY log_id`,
    );
    expect(audited.rows).toEqual(['ANALYZE', 'VACUUM', 'REINDEX'].map((operation) => ({ operation, terminal: 'office-1' })));
  });

  it('never puts the input into SQL: an unknown table is not found, anything but a plain name is refused', async () => {
    expect(await maintain({ table: 'no_such_table', action: 'analyze' })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    for (const table of ['patients; DROP TABLE audit_log', 'public.patients', '"patients"', 'pg_authid'.toUpperCase()])
      expect(await maintain({ table, action: 'analyze' })).toMatchObject({ ok: false, error: { code: 'Validation' } });
    // A catalog table is not a table of the clinic's schema.
    expect(await maintain({ table: 'pg_class', action: 'vacuum' })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    expect(await ward.core.dispatch('nurse', 'monitoring/run-maintenance', { table: 'patients', action: 'analyze' })).toMatchObject({
      ok: false,
      error: { code: 'Unauthorized' },
    });
  });

  it('VACUUM FULL needs the lock warning accepted, and is refused while another terminal is connected', async () => {
    configureMonitoringHost({ ownerPool: database.ownerPool, appLogin: 'clinic_test_app' });
    expect(await maintain({ table: 'room_types', action: 'vacuum-full' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', issues: [{ path: 'acceptLock' }] },
    });
    // Another terminal: its own login (as README "One login per terminal"), the app open on it.
    const login = `ward7_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('base64url');
    await asSuperuser(`CREATE ROLE ${login} LOGIN IN ROLE clinic_app PASSWORD '${password}'`);
    const url = new URL(database.appUrl);
    url.username = login;
    url.password = password;
    const terminal = new pg.Client({ connectionString: url.toString() });
    await terminal.connect();
    try {
      expect(await maintain({ table: 'room_types', action: 'vacuum-full', acceptLock: true })).toEqual({
        ok: false,
        error: {
          code: 'Conflict',
          message: `VACUUM FULL locks room_types until it ends, and other terminals are connected (${login}). Run it when they have closed the app.`,
        },
      });
    } finally {
      await terminal.end();
    }
    // Its backend is gone once the server says so (a state, not a time).
    while ((await database.ownerPool.query('SELECT 1 FROM pg_stat_activity WHERE usename = $1', [login])).rowCount !== 0);
    expect(await maintain({ table: 'room_types', action: 'vacuum-full', acceptLock: true })).toMatchObject({
      ok: true,
      value: { table: 'room_types', action: 'vacuum-full' },
    });
    const audited = await database.ownerPool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE table_name = 'room_types' AND operation = 'VACUUMFULL'`,
    );
    expect(audited.rows[0].n).toBe(1); // the refused one never started
    await asSuperuser(`DROP ROLE ${login}`);
  });
});
