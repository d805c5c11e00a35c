// Attack (review, medium): a crafted backup folder ran a shell command and wrote outside the data
// folder when it was verified or restored. Each attack below edits a copy of a good backup as an
// attacker with disk access would (manifest checksums rewritten to match) and verifies it: nothing
// runs, nothing is written outside the scratch copy. Seen succeeding against the old code: the
// review's script (recovery_end_command ran as the server's user, a folder was made outside the
// scratch copy), the pg_control link (the file outside was rewritten and chowned to postgres) and the
// quoted archive path (restore_command ran `touch` in /tmp).
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RESTORABLE_TABLES, RestorableTable } from '../../contract/backups.js';
import { backupFolder, backupLayout, readManifest, runBackup, verifyBackup, type EmbeddedBackupTarget } from '../../main/backups/index.js';
import { materialiseBackup, restoreCommand } from '../../main/backups/recovered-cluster.js';
import { walSegmentsBetween } from '../../main/backups/verify-backup.js';
import { withClient } from '../../main/startup/database-owner.js';
import { MIGRATIONS_DIR, startAppLikeCluster, type AppLikeCluster } from './support/app-like-cluster.js';
import { tamperedCopy } from './support/tampered-backup.js';

let cluster: AppLikeCluster;
let target: EmbeddedBackupTarget;
let goodId: string;
const markers: string[] = [];
/** A file the server's user could create (in /tmp), whose existence proves a command ran. */
const marker = () => {
  const file = path.join(os.tmpdir(), `clinic-pwned-${randomBytes(4).toString('hex')}`);
  markers.push(file);
  return file;
};

beforeAll(async () => {
  cluster = await startAppLikeCluster('hostile-backup', 10);
  target = {
    layout: cluster.layout,
    dataDir: cluster.dataDir,
    superuserUrl: cluster.superuserUrl('postgres'),
    superuserPassword: cluster.superuserPassword,
    migrationsDir: MIGRATIONS_DIR,
  };
  const first = await runBackup(target);
  expect(first.status.state).toBe('good');
  goodId = first.manifest.id;
}, 120_000);
afterAll(async () => {
  await cluster?.remove();
  for (const file of markers) await fs.rm(file, { force: true });
});

const verify = (id: string) => verifyBackup(id, target);

test("commands and libraries in the backup's configuration files never run; the restored copy gets the app's own", async () => {
  const [ran, cleaned] = [marker(), marker()];
  const id = await tamperedCopy(cluster.layout, goodId, async (data) => {
    await fs.appendFile(
      path.join(data, 'postgresql.auto.conf'),
      `recovery_end_command = 'id > ${ran}'\nsession_preload_libraries = 'evil_lib'\n`,
    );
    await fs.appendFile(
      path.join(data, 'postgresql.conf'),
      `archive_cleanup_command = 'id > ${cleaned}'\nlocal_preload_libraries = 'evil_lib'\ninclude_if_exists '/etc/clinic-evil.conf'\nexternal_pid_file = '${cleaned}.pid'\n`,
    );
    await fs.writeFile(path.join(data, 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\nlocal all all trust\n');
  });
  const status = await verify(id);
  expect({ ran: existsSync(ran), cleaned: existsSync(cleaned), pid: existsSync(`${cleaned}.pid`) }).toEqual({
    ran: false,
    cleaned: false,
    pid: false,
  });
  expect(status).toMatchObject({ state: 'good', reason: null }); // its data is fine; its configuration was never used

  const copy = path.join(cluster.root, `materialised-${randomBytes(3).toString('hex')}`);
  await materialiseBackup(backupFolder(cluster.layout, id), await readManifest(backupFolder(cluster.layout, id)), copy);
  const conf = await fs.readFile(path.join(copy, 'postgresql.conf'), 'utf8');
  const auto = await fs.readFile(path.join(copy, 'postgresql.auto.conf'), 'utf8');
  const hba = await fs.readFile(path.join(copy, 'pg_hba.conf'), 'utf8');
  expect(`${conf}${auto}`).not.toMatch(/_command|preload|include|external_pid/);
  expect(hba).not.toMatch(/trust/);
  expect(conf).toMatch(/^max_connections = 100$/m); // initdb's own settings are kept
  await fs.rm(copy, { recursive: true, force: true });
  console.log(
    `crafted configuration in backup ${id}: verified ${status.state}; commands run: 0; restored copy's pg_hba.conf: ${hba.split('\n').length - 2} scram-sha-256 lines, no trust`,
  );
}, 120_000);

test('paths outside the data folder, links and unlisted files in a backup are refused or left out', async () => {
  const escaped = path.join(cluster.root, 'escaped-dir');
  const refused: Record<string, string | null> = {};
  const outsideDir = await tamperedCopy(cluster.layout, goodId, async (_data, m) => void m.directories.push('../../../escaped-dir'));
  refused['directory ../'] = (await verify(outsideDir)).reason;
  const outsideFile = await tamperedCopy(cluster.layout, goodId, async (data, m) => {
    await fs.writeFile(path.join(data, '..', '..', 'x'), 'x');
    m.files.push({ path: '../../x', size: 1, sha256: '0'.repeat(64) });
  });
  refused['file ../'] = (await verify(outsideFile)).reason;
  const absolute = await tamperedCopy(
    cluster.layout,
    goodId,
    async (_data, m) => void m.directories.push(path.join(cluster.root, 'escaped-dir')),
  );
  refused['absolute directory'] = (await verify(absolute)).reason;

  // A listed file replaced by a link to a file outside with the same bytes: the server would write
  // pg_control through it (and, run as root, the copy would be chowned through it too).
  const victim = path.join(cluster.root, 'victim-pg_control');
  const linked = await tamperedCopy(cluster.layout, goodId, async (data) => {
    await fs.copyFile(path.join(data, 'global', 'pg_control'), victim);
    await fs.rm(path.join(data, 'global', 'pg_control'));
    await fs.symlink(victim, path.join(data, 'global', 'pg_control'));
  });
  const victimBefore = await fs.readFile(victim);
  const victimOwner = (await fs.stat(victim)).uid;
  refused['link'] = (await verify(linked)).reason;
  expect(await fs.readFile(victim)).toEqual(victimBefore);
  expect((await fs.stat(victim)).uid).toBe(victimOwner);

  const listedMap = await tamperedCopy(cluster.layout, goodId, async (data, m) => {
    await fs.writeFile(path.join(data, 'tablespace_map'), `16390 ${cluster.root}\n`);
    m.files.push({ path: 'tablespace_map', size: 0, sha256: '0'.repeat(64) });
  });
  refused['tablespace_map'] = (await verify(listedMap)).reason;

  expect(existsSync(escaped)).toBe(false);
  expect(refused).toEqual({
    'directory ../': expect.stringMatching(/manifest is not valid \(directories\.\d+: a path outside the data folder\)/),
    'file ../': expect.stringMatching(/manifest is not valid \(files\.\d+\.path: a path outside the data folder\)/),
    'absolute directory': expect.stringMatching(/a path outside the data folder/),
    link: expect.stringMatching(/global\/pg_control is not a regular file/),
    tablespace_map: expect.stringMatching(/a tablespace_map/),
  });

  // Files not in the manifest (a tablespace_map, anything else) are never copied into a restore.
  const unlisted = await tamperedCopy(cluster.layout, goodId, async (data) => {
    await fs.writeFile(path.join(data, 'tablespace_map'), `16390 ${cluster.root}\n`);
    await fs.writeFile(path.join(data, 'global', 'unlisted'), 'x');
  });
  const copy = path.join(cluster.root, `materialised-${randomBytes(3).toString('hex')}`);
  await materialiseBackup(backupFolder(cluster.layout, unlisted), await readManifest(backupFolder(cluster.layout, unlisted)), copy);
  expect([existsSync(path.join(copy, 'tablespace_map')), existsSync(path.join(copy, 'global', 'unlisted'))]).toEqual([false, false]);
  await fs.rm(copy, { recursive: true, force: true });
  expect((await verify(unlisted)).state).toBe('good');
  console.log(`refused: ${JSON.stringify(refused)}; unlisted tablespace_map and file left out; nothing written outside`);
}, 180_000);

test('WAL names in a manifest must be segment names in order and a sane span', async () => {
  const reasons: string[] = [];
  const attacks: [string, string][] = [
    ['../../../../etc/passwd', '000000010000000000000002'],
    ['000000010000000000000005', '000000010000000000000004'],
    ['000000010000000000000001', '000000010000FFFF000000FF'], // would have looped over billions of names
    ['000000010000000000000001', '000000020000000000000001'],
  ];
  for (const [start, stop] of attacks) {
    const id = await tamperedCopy(
      cluster.layout,
      goodId,
      async (_data, m) => void Object.assign(m, { startWalFile: start, stopWalFile: stop }),
    );
    reasons.push((await verify(id)).reason ?? 'accepted');
  }
  // A real backup may cross a log id (every 4 GB of WAL): listed segment by segment, not 4 billion steps.
  expect(walSegmentsBetween('0000000100000000000000FE', '000000010000000100000001')).toEqual([
    '0000000100000000000000FE',
    '0000000100000000000000FF',
    '000000010000000100000000',
    '000000010000000100000001',
  ]);
  console.log(`WAL name attacks: ${reasons.join(' | ')}`);
  expect(reasons.every((r) => /manifest is not valid/.test(r))).toBe(true);
}, 60_000);

test('an archive path that a shell would read is refused, not run, in restore_command', async () => {
  const pwned = marker();
  // cwd is the copy's data folder: climb to / and touch a file in /tmp, with no slash in the name.
  const hostile = `bk"; ${'cd ..; '.repeat(12)}cd ${path.basename(path.dirname(pwned))}; touch ${path.basename(pwned)}; "`;
  const layout = backupLayout(path.join(cluster.root, hostile));
  await fs.mkdir(layout.baseDir, { recursive: true, mode: 0o755 });
  await fs.cp(cluster.layout.walDir, layout.walDir, { recursive: true });
  await fs.cp(backupFolder(cluster.layout, goodId), backupFolder(layout, goodId), { recursive: true });
  const status = await verifyBackup(goodId, { ...target, layout });
  expect(existsSync(pwned)).toBe(false);
  expect(status).toMatchObject({ state: 'bad', reason: expect.stringMatching(/quote, \$, backtick, % or line break/) });
  for (const bad of ['a"b', "a'b", 'a$b', 'a`b', 'a%b', 'a\nb']) expect(() => restoreCommand(`/data/${bad}`)).toThrow(/cannot use safely/);
  console.log(`hostile archive folder ${JSON.stringify(hostile)}: ${status.state} (${status.reason}); command run: ${existsSync(pwned)}`);
}, 120_000);

test('no table row level security trusts to decide who sees what can be restored from a backup (its deletes cascade unseen)', async () => {
  // Trusted: read by the app_* RLS helpers and open to every reader (their SELECT policy is "true", migration 016).
  const [sources, open] = await withClient(
    cluster.superuserUrl(),
    async (db) =>
      [
        (
          await db.query<{ src: string }>(
            `SELECT prosrc AS src FROM pg_proc WHERE proname LIKE 'app\\_%' AND pronamespace = 'public'::regnamespace`,
          )
        ).rows,
        (
          await db.query<{ t: string }>(
            `SELECT DISTINCT tablename AS t FROM pg_policies WHERE schemaname = 'public' AND cmd IN ('SELECT', 'ALL') AND qual = 'true'`,
          )
        ).rows.map((r) => r.t),
      ] as const,
  );
  const read = new Set(
    sources.flatMap((s) => [...s.src.matchAll(/\b(?:FROM|JOIN)\s+(?:public\.)?([a-z_]+)/gi)].map((m) => m[1]!.toLowerCase())),
  );
  const trusted = [...read].filter((t) => open.includes(t)).sort();
  console.log(
    `tables RLS trusts (read by its helpers, open to every reader): ${trusted.join(', ')}; restorable: ${RESTORABLE_TABLES.join(', ')}`,
  );
  expect(trusted).toEqual(expect.arrayContaining(['doctors', 'staff', 'rooms', 'users', 'user_roles']));
  expect(RESTORABLE_TABLES.filter((t) => trusted.includes(t))).toEqual([]);
  for (const table of ['doctors', 'staff', 'rooms', 'users']) expect(RestorableTable.safeParse(table).success).toBe(false);
});
