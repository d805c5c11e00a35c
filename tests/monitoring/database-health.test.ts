// Admin → Database (issue 12): health read through clinic_monitor (pg_monitor), never the app role's
// table rights; cancel and (confirmed twice) terminate a long query; the thresholds setting; the
// status light's alerts. The superuser grants pg_monitor and pg_signal_backend to clinic_monitor
// first, as the DBA (or the embedded bootstrap) does where the owner could not (PostgreSQL 16+).
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../contract/index.js';
import { alertsOf, configureMonitoringHost, resetMonitoringHost } from '../../main/monitoring/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
let harness: ReturnType<typeof createCoreHarness>;
const ADMIN = 'admin-window';
const NURSE = 'nurse-window';

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  const superuser = new pg.Client({ connectionString: database.superuserUrl });
  await superuser.connect();
  try {
    await superuser.query('GRANT pg_monitor, pg_signal_backend TO clinic_monitor');
  } finally {
    await superuser.end();
  }
  harness = createCoreHarness(database);
  await harness.signIn(ADMIN, 'admin@demo.clinic');
  await harness.signIn(NURSE, 'nurse@demo.clinic');
});
afterAll(async () => {
  resetMonitoringHost();
  await harness?.core.close();
  await database?.drop();
});

const call = (sender: string, channel: string, input: unknown) => harness.core.dispatch(sender, channel, input);
const health = async (input: object = {}) => {
  const result = await call(ADMIN, 'monitoring/get-health', input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as HealthSnapshot;
};

/** A terminal's connection running a long statement, and the promise of its outcome. */
async function sleeper() {
  const client = new pg.Client({ connectionString: database.appUrl, application_name: 'ward-3-terminal' });
  await client.connect();
  client.on('error', () => undefined);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const outcome = client.query(`SELECT pg_sleep(600), 'Smith' AS surname`).then(
    () => 'finished',
    (error: { code?: string }) => error.code ?? 'error',
  );
  // Waits for the state, not for a time: the statement is running when the server says so.
  for (let seen = false; !seen;) seen = (await health({ longQuerySeconds: 0 })).longQueries.some((q) => q.pid === pid);
  return { client, pid, outcome };
}

describe('database health', () => {
  it('shows connections, sizes, vacuum state, cache hit ratio, statements and migrations to an administrator', async () => {
    configureMonitoringHost({ migrationsDir: path.resolve(import.meta.dirname, '../../migrations') });
    const snapshot = await health();
    console.log(
      `health: ${snapshot.connections.length} connection groups, ${snapshot.tables.length} tables, db ${snapshot.databaseBytes} bytes, cache hit ${snapshot.cacheHitRatio}, statements ${snapshot.statements.available ? 'available' : `not available (${snapshot.statements.reason})`}, migrations ${snapshot.migrations.applied} applied, pending ${JSON.stringify(snapshot.migrations.pending)}`,
    );
    expect(snapshot).toMatchObject({ fullView: true, canSignal: true, longQuerySeconds: 300, maintenanceAvailable: false });
    expect(snapshot.connections.some((c) => c.login === 'clinic_test_app')).toBe(true);
    expect(snapshot.databaseBytes).toBeGreaterThan(0);
    expect(snapshot.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['patients', 'audit_log', 'appointments']));
    expect(snapshot.statements.available || (snapshot.statements.reason ?? '').length > 0).toBe(true);
    expect(snapshot.migrations).toMatchObject({ pending: [] });
    expect(snapshot.migrations.latest).toMatch(/^\d{3}_/);
  });

  it('is refused to a nurse at the door, and inside the function to any login that calls it directly', async () => {
    expect(await call(NURSE, 'monitoring/get-health', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    await expect(asUser(database.appPool, 'nurse@demo.clinic', (c) => c.query('SELECT monitor_snapshot(0)'))).rejects.toMatchObject({
      code: '42501',
    });
    await expect(database.appPool.query('SELECT monitor_signal_backend(1, false)')).rejects.toMatchObject({ code: '42501' });
    // The app role itself still cannot read other sessions' statements or signal them.
    const own = await database.appPool.query(
      `SELECT pg_has_role('pg_monitor', 'USAGE') AS monitor, pg_has_role('pg_signal_backend', 'USAGE') AS signal`,
    );
    expect(own.rows[0]).toEqual({ monitor: false, signal: false });
  });

  it('cancels a long query; terminating needs a second confirmation; both are audited', async () => {
    const first = await sleeper();
    const listed = (await health({ longQuerySeconds: 0 })).longQueries.find((q) => q.pid === first.pid)!;
    expect(listed).toMatchObject({ login: 'clinic_test_app', application: 'ward-3-terminal', state: 'active' });
    expect(listed.query).toBe(`SELECT pg_sleep(600), '…' AS surname`); // literals blanked: a statement may hold a name
    expect(await call(ADMIN, 'monitoring/signal-backend', { pid: first.pid, action: 'cancel' })).toEqual({
      ok: true,
      value: { signalled: true },
    });
    expect(await first.outcome).toBe('57014'); // query_canceled
    await first.client.end();

    const second = await sleeper();
    expect(await call(ADMIN, 'monitoring/signal-backend', { pid: second.pid, action: 'terminate' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', issues: [{ path: 'confirmed', message: 'Confirm ending the connection a second time' }] },
    });
    expect(await call(ADMIN, 'monitoring/signal-backend', { pid: second.pid, action: 'terminate', confirmed: true })).toEqual({
      ok: true,
      value: { signalled: true },
    });
    expect(await second.outcome).toBe('57P01'); // admin_shutdown: the connection was ended
    await second.client.end().catch(() => undefined);
    expect(await call(ADMIN, 'monitoring/signal-backend', { pid: second.pid, action: 'cancel' })).toMatchObject({
      ok: false,
      error: { code: 'NotFound' },
    });

    const audited = await database.ownerPool.query(
      `SELECT operation, new_values ->> 'pid' AS pid, new_values ->> 'application' AS application FROM audit_log WHERE table_name = 'database' ORDER BY log_id`,
    );
    expect(audited.rows).toEqual([
      { operation: 'CANCEL', pid: String(first.pid), application: 'ward-3-terminal' },
      { operation: 'TERMINATE', pid: String(second.pid), application: 'ward-3-terminal' },
    ]);
  });

  it('keeps the thresholds an administrator sets', async () => {
    expect(await call(ADMIN, 'monitoring/save-settings', { longQueryMinutes: 10, diskWarningPercent: 80 })).toEqual({
      ok: true,
      value: { saved: true },
    });
    expect(await call(ADMIN, 'monitoring/save-settings', { longQueryMinutes: 0, diskWarningPercent: 80 })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(await call(NURSE, 'monitoring/save-settings', { longQueryMinutes: 1, diskWarningPercent: 80 })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    expect(await health()).toMatchObject({ longQuerySeconds: 600, settings: { longQueryMinutes: 10, diskWarningPercent: 80 } });
  });

  it('lights the status light for a failed backup (the backups feature’s hook) and nothing else on a quiet server', async () => {
    expect(await call(ADMIN, 'monitoring/get-alerts', {})).toEqual({ ok: true, value: { alerts: [] } });
    configureMonitoringHost({ backupFailure: () => 'the copy to /backups stopped: no space left on device' });
    expect(await call(ADMIN, 'monitoring/get-alerts', {})).toEqual({
      ok: true,
      value: {
        alerts: [{ kind: 'backup-failed', message: 'The last backup failed: the copy to /backups stopped: no space left on device' }],
      },
    });
    configureMonitoringHost({ backupFailure: () => null });
  });

  it('names failing archiving, a long query and a nearly full disk', async () => {
    const quiet = await health();
    const troubled: HealthSnapshot = {
      ...quiet,
      disk: { freeBytes: 5 * 1024 ** 3, totalBytes: 100 * 1024 ** 3 },
      archiver: { ...quiet.archiver, failing: true, failedCount: 3, lastFailedWal: '000000010000000000000007' },
      longQueries: [
        { pid: 1, login: 'x', application: 'y', state: 'active', started: null, seconds: 900, waitEvent: null, query: 'SELECT 1' },
      ],
    };
    expect(alertsOf(troubled, null).map((a) => a.message)).toEqual([
      'WAL archiving is failing (3 failures; last 000000010000000000000007).',
      '1 query has run longer than 10 min.',
      `The database's disk is 95% full (5.0 GB free; the database is ${(quiet.databaseBytes / 1024 ** 3).toFixed(1)} GB).`,
    ]);
  });
});
