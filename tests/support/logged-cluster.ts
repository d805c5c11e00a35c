// A PostgreSQL of its own for a test that reads the server's log as a DBA would (the shared test cluster's
// log is not readable from a test): migrated as the superuser-free schema would be, with demo data, and every
// line of the server's stderr kept.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, vi } from 'vitest';
import { createKysely, createPool } from '../../main/db/connection.js';
import { startEmbeddedServer } from '../../main/db/embedded-server.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';

export interface LoggedCluster {
  /** A URL to the `clinic` database, as the superuser unless another login is named. */
  url(user?: string, password?: string): string;
  /** The superuser, for arranging the cluster. */
  owner: pg.Pool;
  /** Everything the server has logged up to a marker logged now (written before this returns). */
  logSoFar(): Promise<string>;
  stop(): Promise<void>;
}

export async function startLoggedCluster(label: string, demo: { patients: number; demoPassword: string }): Promise<LoggedCluster> {
  // Not mkdtemp: that folder is 0700 and PostgreSQL may run as another user when we are root.
  const root = path.join(os.tmpdir(), `clinic-${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  const serverLog: string[] = [];
  const server = await startEmbeddedServer({
    dataDir: path.join(root, 'db'),
    superuserPassword: randomBytes(18).toString('base64url'),
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    onLog: (line) => serverLog.push(line),
  });
  const url = (user = server.user, password = server.password) =>
    `postgres://${user}:${encodeURIComponent(password)}@${server.host}:${server.port}/clinic`;
  const admin = new pg.Client({ connectionString: url().replace(/\/clinic$/, '/postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE clinic');
  await admin.end();
  const owner = createPool({ connectionString: url(), max: 2 });
  const ownerDb = createKysely(createPool({ connectionString: url(), max: 1 }));
  await migrateToLatest(createMigrator(ownerDb, path.resolve(import.meta.dirname, '../../migrations')));
  await ownerDb.destroy();
  await seedDemoData(owner, { ...demo, today: new Date() });
  return {
    url,
    owner,
    async logSoFar() {
      // RAISE LOG reaches the log whatever log_statement says.
      const marker = `log-marker-${randomBytes(6).toString('hex')}`;
      await owner.query(`DO $$ BEGIN RAISE LOG '${marker}'; END $$`);
      await vi.waitFor(() => expect(serverLog.join('')).toContain(marker), { timeout: 5_000, interval: 20 });
      return serverLog.join('');
    },
    async stop() {
      await owner.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
