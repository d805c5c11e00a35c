// Admin → Backups through the one door, as a signed-in user: the permission, the hospital-server
// mode (archiver status only), a backup started from the screen and followed to "good", and one
// table compared with a backup at a moment and put back in one audited transaction.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BackupOverview, TableDifference } from '../../contract/index.js';
import { installEmbeddedBackups, installServerMode } from '../../main/backups/index.js';
import { ensureAppLoginRole } from '../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { withClient } from '../../main/startup/database-owner.js';
import { createCoreHarness } from '../support/core-harness.js';
import type { TestDatabase } from '../support/test-database.js';
import { MIGRATIONS_DIR, startAppLikeCluster, type AppLikeCluster } from './support/app-like-cluster.js';

let cluster: AppLikeCluster;
let harness: ReturnType<typeof createCoreHarness>;
let appPool: pg.Pool;
const ADMIN = 'admin-window';
const NURSE = 'nurse-window';

beforeAll(async () => {
  cluster = await startAppLikeCluster('backup-channels', 20);
  const appPassword = randomBytes(18).toString('base64url');
  await withClient(cluster.superuserUrl(), (admin) => ensureAppLoginRole(admin, 'clinic_backup_test_app', appPassword));
  const appUrl = `postgres://clinic_backup_test_app:${appPassword}@${cluster.server.host}:${cluster.server.port}/clinic`;
  appPool = createPool({ connectionString: appUrl, max: 4 });
  // Only the pool and the demo password are read by the harness.
  const database: TestDatabase = {
    name: 'clinic',
    ownerUrl: cluster.ownerUrl(),
    superuserUrl: cluster.superuserUrl(),
    appUrl,
    appPool,
    db: createKysely(appPool),
    ownerPool: appPool,
    demoPassword: cluster.demoPassword,
    drop: async () => undefined,
  };
  harness = createCoreHarness(database);
  await harness.signIn(ADMIN, 'admin@demo.clinic');
  await harness.signIn(NURSE, 'nurse@demo.clinic');
}, 120_000);
afterAll(async () => {
  installServerMode();
  await harness?.core.close();
  await appPool?.end();
  await cluster?.remove();
});

const call = (sender: string, channel: string, input: unknown = {}) => harness.core.dispatch(sender, channel, input);
const value = async <T>(sender: string, channel: string, input: unknown = {}): Promise<T> => {
  const result = await call(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
};

async function superuser<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(cluster.superuserUrl(), async (db) => (await db.query<T>(sql, params)).rows);
}

test('only backups.manage may use the channels; on a hospital server the app shows the archiver and takes no backup', async () => {
  installServerMode();
  expect(await call(NURSE, 'backups/get-overview')).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  expect(await call(NURSE, 'backups/get-archiver-status')).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  expect(await value<BackupOverview>(ADMIN, 'backups/get-overview')).toMatchObject({ mode: 'server', backups: [] });
  expect(await call(ADMIN, 'backups/start-backup')).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
  expect(await call(ADMIN, 'backups/request-restore', { target: { kind: 'latest' }, confirm: true })).toMatchObject({
    ok: false,
    error: { code: 'Unavailable' },
  });
  // Read through the app's own login (pg_stat_archiver is readable by any role).
  await superuser('SELECT pg_switch_wal()');
  await expect
    .poll(async () => (await value<{ archivedCount: number }>(ADMIN, 'backups/get-archiver-status')).archivedCount, { timeout: 20_000 })
    .toBeGreaterThan(0);
  const archiver = await value<Record<string, unknown>>(ADMIN, 'backups/get-archiver-status');
  expect(archiver).toMatchObject({ archiving: true, failedCount: 0, lastFailedWal: null });
  console.log(`archiver as the app login sees it: ${JSON.stringify(archiver)}`);
});

test('a backup started from Admin runs in the background with progress and is listed good; one table is compared and put back', async () => {
  installEmbeddedBackups({
    target: {
      layout: cluster.layout,
      dataDir: cluster.dataDir,
      superuserUrl: cluster.superuserUrl('postgres'),
      superuserPassword: cluster.superuserPassword,
      migrationsDir: MIGRATIONS_DIR,
    },
    ownerUrl: cluster.ownerUrl(),
    log: () => undefined,
  });
  // Two medicines nobody uses, present in the backup and deleted after the moment.
  const [{ admin }] = (await superuser<{ admin: string }>(`SELECT user_id AS admin FROM users WHERE email = 'admin@demo.clinic'`)) as [
    { admin: string },
  ];
  await superuser(
    `INSERT INTO medicine (name, strength, unit) VALUES ('Restore probe one', '1 mg', 'tablet'), ('Restore probe two', '2 mg', 'tablet')`,
  );

  expect(await value(ADMIN, 'backups/start-backup')).toEqual({ started: true });
  expect(await call(ADMIN, 'backups/start-backup')).toMatchObject({ ok: false, error: { code: 'Conflict' } }); // one at a time
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        const overview = await value<BackupOverview>(ADMIN, 'backups/get-overview');
        if (overview.running) seen.add(overview.running.phase);
        return overview.running === null && overview.backups.length === 1 ? overview.backups[0]!.state : 'running';
      },
      { timeout: 90_000, interval: 200 },
    )
    .toBe('good');
  const overview = await value<BackupOverview>(ADMIN, 'backups/get-overview');
  console.log(`backup from Admin: phases seen while polling ${[...seen].join(', ')}; listed ${JSON.stringify(overview.backups[0])}`);

  // The moment, then the damage: two rows added, three changed, the two probes removed.
  const [{ moment }] = (await superuser<{ moment: Date }>('SELECT clock_timestamp() AS moment')) as [{ moment: Date }];
  await withClient(cluster.superuserUrl(), async (db) => {
    await db.query('BEGIN');
    await db.query(`SELECT set_config('app.current_user_id', $1, true)`, [admin]);
    await db.query(
      `INSERT INTO medicine (name, strength, unit) VALUES ('Added after one', '1 mg', 'tablet'), ('Added after two', '1 mg', 'tablet')`,
    );
    await db.query(
      `UPDATE medicine SET unit_price = unit_price + 1 WHERE medicine_id IN (SELECT medicine_id FROM medicine ORDER BY medicine_id LIMIT 3)`,
    );
    await db.query(`DELETE FROM medicine WHERE name LIKE 'Restore probe%'`);
    await db.query('COMMIT');
  });
  // The WAL past the moment reaches the archive.
  const [{ wal }] = (await superuser<{ wal: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS wal')) as [{ wal: string }];
  await expect
    .poll(async () => (await superuser<{ last: string }>('SELECT last_archived_wal AS last FROM pg_stat_archiver'))[0]!.last >= wal, {
      timeout: 20_000,
    })
    .toBe(true);

  const at = moment.toISOString();
  const difference = await value<TableDifference>(ADMIN, 'backups/compare-table', { table: 'medicine', at });
  expect(difference).toMatchObject({ table: 'medicine', added: 2, removed: 2, changed: 3 });
  const stale = await call(ADMIN, 'backups/restore-table', { table: 'medicine', at, expected: { added: 0, removed: 2, changed: 3 } });
  expect(stale).toMatchObject({ ok: false, error: { code: 'Conflict' } }); // not what was shown: nothing done
  const auditBefore = (
    await superuser<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE table_name = 'medicine' AND user_id = $1`, [admin])
  )[0]!.n;
  const after = await value<TableDifference>(ADMIN, 'backups/restore-table', {
    table: 'medicine',
    at,
    expected: { added: 2, removed: 2, changed: 3 },
  });
  expect(after).toMatchObject({ added: 0, removed: 0, changed: 0 });
  const names = (
    await superuser<{ name: string }>(
      `SELECT name FROM medicine WHERE name LIKE 'Restore probe%' OR name LIKE 'Added after%' ORDER BY name`,
    )
  ).map((r) => r.name);
  expect(names).toEqual(['Restore probe one', 'Restore probe two']);
  const auditAfter = (
    await superuser<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE table_name = 'medicine' AND user_id = $1`, [admin])
  )[0]!.n;
  expect(auditAfter - auditBefore).toBe(7); // 2 deletes + 3 updates + 2 inserts, each under the administrator's name
  console.log(
    `medicine vs backup ${difference.backupId} at ${at}: ${difference.added} added, ${difference.removed} removed, ${difference.changed} changed, ${difference.unchanged} unchanged; ` +
      `after the restore: ${after.added}/${after.removed}/${after.changed}, unchanged ${after.unchanged}; audit rows by the admin +${auditAfter - auditBefore}`,
  );
}, 240_000);
