// Attack (review, low-medium): a restore killed between its two renames left no postgres/ folder, and
// the next start created an empty cluster, seeded demo data and archived its WAL into the same
// backups/wal. Now the swap is journalled and settled at the next start (under the backup lock, which
// the start respects), and no empty cluster is ever created where backups exist. The restore runs in
// its own process and is SIGKILLed exactly between the renames. (Before: startEmbeddedServer ran
// initdb on a missing folder; read from the code, not run.)
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BackupBusy, runBackup, type EmbeddedBackupTarget } from '../../main/backups/index.js';
import { DataFolderMissing, guardedEmbeddedStart } from '../../main/backups/restore-swap.js';
import { withClient } from '../../main/startup/database-owner.js';
import { MIGRATIONS_DIR, startAppLikeCluster, type AppLikeCluster } from './support/app-like-cluster.js';

let cluster: AppLikeCluster;
let target: EmbeddedBackupTarget;
beforeAll(async () => {
  cluster = await startAppLikeCluster('interrupted-restore', 10);
  target = {
    layout: cluster.layout,
    dataDir: cluster.dataDir,
    superuserUrl: cluster.superuserUrl('postgres'),
    superuserPassword: cluster.superuserPassword,
    migrationsDir: MIGRATIONS_DIR,
  };
}, 120_000);
afterAll(async () => cluster?.remove());

const probeCount = () =>
  withClient(
    cluster.superuserUrl(),
    async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM medicine WHERE name = 'Swap probe'`)).rows[0]!.n,
  );

function restoreChildPausedMidSwap() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'support/restore-child.ts'), cluster.dataDir, cluster.layout.root, MIGRATIONS_DIR],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stdin.end(`${cluster.superuserPassword}\n`);
  let out = '';
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const paused = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('PAUSED\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`restore child ended before pausing: ${out}`)));
  });
  return { child, paused, exited };
}

test('a restore killed between its renames is finished at the next start; never an empty cluster over backups', async () => {
  expect((await runBackup(target)).status.state).toBe('good');
  await withClient(cluster.superuserUrl(), (db) =>
    db.query(`INSERT INTO medicine (name, strength, unit) VALUES ('Swap probe', '1 mg', 'tablet')`),
  );
  await cluster.stopServer();

  const { child, paused, exited } = restoreChildPausedMidSwap();
  await paused;
  const siblings = await fs.readdir(cluster.root);
  const keptAside = siblings.filter((name) => name.startsWith('postgres.before-restore-'));
  const restoring = siblings.filter((name) => name.startsWith('postgres.restoring-'));
  expect({ live: existsSync(cluster.dataDir), keptAside: keptAside.length, restoring: restoring.length }).toEqual({
    live: false,
    keptAside: 1,
    restoring: 1,
  });
  expect(existsSync(path.join(cluster.layout.root, 'restore-swap.json'))).toBe(true);

  // While the restore holds the lock, the app's start waits for it instead of starting a server.
  let starts = 0;
  const start = async () => {
    starts += 1;
    await cluster.startServer();
  };
  await expect(guardedEmbeddedStart(cluster.root, cluster.dataDir, start)).rejects.toThrow(BackupBusy);
  expect(starts).toBe(0);

  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  // The next start settles the swap (the dead restore's lock is stale) and runs the restored copy.
  const logged: string[] = [];
  await guardedEmbeddedStart(cluster.root, cluster.dataDir, start, (line) => logged.push(line));
  expect(starts).toBe(1);
  expect(logged.join('\n')).toMatch(/An interrupted restore was completed/);
  expect(await probeCount()).toBe(1); // the restored database (latest state), not a fresh one
  expect(existsSync(path.join(cluster.root, keptAside[0]!))).toBe(true);
  expect(existsSync(path.join(cluster.layout.root, 'restore-swap.json'))).toBe(false);

  // A data folder lost outright: with backups present, no empty cluster is created.
  await cluster.stopServer();
  const lost = path.join(cluster.root, 'postgres-lost');
  await fs.rename(cluster.dataDir, lost);
  const refused = guardedEmbeddedStart(cluster.root, cluster.dataDir, start);
  await expect(refused).rejects.toThrow(DataFolderMissing);
  await expect(refused).rejects.toThrow(/npm run restore -- --latest/);
  expect([starts, existsSync(path.join(cluster.dataDir, 'PG_VERSION'))]).toEqual([1, false]);
  await fs.rename(lost, cluster.dataDir);
  await guardedEmbeddedStart(cluster.root, cluster.dataDir, start);
  console.log(
    `restore SIGKILLed between renames (live folder aside: ${keptAside[0]}, copy: ${restoring[0]}); start during the restore: refused (busy); ` +
      `next start: ${logged[0]}; probe rows: ${await probeCount()}; start with the folder lost and backups present: refused, starts=${starts - 1}`,
  );
}, 300_000);
