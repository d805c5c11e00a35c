// Proof for issue #12: a backup process SIGKILLed in the middle of its copy leaves the previous
// backup intact (it still verifies) and nothing that looks like a backup, and the next one succeeds;
// a backup with one altered file is reported bad and is never restored. Real PostgreSQL and archive.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  backupFolder,
  chooseBackup,
  listBackups,
  restoreDataFolder,
  reverifyBackup,
  runBackup,
  RestoreRefused,
  type EmbeddedBackupTarget,
} from '../../main/backups/index.js';
import { MIGRATIONS_DIR, startAppLikeCluster, type AppLikeCluster } from './support/app-like-cluster.js';

let cluster: AppLikeCluster;
let target: EmbeddedBackupTarget;
beforeAll(async () => {
  cluster = await startAppLikeCluster('backup-kill', 20);
  target = {
    layout: cluster.layout,
    dataDir: cluster.dataDir,
    superuserUrl: cluster.superuserUrl('postgres'),
    superuserPassword: cluster.superuserPassword,
    migrationsDir: MIGRATIONS_DIR,
  };
}, 120_000);
afterAll(async () => cluster?.remove());

const PAUSE_AT_FILE = 200;

/** Runs the backup child until it reports it is mid-copy; resolves with the child and what it printed. */
function backupChildPausedMidCopy() {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'support/backup-child.ts'),
      cluster.dataDir,
      cluster.layout.root,
      String(cluster.server.port),
      MIGRATIONS_DIR,
      String(PAUSE_AT_FILE),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stdin.end(`${cluster.superuserPassword}\n`);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const paused = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('PAUSED\n')) resolve(out);
    });
    child.on('exit', () => reject(new Error(`backup child ended before pausing: ${out}${err}`)));
  });
  return { child, paused, exited };
}

async function backupSessions(): Promise<number> {
  const db = new pg.Client({ connectionString: cluster.superuserUrl('postgres') });
  await db.connect();
  try {
    return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'clinic-backup'`))
      .rows[0]!.n;
  } finally {
    await db.end();
  }
}

test('a backup SIGKILLed mid-copy leaves the previous one intact, and the next backup succeeds', async () => {
  const first = await runBackup(target);
  expect(first.status.state).toBe('good');

  const { child, paused, exited } = backupChildPausedMidCopy();
  const printed = await paused;
  const lastProgress = JSON.parse(printed.trim().split('\n').at(-2)!) as { filesDone: number; filesTotal: number; phase: string };
  expect(lastProgress).toMatchObject({ phase: 'copying', filesDone: PAUSE_AT_FILE });
  const partials = (await fs.readdir(cluster.layout.baseDir)).filter((name) => name.startsWith('.partial-'));
  expect(partials).toHaveLength(1);
  expect(await backupSessions()).toBe(1); // the child's session holds pg_backup_start
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  // The server ends a backup whose session dies; nothing half-copied is listed as a backup.
  await expect.poll(backupSessions, { timeout: 20_000 }).toBe(0);
  const listed = await listBackups(cluster.layout);
  expect(listed.map((b) => b.id)).toEqual([first.manifest.id]);
  const recheck = await reverifyBackup(target, first.manifest.id); // the previous backup still restores and checks out
  expect(recheck).toMatchObject({ state: 'good', reason: null });

  const next = await runBackup(target);
  expect(next.status).toMatchObject({ state: 'good', reason: null });
  expect((await fs.readdir(cluster.layout.baseDir)).filter((name) => name.startsWith('.partial-'))).toEqual([]);
  expect(existsSync(cluster.layout.lockFile)).toBe(false);
  console.log(
    `killed mid-copy at file ${lastProgress.filesDone}/${lastProgress.filesTotal} (${partials[0]}); previous backup ${first.manifest.id} re-verified: ` +
      `${recheck.state} (${recheck.checks.join('; ')}); next backup ${next.manifest.id}: ${next.status.state}; partial folders left: 0`,
  );
}, 240_000);

test('a backup with one altered file is reported bad and is never restored', async () => {
  const [newest, older] = await listBackups(cluster.layout);
  const folder = backupFolder(cluster.layout, newest!.id);
  // The largest table file: flip one byte in its middle, as a failing disk would.
  const manifest = JSON.parse(await fs.readFile(path.join(folder, 'backup-manifest.json'), 'utf8')) as {
    files: { path: string; size: number }[];
  };
  const victim = manifest.files.filter((f) => f.path.startsWith('base')).sort((a, b) => b.size - a.size)[0]!;
  const file = await fs.open(path.join(folder, 'data', victim.path), 'r+');
  const byte = Buffer.alloc(1);
  await file.read(byte, 0, 1, Math.floor(victim.size / 2));
  await file.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, Math.floor(victim.size / 2));
  await file.close();

  const status = await reverifyBackup(target, newest!.id);
  expect(status.state).toBe('bad');
  expect(status.reason).toContain(`${victim.path} does not match its SHA-256 checksum`);
  expect((await listBackups(cluster.layout))[0]).toMatchObject({ id: newest!.id, state: 'bad' });

  await cluster.stopServer();
  try {
    const refused = restoreDataFolder({ ...target, target: { kind: 'latest' }, backupId: newest!.id });
    await expect(refused).rejects.toThrow(RestoreRefused);
    await expect(refused).rejects.toThrow(/marked bad/);
    // Asked for the latest state without naming one, the restore passes over the bad backup.
    expect((await chooseBackup(cluster.layout, { kind: 'latest' })).id).toBe(older!.id);
  } finally {
    await cluster.startServer();
  }
  console.log(
    `altered ${victim.path} (${victim.size} bytes) in ${newest!.id}: ${status.state} — ${status.reason}; restore refused; latest restore would use ${older!.id}`,
  );
}, 120_000);
