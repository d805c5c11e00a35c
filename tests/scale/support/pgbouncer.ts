// Debian's PgBouncer in transaction pooling mode in front of a test database, as a hospital would run it:
// clients authenticate with SCRAM against the login's verifier copied from the server (pass-through: no
// password in any file), PgBouncer logs into the server with the same SCRAM keys. Config and auth file
// live in a 0700 temp folder removed on stop.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, vi } from 'vitest';
import { PINNED_LOG_SETTINGS } from '../../../main/db/connection.js';
import { freePort } from '../../../main/db/embedded-server.js';

export const pgbouncerBin = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';
export const hasPgbouncer = () => existsSync(pgbouncerBin);

export interface PgBouncer {
  port: number;
  /** A URL through PgBouncer to `database` (the same name as on the server). */
  url(user: string, password: string, database: string): string;
  /** PgBouncer's own SHOW command (stats, pools) on its admin console, as a stats user. */
  show(what: 'STATS' | 'POOLS' | 'SERVERS', user: string, password: string): Promise<Record<string, string>[]>;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  server: { host: string; port: number };
  databases: string[];
  /** Login roles and their SCRAM verifiers as the server stores them (pg_authid.rolpassword). */
  users: { name: string; verifier: string }[];
  /** Server connections per database and user: 1 makes every client share one server session. */
  poolSize: number;
}

/** The app's pinned log settings, applied by PgBouncer on each new server connection (the startup packet's `options` does not pass it). */
export const pinnedSettingsQuery = () =>
  Object.entries(PINNED_LOG_SETTINGS)
    .map(([name, value]) => `SET ${name} = ${value}`)
    .join('; ');

/** PgBouncer refuses to run as root: then it runs as the OS user postgres (-u), which must read its folder. */
function runAsUser(): { uid: number; gid: number; name: string } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g'), name: 'postgres' };
}

export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clinic-pgbouncer-'));
  const owner = runAsUser();
  const port = await freePort();
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const config = [
    '[databases]',
    ...options.databases.map(
      (db) =>
        `${db} = host=${options.server.host} port=${options.server.port} dbname=${db} pool_size=${options.poolSize} connect_query='${pinnedSettingsQuery()}'`,
    ),
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${options.poolSize}`,
    'max_client_conn = 500',
    // pg sends the pinned log settings as `options`; PgBouncer cannot forward it, connect_query applies them instead.
    'ignore_startup_parameters = options',
    `stats_users = ${options.users.map((u) => u.name).join(', ')}`,
    'server_tls_sslmode = disable',
    'log_connections = 0',
    'log_disconnections = 0',
  ].join('\n');
  await fs.writeFile(path.join(dir, 'pgbouncer.ini'), `${config}\n`, { mode: 0o600 });
  await fs.writeFile(path.join(dir, 'userlist.txt'), options.users.map((u) => `${quote(u.name)} ${quote(u.verifier)}`).join('\n') + '\n', {
    mode: 0o600,
  });
  if (owner) for (const f of ['', 'pgbouncer.ini', 'userlist.txt']) await fs.chown(path.join(dir, f), owner.uid, owner.gid);

  const output: string[] = [];
  const child: ChildProcess = spawn(pgbouncerBin, [...(owner ? ['-u', owner.name] : []), path.join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT'); // immediate shutdown
      await exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    // Ready when it accepts a TCP connection (its log says "process up" first).
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`pgbouncer exited: ${output.join('')}`);
        expect(output.join('')).toMatch(/process up/);
      },
      { timeout: 20_000, interval: 20 },
    );
  } catch (error) {
    await stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${output.join('')}`, { cause: error });
  }
  const url = (user: string, password: string, database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async show(what, user, password) {
      // The admin console speaks only the simple protocol: no parameters.
      const client = new pg.Client({ connectionString: url(user, password, 'pgbouncer') });
      await client.connect();
      try {
        return (await client.query(`SHOW ${what}`)).rows as Record<string, string>[];
      } finally {
        await client.end();
      }
    },
    stop,
  };
}

/** The login's SCRAM verifier as the server stores it (superuser only), for PgBouncer's auth file. */
export async function serverVerifier(superuser: pg.ClientConfig | string, role: string): Promise<string> {
  const client = new pg.Client(typeof superuser === 'string' ? { connectionString: superuser } : superuser);
  await client.connect();
  try {
    const { rows } = await client.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
    if (!rows[0]?.rolpassword?.startsWith('SCRAM-SHA-256$')) throw new Error(`${role} has no SCRAM verifier on the server`);
    return rows[0].rolpassword;
  } finally {
    await client.end();
  }
}
