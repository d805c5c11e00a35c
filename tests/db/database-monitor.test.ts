// The status light every screen trusts: when does a terminal call its database unreachable? Real
// PostgreSQL, a real pool; "slow" is a pool whose one connection another caller holds, "gone" is a link
// whose far end is closed. No clock is faked: the test waits for states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStatus } from '../../contract/index.js';
import { createPool } from '../../main/db/connection.js';
import { createDatabaseMonitor } from '../../main/db/database-monitor.js';
import { startCuttableProxy } from '../support/cuttable-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_migrated');
});
afterAll(() => database.drop());

// Long enough that a busy machine answers a free pool's SELECT 1 well inside it.
const TIMEOUT_MS = 2000;

/** Takes the pool's one connection, as a long statement of another caller would; given back once. */
async function holdTheConnection(pool: ReturnType<typeof createPool>) {
  const client = await pool.connect();
  let held = true;
  return () => {
    if (held) client.release();
    held = false;
  };
}

function watch(pool: ReturnType<typeof createPool>) {
  const changes: DatabaseStatus['database'][] = [];
  // No interval of its own in these tests: checks run when the test (or the monitor's own re-check) asks.
  const monitor = createDatabaseMonitor({
    pool,
    mode: 'server',
    intervalMs: 600_000,
    timeoutMs: TIMEOUT_MS,
    onChange: (s) => changes.push(s.database),
  });
  return { monitor, changes };
}

describe('the database monitor', () => {
  it.each([
    ['the check', 15_000],
    ['the pool', 500], // the pool gives up first: "timeout exceeded when trying to connect"
  ])(
    'one slow check (%s timing out) leaves a connected database connected: no terminal turns read-only for a busy moment',
    async (_, connectionTimeoutMillis) => {
      const pool = createPool({ connectionString: database.appUrl, max: 1, connectionTimeoutMillis: 15_000 });
      const { monitor, changes } = watch(pool);
      let release: () => void = () => {};
      try {
        expect((await monitor.check()).database).toBe('connected');
        // Only now: the first connection may take its time to open on a busy machine.
        pool.options.connectionTimeoutMillis = connectionTimeoutMillis;
        release = await holdTheConnection(pool); // every connection in use: the next check waits past its timeout
        expect((await monitor.check()).database).toBe('connected');
        release();
        expect((await monitor.check()).database).toBe('connected');
        expect(changes).toEqual(['connected']);
      } finally {
        release();
        monitor.stop();
        await pool.end();
      }
    },
  );

  it('a database that stays silent is called unreachable at the second slow check, and connected again once it answers', async () => {
    const pool = createPool({ connectionString: database.appUrl, max: 1 });
    const { monitor, changes } = watch(pool);
    let release: () => void = () => {};
    try {
      expect((await monitor.check()).database).toBe('connected');
      release = await holdTheConnection(pool);
      await monitor.check(); // the first slow check; the monitor's own re-check is the second
      await expect.poll(() => monitor.current().database, { timeout: 20_000 }).toBe('unreachable');
      release();
      await expect.poll(async () => (await monitor.check()).database).toBe('connected');
      expect(changes).toEqual(['connected', 'unreachable', 'connected']);
    } finally {
      release();
      monitor.stop();
      await pool.end();
    }
  });

  it('a cut link (connections hang unanswered) is called unreachable at the second slow check', async () => {
    const target = new URL(database.appUrl);
    const proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port) });
    target.port = String(proxy.port);
    const pool = createPool({ connectionString: target.toString(), max: 1, connectionTimeoutMillis: 15_000 });
    const { monitor, changes } = watch(pool);
    try {
      expect((await monitor.check()).database).toBe('connected');
      (await pool.connect()).release(true); // no open connection left: the next check must open one
      proxy.cut();
      expect((await monitor.check()).database).toBe('connected'); // a new connection hangs: slow, once
      await expect.poll(() => monitor.current().database).toBe('unreachable'); // the monitor's own re-check
      expect(changes).toEqual(['connected', 'unreachable']);
      proxy.restore();
      await expect.poll(async () => (await monitor.check()).database).toBe('connected');
    } finally {
      monitor.stop();
      await pool.end().catch(() => undefined);
      await proxy.close();
    }
  });

  it('once stopped, a check still under way changes nothing (the app is closing and its pool ends)', async () => {
    const pool = createPool({ connectionString: database.appUrl, max: 1, connectionTimeoutMillis: 15_000 });
    const { monitor, changes } = watch(pool);
    let release: () => void = () => {};
    try {
      expect((await monitor.check()).database).toBe('connected');
      release = await holdTheConnection(pool);
      const underWay = monitor.check();
      monitor.stop();
      expect((await underWay).database).toBe('connected');
      expect((await monitor.check()).database).toBe('connected'); // no check after stop
      expect(changes).toEqual(['connected']);
    } finally {
      release();
      await pool.end();
    }
  });

  it('a refused connection is called unreachable at once', async () => {
    const target = new URL(database.appUrl);
    const proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port) });
    target.port = String(proxy.port);
    const pool = createPool({ connectionString: target.toString(), max: 1 });
    const { monitor, changes } = watch(pool);
    try {
      expect((await monitor.check()).database).toBe('connected');
      await proxy.close(); // the far end is gone: its port refuses, open connections are reset
      expect((await monitor.check()).database).toBe('unreachable');
      expect(changes).toEqual(['connected', 'unreachable']);
    } finally {
      monitor.stop();
      await pool.end().catch(() => undefined);
    }
  });
});
