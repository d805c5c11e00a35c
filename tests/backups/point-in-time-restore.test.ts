// Proof for issue #12: a hot base backup taken while 20 clients write, then the database restored
// (as `npm run restore` does) to the latest state and to a moment between two known writes; every
// table's row count and checksum must equal what it held then. Real PostgreSQL, real archive.
import { setTimeout } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { restoreDataFolder, runBackup, type BackupProgress } from '../../main/backups/index.js';
import { MIGRATIONS_DIR, startAppLikeCluster, type AppLikeCluster } from './support/app-like-cluster.js';
import { printFigures, tableFigures } from './support/table-checksums.js';

let cluster: AppLikeCluster;
beforeAll(async () => {
  cluster = await startAppLikeCluster('pitr');
}, 120_000);
afterAll(async () => cluster?.remove());

const WRITERS = 20;

/** One writer: a probe row and a patient's phone number per transaction, as the demo admin, until told to stop. */
function startWriter(url: string, client: number, adminId: string, patientIds: number[], stop: { now: boolean }) {
  const committed = { count: 0 };
  const done = (async () => {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      for (let n = 0; !stop.now; n += 1) {
        await db.query('BEGIN');
        await db.query(`SELECT set_config('app.current_user_id', $1, true)`, [adminId]);
        await db.query('INSERT INTO backup_probe (client, n, note) VALUES ($1, $2, $3)', [client, n, `client ${client} write ${n}`]);
        const patient = patientIds[(client * 7 + n) % patientIds.length];
        await db.query('UPDATE patients SET contact_number = $1 WHERE patient_id = $2', [`07${client}${n}`.slice(0, 15), patient]);
        await db.query('COMMIT');
        committed.count += 1;
        await setTimeout(5); // a busy ward, not a benchmark: leaves the two cores some room for the copy
      }
    } finally {
      await db.end();
    }
  })();
  return { committed, done };
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<[T, ...T[]]> {
  const db = new pg.Client({ connectionString: cluster.superuserUrl() });
  await db.connect();
  try {
    return (await db.query<T>(sql, params)).rows as [T, ...T[]];
  } finally {
    await db.end();
  }
}

/** The archive holds every WAL segment up to now: switch to a new segment and wait for the archiver to copy the old one. */
async function archiveUpToNow() {
  const [{ wal }] = await query<{ wal: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS wal');
  await vi.waitFor(
    async () => {
      const [archiver] = await query<{ last: string | null }>('SELECT last_archived_wal AS last FROM pg_stat_archiver');
      expect(archiver!.last! >= wal).toBe(true);
    },
    { timeout: 30_000, interval: 100 },
  );
}

test('a backup taken under 20 writers restores to the latest state and to a moment between two known writes', async () => {
  await query('CREATE TABLE backup_probe (id bigserial PRIMARY KEY, client int NOT NULL, n int NOT NULL, note text NOT NULL)');
  const [{ adminId }] = await query<{ adminId: string }>(`SELECT user_id AS "adminId" FROM users WHERE email = 'admin@demo.clinic'`);
  const patientIds = (await query<{ id: number }>('SELECT patient_id AS id FROM patients ORDER BY 1 LIMIT 40')).map((r) => r.id);
  const stop = { now: false };
  const writers = Array.from({ length: WRITERS }, (_, i) => startWriter(cluster.superuserUrl(), i, adminId!, patientIds, stop));
  const stage = (name: string) => console.log(`[stage] ${name} at +${Math.round(performance.now() - began)} ms`);
  const began = performance.now();
  const minimum = (n: number) =>
    expect.poll(() => Math.min(...writers.map((w) => w.committed.count)), { timeout: 60_000 }).toBeGreaterThanOrEqual(n);
  await minimum(3); // every client is writing before the backup starts

  const phases: BackupProgress['phase'][] = [];
  const commitsWhileCopying: number[] = [];
  const outcome = await runBackup(
    {
      layout: cluster.layout,
      dataDir: cluster.dataDir,
      superuserUrl: cluster.superuserUrl('postgres'),
      superuserPassword: cluster.superuserPassword,
      migrationsDir: MIGRATIONS_DIR,
    },
    (progress) => {
      if (phases.at(-1) !== progress.phase) {
        phases.push(progress.phase);
        stage(progress.phase);
      }
      if (progress.phase === 'copying') commitsWhileCopying.push(writers.reduce((sum, w) => sum + w.committed.count, 0));
      if (progress.phase === 'verifying') stop.now = true; // the copy is complete: the writers' part is done
    },
  );
  await Promise.all(writers.map((w) => w.done));
  const totalWrites = writers.reduce((sum, w) => sum + w.committed.count, 0);
  console.log(
    `backup ${outcome.manifest.id}: ${outcome.manifest.files.length} files, ${outcome.manifest.totalBytes} bytes, phases ${phases.join(' → ')}; ` +
      `status ${outcome.status.state} (${outcome.status.checks.join('; ')}); ${WRITERS} writers committed ${totalWrites} transactions, ` +
      `${commitsWhileCopying.at(-1)! - commitsWhileCopying[0]!} of them during the copy`,
  );
  expect(outcome.status).toMatchObject({ state: 'good', reason: null });
  expect(commitsWhileCopying.at(-1)! - commitsWhileCopying[0]!).toBeGreaterThan(0); // the copy really was hot

  // Two known writes, A then B; the state between them is the restore's goal.
  await query(`INSERT INTO backup_probe (client, n, note) VALUES (-1, 0, 'known write A')`);
  const atMoment = await tableFigures(cluster.superuserUrl());
  const [{ moment }] = await query<{ moment: Date }>('SELECT clock_timestamp() AS moment');
  await query(`INSERT INTO backup_probe (client, n, note) VALUES (-1, 1, 'known write B')`);
  await query(`UPDATE patients SET contact_number = 'after B' WHERE patient_id = $1`, [patientIds[0]]);
  const latest = await tableFigures(cluster.superuserUrl());
  await archiveUpToNow();

  stage('archived');
  await cluster.stopServer();
  const toLatest = await restoreDataFolder({
    layout: cluster.layout,
    dataDir: cluster.dataDir,
    superuserPassword: cluster.superuserPassword,
    migrationsDir: MIGRATIONS_DIR,
    target: { kind: 'latest' },
  });
  await cluster.startServer();
  const restoredLatest = await tableFigures(cluster.superuserUrl());
  printFigures(`restored to latest from ${toLatest.backupId} (${toLatest.checks.join('; ')}); rows and md5 per table:`, restoredLatest);
  expect(restoredLatest).toEqual(latest);

  stage('restored latest');
  await cluster.stopServer();
  const toMoment = await restoreDataFolder({
    layout: cluster.layout,
    dataDir: cluster.dataDir,
    superuserPassword: cluster.superuserPassword,
    migrationsDir: MIGRATIONS_DIR,
    target: { kind: 'time', at: moment! },
  });
  await cluster.startServer();
  const restoredMoment = await tableFigures(cluster.superuserUrl());
  printFigures(`restored to ${moment!.toISOString()} (between known writes A and B); rows and md5 per table:`, restoredMoment);
  expect(restoredMoment).toEqual(atMoment);
  expect(restoredMoment['backup_probe']!.rows).toBe(latest['backup_probe']!.rows - 1);
  const known = await query<{ note: string }>(`SELECT note FROM backup_probe WHERE client = -1 ORDER BY n`);
  expect(known.map((r) => r.note)).toEqual(['known write A']);
  expect(toMoment.keptAside).toMatch(/before-restore/);
  const differing = Object.keys(latest).filter((t) => latest[t]!.md5 !== atMoment[t]!.md5);
  console.log(
    `tables that differ between the moment and the latest state: ${differing.join(', ')}; all ${Object.keys(atMoment).length} tables equal after the restore`,
  );
}, 300_000);
