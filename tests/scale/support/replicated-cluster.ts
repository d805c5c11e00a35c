// A Debian PostgreSQL primary with a streaming hot standby made by `pg_basebackup -R`, as a hospital DBA
// would set one up: both in one throwaway folder on free ports, TCP on 127.0.0.1 with SCRAM, superusers
// only through the folder's Unix socket; run as the OS user postgres when we are root.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../../main/db/embedded-server.js';
import { binDir } from '../../support/system-postgres.js';

const run = promisify(execFile);
export type Node = 'primary' | 'standby';

export interface ReplicatedCluster {
  port: Record<Node, number>;
  /** The superuser over the folder's Unix socket. */
  superuser(node: Node, database: string): pg.ClientConfig;
  /** Any login role over TCP with its password. */
  login(node: Node, user: string, password: string, database: string): string;
  /** Runs one statement as the superuser and returns its rows. */
  query<R extends object>(node: Node, database: string, text: string, params?: unknown[]): Promise<R[]>;
  stopStandby(): Promise<void>;
  /** Starts a stopped standby again: it resumes streaming from where it stopped. */
  startStandby(): Promise<void>;
  /** Promotes the standby to a primary of its own (a failover), waiting until it accepts writes. */
  promoteStandby(): Promise<void>;
  stop(): Promise<void>;
}

function serverUser(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startReplicatedCluster(major: number, label: string): Promise<ReplicatedCluster> {
  const bin = (name: string) => path.join(binDir(major), name);
  const runAs = serverUser();
  // Not mkdtemp (0700): the servers may run as another user and must reach their folders.
  const root = path.join(os.tmpdir(), `clinic-${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  if (runAs) await fs.chown(root, runAs.uid, runAs.gid);
  const options = { ...runAs, cwd: root, env: { ...process.env, LC_ALL: 'C' } };
  const dataDir = { primary: path.join(root, 'primary'), standby: path.join(root, 'standby') };
  const port = { primary: await freePort(), standby: await freePort() };
  const settings = (node: Node) =>
    [
      `-p ${port[node]}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${root}`,
      '-c unix_socket_permissions=0700',
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c wal_level=replica',
      '-c max_wal_senders=4',
      '-c hot_standby=on',
      // A standby query is never cancelled for replay within the test's short reads.
      '-c hot_standby_feedback=on',
    ].join(' ');
  const pgCtl = (node: Node, ...args: string[]) => run(bin('pg_ctl'), ['-D', dataDir[node], ...args], options);
  // -w: pg_ctl waits until the server accepts connections (a hot standby: once it is consistent).
  const running = { primary: false, standby: false };
  const start = async (node: Node) => {
    await pgCtl(node, 'start', '-w', '-t', '60', '-l', path.join(root, `${node}.log`), '-o', settings(node));
    running[node] = true;
  };
  const stopNode = async (node: Node) => {
    if (!running[node]) return;
    await pgCtl(node, 'stop', '-w', '-m', 'fast').catch(() => pgCtl(node, 'stop', '-m', 'immediate'));
    running[node] = false;
  };
  const superuser = (node: Node, database: string): pg.ClientConfig => ({ host: root, port: port[node], user: 'postgres', database });
  const query = async <R extends object>(node: Node, database: string, text: string, params: unknown[] = []) => {
    const client = new pg.Client(superuser(node, database));
    await client.connect();
    try {
      return (await client.query<R>(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  try {
    await run(
      bin('initdb'),
      ['-D', dataDir.primary, '-U', 'postgres', '--encoding=UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256'],
      options,
    );
    await start('primary');
    // The standby: a base backup over the replication protocol, -R writes standby.signal and primary_conninfo.
    await run(
      bin('pg_basebackup'),
      ['-D', dataDir.standby, '-R', '-X', 'stream', '-c', 'fast', '-h', root, '-p', `${port.primary}`, '-U', 'postgres'],
      options,
    );
    await start('standby');
    // Streaming once the primary lists the standby's WAL receiver as such.
    for (let tries = 0; ; tries += 1) {
      const rows = await query<{ state: string }>('primary', 'postgres', 'SELECT state FROM pg_stat_replication');
      if (rows[0]?.state === 'streaming') break;
      if (tries > 600) throw new Error('the standby never started streaming');
      await query('primary', 'postgres', 'SELECT pg_sleep(0.05)');
    }
  } catch (error) {
    const logs = await Promise.all(['primary', 'standby'].map((n) => fs.readFile(path.join(root, `${n}.log`), 'utf8').catch(() => '')));
    for (const node of ['standby', 'primary'] as const) await pgCtl(node, 'stop', '-m', 'immediate').catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL ${major} primary + standby did not start: ${(error as Error).message}\n${logs.join('\n')}`, {
      cause: error,
    });
  }
  return {
    port,
    superuser,
    login: (node, user, password, database) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port[node]}/${database}`,
    query,
    stopStandby: async () => void (await stopNode('standby')),
    startStandby: () => start('standby'),
    promoteStandby: async () => void (await pgCtl('standby', 'promote', '-w', '-t', '60')),
    async stop() {
      await stopNode('standby');
      await stopNode('primary');
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** Waits (polling the server's own state, not the clock) until the standby has replayed everything the primary has written so far. */
export async function waitForReplay(cluster: ReplicatedCluster): Promise<void> {
  const [{ lsn }] = (await cluster.query<{ lsn: string }>('primary', 'postgres', 'SELECT pg_current_wal_lsn()::text AS lsn')) as [
    { lsn: string },
  ];
  for (let tries = 0; ; tries += 1) {
    const [row] = await cluster.query<{ caught_up: boolean }>(
      'standby',
      'postgres',
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up',
      [lsn],
    );
    if (row?.caught_up) return;
    if (tries > 2000) throw new Error(`the standby never replayed past ${lsn}`);
    await cluster.query('standby', 'postgres', 'SELECT pg_sleep(0.01)');
  }
}
