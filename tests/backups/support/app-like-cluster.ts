// An embedded PostgreSQL set up as the app's own (main/startup/open-database.ts): WAL archived into
// <root>/backups/wal with basic_archive, full_page_writes on (a hot copy needs them), the superuser
// only bootstrapping clinic_owner, which migrates and seeds a small demo. Passwords stay in memory.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupLayout, type BackupLayout } from '../../../main/backups/index.js';
import { createKysely, createPool } from '../../../main/db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../../main/db/embedded-server.js';
import { createMigrator, migrateToLatest } from '../../../main/db/migrator.js';
import { seedDemoData } from '../../../main/seed/seed-demo-data.js';
import { bootstrapDatabaseOwner, OWNER_ROLE } from '../../../main/startup/database-owner.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations');

export interface AppLikeCluster {
  root: string;
  dataDir: string;
  layout: BackupLayout;
  superuserPassword: string;
  ownerPassword: string;
  /** The demo accounts' password (admin@demo.clinic, nurse@…). */
  demoPassword: string;
  server: EmbeddedServer;
  superuserUrl(database?: string): string;
  ownerUrl(database?: string): string;
  /** Stops the server only (a restore swaps its folder); start() brings it back on the same port. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  remove(): Promise<void>;
}

export async function startAppLikeCluster(label: string, patients = 60): Promise<AppLikeCluster> {
  // Not mkdtemp: that folder is 0700 and PostgreSQL runs as another user when we are root.
  const root = path.join(os.tmpdir(), `clinic-${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  const layout = backupLayout(path.join(root, 'backups'));
  const superuserPassword = randomBytes(18).toString('base64url');
  const ownerPassword = randomBytes(18).toString('base64url');
  const demoPassword = randomBytes(9).toString('base64url');
  const dataDir = path.join(root, 'postgres');
  const start = (port?: number) =>
    startEmbeddedServer({ dataDir, superuserPassword, archiveDir: layout.walDir, ...(port ? { port } : {}), settings: { fsync: 'off' } });
  let server = await start();
  const url =
    (user: string, password: string) =>
    (database = 'clinic') =>
      `postgres://${user}:${encodeURIComponent(password)}@${server.host}:${server.port}/${database}`;
  const cluster: AppLikeCluster = {
    root,
    dataDir,
    layout,
    superuserPassword,
    ownerPassword,
    demoPassword,
    get server() {
      return server;
    },
    superuserUrl: (database) => url(server.user, superuserPassword)(database),
    ownerUrl: (database) => url(OWNER_ROLE, ownerPassword)(database),
    stopServer: () => server.stop(),
    async startServer() {
      server = await start(server.port);
    },
    async remove() {
      await server.stop().catch(() => undefined);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  await bootstrapDatabaseOwner({ superuserUrl: cluster.superuserUrl, database: 'clinic', password: ownerPassword });
  const ownerDb = createKysely(createPool({ connectionString: cluster.ownerUrl(), max: 1 }));
  await migrateToLatest(createMigrator(ownerDb, MIGRATIONS_DIR));
  await ownerDb.destroy();
  const ownerPool = createPool({ connectionString: cluster.ownerUrl(), max: 1 });
  await seedDemoData(ownerPool, { patients, demoPassword, today: new Date() });
  await ownerPool.end();
  return cluster;
}
