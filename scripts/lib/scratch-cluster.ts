import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../main/db/embedded-server.js';

export interface ScratchCluster {
  server: EmbeddedServer;
  /** Superuser (owner) connection URL for a database in this cluster. */
  ownerUrl(database: string): string;
  stop(): Promise<void>;
}

/**
 * A throwaway embedded PostgreSQL for tests, benchmarks and code generation. Its password lives
 * only in this process's memory, and its folder is removed on stop.
 */
export async function startScratchCluster(label: string): Promise<ScratchCluster> {
  // Not mkdtemp: that folder is 0700 and PostgreSQL may run as another user when we are root.
  const root = path.join(os.tmpdir(), `clinic-${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(root, { recursive: true, mode: 0o755 });
  const server = await startEmbeddedServer({
    dataDir: path.join(root, 'db'),
    superuserPassword: randomBytes(18).toString('base64url'),
    // Throwaway data: durability buys nothing here and costs seconds per test run.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
  });
  const ownerUrl = (database: string) =>
    `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${database}`;
  return {
    server,
    ownerUrl,
    stop: async () => {
      await server.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

export async function createDatabase(ownerUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`);
  } finally {
    await client.end();
  }
}
