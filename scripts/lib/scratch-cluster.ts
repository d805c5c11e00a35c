import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../main/db/embedded-server.js';
import { createRequiredExtensions, ensureOwnerRole, OWNER_ROLE, withClient } from '../../main/startup/database-owner.js';

export interface ScratchCluster {
  server: EmbeddedServer;
  /** The schema owner (clinic_owner: not superuser, CREATEROLE, CREATEDB) for a database here. */
  ownerUrl(database: string): string;
  /** The cluster's superuser, which only bootstraps (roles, databases, extensions) and cleans up. */
  superuserUrl(database: string): string;
  stop(): Promise<void>;
}

/**
 * A throwaway embedded PostgreSQL for tests, benchmarks and code generation, set up as a hospital
 * server is: the superuser makes a non-superuser owner, which migrates and seeds. Passwords live
 * only in this process's memory, and the folder is removed on stop.
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
  const url = (user: string, password: string) => (database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${server.host}:${server.port}/${database}`;
  const superuserUrl = url(server.user, server.password);
  const owner = { user: OWNER_ROLE, password: randomBytes(18).toString('base64url') };
  try {
    await withClient(superuserUrl('postgres'), (admin) => ensureOwnerRole(admin, owner.user, owner.password, true));
    // In template1, as a DBA pre-creates them: every database made here afterwards has the extensions.
    await withClient(superuserUrl('template1'), createRequiredExtensions);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  return {
    server,
    ownerUrl: url(owner.user, owner.password),
    superuserUrl,
    stop: async () => {
      await server.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** CREATE DATABASE as whoever `url` names (the owner may, with CREATEDB); `owner` needs a superuser. */
export async function createDatabase(url: string, name: string, template?: string, owner?: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
    const ownedBy = owner ? ` OWNER ${pg.escapeIdentifier(owner)}` : '';
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}${ownedBy}`);
  } finally {
    await client.end();
  }
}
