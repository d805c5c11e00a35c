// DATABASE_REPLICA_URL on Debian's PostgreSQL 15: a primary and a streaming hot standby made by
// `pg_basebackup -R` (CI installs postgresql-15). Through the real one door: read-only handlers (declared
// with `reading()` in the handler registry) go to the standby, writes to the primary; a window/user always
// reads its own writes, even writes that failed after committing or committed with synchronous_commit=off;
// every replica read is at most maxLag behind the primary, checked inside its own transaction on its own
// connection (the read waits, bounded, for the standby to replay, else reads the primary); a paused,
// stopped or promoted standby costs a fallback, never a wrong answer; no write ever reaches the standby;
// reads that gate a clinical action (MAR, allergies, prescribing checks) never go to the standby.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientSearchResult } from '../../contract/index.js';
import { createAppCore, type AppCore } from '../../main/app-core.js';
import { createHandlers } from '../../main/app-handlers.js';
import { createSessionStore } from '../../main/auth/session-store.js';
import { scramSha256Verifier } from '../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import type { Database } from '../../main/db/database.js';
import { createReplicaRouting, terminalWrite, type PrimaryReason, type ReadPlace } from '../../main/db/replica-routing.js';
import { replayOutbox } from '../../main/scheduling/offline/replay.js';
import { failure } from '../../main/shared/failure.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';
import { binDir, hasBinaries } from '../support/system-postgres.js';
import { startReplicatedCluster, waitForReplay, type ReplicatedCluster } from './support/replicated-cluster.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const OWNER = { user: 'clinic_owner', password: 'owner-pw-for-a-throwaway-cluster' };
const TERMINAL = { user: 'desk7_terminal', password: 'terminal-pw-for-a-throwaway-cluster' };
const DEMO_PASSWORD = 'demo-pw-for-a-throwaway-cluster';
const available = hasBinaries(15);
const title = available
  ? 'read replica: a PostgreSQL 15 primary and its streaming standby'
  : `read replica — not run: no PostgreSQL 15 binaries in ${binDir(15)} (apt-get install postgresql-15)`;

// CI installs postgresql-15 (.ci/run) and sets CLINIC_REQUIRE_PG15: there missing binaries fail the run.
describe.skipIf(!available && !process.env.CLINIC_REQUIRE_PG15)(title, () => {
  let cluster: ReplicatedCluster;
  let primary: pg.Pool;
  let replica: pg.Pool;
  let core: AppCore;
  const routes: { place: ReadPlace; reason?: PrimaryReason }[] = [];
  /** Every statement the app sent to the standby, in order, with the connection it went on. */
  const onStandby: { connection: number; text: string }[] = [];
  let primaryDb: Kysely<Database>;
  let replicaDb: Kysely<Database>;

  beforeAll(async () => {
    if (!available) throw new Error(`No PostgreSQL 15 binaries in ${binDir(15)}: .ci/run installs postgresql-15.`);
    cluster = await startReplicatedCluster(15, 'replica-pg15');
    // The README's deployment, on the primary only: the standby follows by replication.
    await cluster.query(
      'primary',
      'postgres',
      `CREATE ROLE clinic_owner LOGIN CREATEROLE PASSWORD ${pg.escapeLiteral(scramSha256Verifier(OWNER.password))}`,
    );
    await cluster.query('primary', 'postgres', 'CREATE DATABASE clinic OWNER clinic_owner');
    for (const extension of ['pgcrypto', 'btree_gist', 'pg_trgm'])
      await cluster.query('primary', 'clinic', `CREATE EXTENSION IF NOT EXISTS ${extension}`);
    const ownerPool = createPool({ connectionString: cluster.login('primary', OWNER.user, OWNER.password, 'clinic'), max: 1 });
    const ownerDb = createKysely(ownerPool);
    await migrateToLatest(createMigrator(ownerDb, MIGRATIONS));
    await seedDemoData(ownerPool, { patients: 200, demoPassword: DEMO_PASSWORD, today: new Date() });
    await ownerPool.query(
      `CREATE ROLE ${TERMINAL.user} LOGIN PASSWORD ${pg.escapeLiteral(scramSha256Verifier(TERMINAL.password))} IN ROLE clinic_app`,
    );
    await ownerDb.destroy();
    // A plain table for the router's own tests (a throwaway cluster: no RLS needed to show what a read sees).
    await cluster.query('primary', 'clinic', 'CREATE TABLE replica_probe (id serial PRIMARY KEY, note text NOT NULL)');
    await cluster.query('primary', 'clinic', 'GRANT SELECT, INSERT ON replica_probe TO clinic_app');
    await cluster.query('primary', 'clinic', 'GRANT USAGE ON SEQUENCE replica_probe_id_seq TO clinic_app');
    await waitForReplay(cluster);

    primary = createPool({ connectionString: cluster.login('primary', TERMINAL.user, TERMINAL.password, 'clinic'), max: 4 });
    replica = createPool({
      connectionString: cluster.login('standby', TERMINAL.user, TERMINAL.password, 'clinic'),
      max: 4,
      connectionTimeoutMillis: 1000,
    });
    // Records what reaches the standby (the app's SQL goes through pool.connect, then client.query).
    const connect = replica.connect.bind(replica) as () => Promise<pg.PoolClient>;
    const watched = new WeakSet<pg.PoolClient>();
    let connections = 0;
    replica.connect = (async () => {
      const client = await connect();
      if (!watched.has(client)) {
        watched.add(client);
        const connection = (connections += 1);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        client.query = ((text: unknown, ...rest: unknown[]) => {
          onStandby.push({ connection, text: typeof text === 'string' ? text : String((text as { text?: string }).text) });
          return query(text, ...rest);
        }) as never;
      }
      return client;
    }) as never;
    primaryDb = createKysely(primary);
    replicaDb = createKysely(replica);
    core = createAppCore({
      pool: primary,
      replicaPool: replica,
      // Strict here, so what a paused standby may answer is certain: a read sees all committed before it began.
      replicaMaxLagMs: 0,
      mode: 'server',
      terminal: { name: 'desk-7', role: 'front_desk' },
      logInternal: (message, error) => console.error(message, error),
      onReadRouted: (place, reason) => void routes.push({ place, reason }),
    });
    for (const [window, email] of [
      ['desk', 'frontdesk@demo.clinic'],
      ['admin', 'admin@demo.clinic'],
    ]) {
      const signedIn = await core.dispatch(window!, 'session/sign-in', { email, password: DEMO_PASSWORD });
      expect(signedIn).toMatchObject({ ok: true });
    }
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    await primary?.end();
    await replica?.end();
    await cluster?.stop();
  });

  const register = async (lastName: string) => {
    const result = await core.dispatch('desk', 'patients/register-patient', { firstName: 'Replica', lastName, dateOfBirth: '1980-05-05' });
    expect(result).toMatchObject({ ok: true, value: { status: 'registered' } });
  };
  const search = async (window: string, lastName: string) => {
    const before = routes.length;
    const result = await core.dispatch(window, 'patients/search-patients', { query: `${lastName}, Replica` });
    if (!result.ok) throw new Error(result.error.message);
    expect(routes.length).toBe(before + 1);
    return { found: (result.value as PatientSearchResult[]).some((p) => p.lastName === lastName), ...routes.at(-1)! };
  };

  it('the channels that may read from the standby are the ones the handler registry declares reading()', () => {
    const handlers = Object.entries(createHandlers());
    // readingOnPrimary(): reads about the primary itself, and reads that gate a clinical action.
    const readOnly = handlers.filter(([, h]) => h.kind === 'db' && h.readOnly && !h.onPrimary).map(([c]) => c);
    console.log(`replica-eligible channels (reading()): ${readOnly.length} of ${handlers.length}: ${readOnly.join(', ')}`);
    expect(readOnly).toEqual(expect.arrayContaining(['patients/search-patients', 'patients/get-patient', 'scheduling/get-book']));
    expect(readOnly).not.toContain('patients/register-patient');
    expect(readOnly).not.toContain('patients/open-chart'); // an audited read writes its audit row: primary
    expect(readOnly).not.toContain('monitoring/get-health');
    // Bedside and prescribing safety reads: a dose or an allergy recorded a moment ago elsewhere must be seen.
    const safety = [
      'ward/get-mar',
      'ward/get-due-medicines',
      'ward/check-administration',
      'pharmacy/check-order',
      'pharmacy/get-order',
      'pharmacy/list-allergies',
    ];
    expect(readOnly.filter((c) => safety.includes(c))).toEqual([]);
    expect(safety.every((c) => handlers.some(([name, h]) => name === c && h.kind === 'db' && h.readOnly && h.onPrimary))).toBe(true);
  });

  it('read-your-writes: 30 × register a patient, then search for them at once — always found', async () => {
    const first = routes.length;
    const results = [];
    for (let i = 0; i < 30; i += 1) {
      const name = `Ryw${i}x${Date.now().toString(36)}`;
      await register(name);
      results.push(await search('desk', name));
    }
    const counts = core.readRoutes()!;
    const places = routes.slice(first).map((r) => r.place);
    console.log(
      `read-your-writes: ${results.filter((r) => r.found).length}/30 found; on the standby ${places.filter((p) => p === 'replica').length}, on the primary ${places.filter((p) => p === 'primary').length}; reads that waited for replay so far: ${counts.waitedForReplay}`,
    );
    expect(results.filter((r) => !r.found)).toEqual([]);
    expect(places.filter((p) => p === 'replica').length).toBeGreaterThan(0);
  });

  it('a caught-up standby answers reads; a paused one answers none that would miss a commit — not even another user’s', async () => {
    await waitForReplay(cluster);
    const name = `Paused${Date.now().toString(36)}`;
    expect(await search('desk', 'Nobody')).toMatchObject({ place: 'replica' });

    await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_pause()');
    await untilPaused();
    await register(name);
    // The administrator has written nothing: before, this read went to the paused standby unchecked (found: false).
    const other = await search('admin', name);
    const writer = await search('desk', name);
    console.log(
      `standby paused: admin read ${other.place}/${other.reason} (found: ${other.found}); writer read ${writer.place}/${writer.reason} (found: ${writer.found})`,
    );
    expect(other).toMatchObject({ place: 'primary', reason: 'lagging', found: true });
    expect(writer).toMatchObject({ place: 'primary', reason: 'lagging', found: true });

    await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_resume()');
    await waitForReplay(cluster);
    expect(await search('desk', name)).toMatchObject({ place: 'replica', found: true });
    expect(await search('admin', name)).toMatchObject({ place: 'replica', found: true });
  });

  const untilPaused = async () => {
    for (let tries = 0; ; tries += 1) {
      const [row] = await cluster.query<{ state: string }>('standby', 'postgres', 'SELECT pg_get_wal_replay_pause_state() AS state');
      if (row!.state === 'paused') return;
      expect(tries).toBeLessThan(2000);
    }
  };
  const probe = (note: string) => async (trx: Kysely<Database>) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM replica_probe WHERE note = ${note}`.execute(trx)).rows[0]!.n;
  /** A router of its own with a clock the test moves: the primary's position is sampled once per maxLag of it. */
  const routerAt = (clock: { t: number }) => {
    const seen: (ReadPlace | PrimaryReason)[] = [];
    const routing = createReplicaRouting({
      replica: replicaDb,
      isUnavailable: () => false,
      maxLagMs: 1000,
      maxWaitMs: 0, // the clock stands still: no waiting, the check answers at once
      now: () => clock.t,
      onRoute: (place, reason) => void seen.push(reason ?? place),
    });
    const read = async (keys: string[], note: string) => ({ n: await routing.read(primaryDb, keys, null, probe(note)), at: seen.at(-1)! });
    /** The first read samples the primary; the standby replays past that sample within moments (a state, not a time). */
    const settle = async (keys: string[], note: string) => {
      for (let tries = 0; ; tries += 1) {
        if ((await read(keys, note)).at === 'replica') return;
        expect(tries).toBeLessThan(2000);
      }
    };
    return { routing, read, settle };
  };
  const insertProbe = (trx: Kysely<Database>, note: string) => sql`INSERT INTO replica_probe (note) VALUES (${note})`.execute(trx);

  it('a read with no write of its own is at most maxLag behind the primary: past that, the primary answers', async () => {
    const clock = { t: 0 };
    const { read, settle } = routerAt(clock);
    const note = `lag-${Date.now().toString(36)}`;
    await settle(['window:reader'], note); // the primary's position sampled at t=0, and replayed
    await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_pause()');
    await untilPaused();
    await cluster.query('primary', 'clinic', 'INSERT INTO replica_probe (note) VALUES ($1)', [note]); // another terminal's write
    clock.t = 500;
    const within = await read(['window:reader'], note);
    clock.t = 1000;
    const beyond = await read(['window:reader'], note);
    await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_resume()');
    clock.t = 1100;
    await settle(['window:reader'], note);
    const caughtUp = await read(['window:reader'], note);
    console.log(
      `maxLag 1000: at 500 ${within.at} (rows ${within.n}); at 1000 ${beyond.at} (rows ${beyond.n}); replayed ${caughtUp.at} (rows ${caughtUp.n})`,
    );
    expect(within).toEqual({ at: 'replica', n: 0 }); // stale, within the bound: allowed
    expect(beyond).toEqual({ at: 'lagging', n: 1 });
    expect(caughtUp).toEqual({ at: 'replica', n: 1 });
  });

  it('a write that fails after committing (sign-in counters, witness failures) is read back by its window', async () => {
    const { routing, read, settle } = routerAt({ t: 0 });
    const note = `committed-failure-${Date.now().toString(36)}`;
    await settle(['window:w'], note);
    await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_pause()');
    await untilPaused();
    try {
      const refused = await routing
        .write(primaryDb, ['window:w'], null, async (trx) => {
          await insertProbe(trx, note);
          throw Object.assign(failure('Unauthorized', 'Wrong password.'), { commitFirst: true });
        })
        .catch((error: { code?: string }) => error);
      const after = await read(['window:w'], note);
      console.log(`committed failure ${(refused as { code?: string }).code}; the window's next read: ${after.at} (rows ${after.n})`);
      expect(refused).toMatchObject({ code: 'Unauthorized' });
      expect(after).toEqual({ at: 'lagging', n: 1 }); // before: position not kept → the paused standby, rows 0
    } finally {
      await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_resume()');
      await waitForReplay(cluster);
    }
  });

  it('with synchronous_commit=off a window still reads its own write (the insert position is kept, not the written one)', async () => {
    const { routing, read, settle } = routerAt({ t: 0 });
    const note = `async-commit-${Date.now().toString(36)}`;
    await settle(['window:w'], note);
    // The WAL writer then leaves an asynchronous commit's record in memory for up to 10 s.
    await cluster.query('primary', 'postgres', "ALTER SYSTEM SET wal_writer_delay = '10s'");
    await cluster.query('primary', 'postgres', 'SELECT pg_reload_conf()');
    try {
      await routing.write(primaryDb, ['window:w'], null, async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        await insertProbe(trx, note);
      });
      const [lsn] = await cluster.query<{ written: string; inserted: string }>(
        'primary',
        'postgres',
        'SELECT pg_current_wal_lsn()::text AS written, pg_current_wal_insert_lsn()::text AS inserted',
      );
      const after = await read(['window:w'], note);
      console.log(
        `async commit: written ${lsn!.written}, inserted ${lsn!.inserted}; the window's next read: ${after.at} (rows ${after.n})`,
      );
      expect(after.n).toBe(1);
    } finally {
      await cluster.query('primary', 'postgres', 'ALTER SYSTEM RESET wal_writer_delay');
      await cluster.query('primary', 'postgres', 'SELECT pg_reload_conf()');
      await cluster.query('primary', 'postgres', 'CHECKPOINT'); // flushes the WAL the writer held back
      await waitForReplay(cluster);
    }
  });

  it('offline replay goes through the router: a walk-in registered offline is found at once from any window here', async () => {
    const { routing, settle } = routerAt({ t: 0 });
    await settle(['window:other'], 'none');
    const [clerk] = await cluster.query<{ user_id: string }>(
      'primary',
      'clinic',
      "SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'",
    );
    await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_pause()');
    await untilPaused();
    try {
      const lastName = `Replayed${Date.now().toString(36)}`;
      const input = { firstName: 'Walk', lastName, dateOfBirth: '1990-01-01', confirmNotDuplicate: true };
      const entry = {
        key: randomUUID(),
        userId: clerk!.user_id,
        createdAt: new Date().toISOString(),
        channel: 'patients/register-patient',
        input,
        dependsOn: [],
      };
      // As the app wires it (app-core.ts): the desk's replay writes through the router's terminal-wide write path.
      const outcomes = await replayOutbox(primaryDb, [entry], {
        handlers: createHandlers(),
        sessions: createSessionStore(),
        terminal: { name: 'desk-7', role: 'front_desk' },
        logInternal: () => undefined,
        write: terminalWrite(routing),
      });
      const before = routing.counts();
      // Another window and user of this terminal, who wrote nothing themselves.
      const found = await routing.read(
        primaryDb,
        ['window:other', 'user:someone-else'],
        clerk!.user_id,
        async (trx) =>
          (await sql<{ n: number }>`SELECT count(*)::int AS n FROM patients WHERE last_name = ${lastName}`.execute(trx)).rows[0]!.n,
      );
      const after = routing.counts();
      console.log(
        `replayed ${outcomes.map((o) => o.outcome).join(', ')}; another window's search: rows ${found}, lagging +${(after.byReason.lagging ?? 0) - (before.byReason.lagging ?? 0)}`,
      );
      expect(outcomes.map((o) => o.outcome)).toEqual(['applied']);
      expect(found).toBe(1); // before: the paused standby answered, without the walk-in
      expect((after.byReason.lagging ?? 0) - (before.byReason.lagging ?? 0)).toBe(1);
    } finally {
      await cluster.query('standby', 'postgres', 'SELECT pg_wal_replay_resume()');
      await waitForReplay(cluster);
    }
  });

  it("a standby's recovery conflict is read again on the primary, without resting the standby", async () => {
    const { routing, settle } = routerAt({ t: 0 });
    await settle(['window:c'], 'none');
    let calls = 0;
    const conflictOnReplica = async (trx: Kysely<Database>) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('canceling statement due to conflict with recovery'), { code: '40001' });
      return probe('none')(trx);
    };
    const before = routing.counts();
    await routing.read(primaryDb, ['window:c'], null, conflictOnReplica);
    await routing.read(primaryDb, ['window:c'], null, probe('none'));
    const after = routing.counts();
    console.log(`recovery conflict: then primary +${after.primary - before.primary}, replica +${after.replica - before.replica}`);
    expect(after).toMatchObject({ primary: before.primary + 1, replica: before.replica + 1, byReason: { unreachable: 1 } });
  });

  it("a handler's own refusal on the replica is the answer: not retried on the primary", async () => {
    const { routing, settle } = routerAt({ t: 0 });
    await settle(['window:r'], 'none');
    const before = routing.counts();
    let calls = 0;
    await expect(
      routing.read(primaryDb, ['window:r'], null, async () => {
        calls += 1;
        throw failure('NotFound', 'No such patient.');
      }),
    ).rejects.toMatchObject({ code: 'NotFound' });
    expect(calls).toBe(1);
    expect(routing.counts()).toMatchObject({ replica: before.replica, primary: before.primary });
  });

  it('no write reaches the standby; each replay check is the first statement of the very transaction that reads', () => {
    const texts = onStandby.map((s) => s.text);
    const begins = texts.filter((s) => /^BEGIN/.test(s));
    const isCheck = (s: string) => /pg_is_in_recovery\(\)/.test(s);
    console.log(
      `statements on the standby: ${texts.length} (${begins.length} transactions, all READ ONLY: ${begins.every((b) => b.startsWith('BEGIN READ ONLY'))})`,
    );
    expect(begins.length).toBeGreaterThan(0);
    expect(begins.filter((b) => !b.startsWith('BEGIN READ ONLY'))).toEqual([]);
    expect(texts.filter((s) => /\b(INSERT|UPDATE|DELETE|nextval|set_config\('app\.current_user_id'[^)]*false)/i.test(s))).toEqual([]);
    // Per connection: BEGIN, then the check (repeated while it waits), then the handler's reads, then COMMIT/ROLLBACK.
    const misplaced: string[] = [];
    let transactions = 0;
    for (const connection of new Set(onStandby.map((s) => s.connection))) {
      let state: 'idle' | 'begun' | 'checked' = 'idle';
      for (const { text } of onStandby.filter((s) => s.connection === connection)) {
        if (/^BEGIN/.test(text)) {
          if (state !== 'idle') misplaced.push(`BEGIN inside a transaction on ${connection}`);
          state = 'begun';
          transactions += 1;
        } else if (/^(COMMIT|ROLLBACK)$/.test(text)) state = 'idle';
        else if (isCheck(text)) {
          if (state === 'idle') misplaced.push(`check outside a transaction on ${connection}`);
          else state = 'checked';
        } else if (state !== 'checked') misplaced.push(`${state}: ${text.slice(0, 60)} before the check on ${connection}`);
      }
    }
    console.log(`replica transactions checked first, on their own connection: ${transactions}; misplaced: ${misplaced.length}`);
    expect(misplaced).toEqual([]);
  });

  it('a stopped standby: reads fall back to the primary and keep answering; writes carry on', async () => {
    await cluster.stopStandby();
    const name = `Down${Date.now().toString(36)}`;
    await register(name);
    const first = await search('desk', name);
    const next = await search('admin', name);
    console.log(
      `standby stopped: first read ${first.place}/${first.reason}, next read ${next.place}/${next.reason}; totals ${JSON.stringify(core.readRoutes())}`,
    );
    expect(first).toMatchObject({ place: 'primary', reason: 'unreachable', found: true });
    // While it rests, reads skip the standby instead of each waiting for a connect timeout.
    expect(next).toMatchObject({ place: 'primary', reason: 'resting', found: true });
  });

  it('a promoted ex-standby (a failover) answers no read, though it still reports a replay position', async () => {
    await cluster.startStandby();
    await waitForReplay(cluster);
    const { read, settle } = routerAt({ t: 0 });
    await settle(['window:p'], 'none');
    await cluster.promoteStandby();
    const [promoted] = await cluster.query<{ recovering: boolean; replayed: string | null }>(
      'standby',
      'postgres',
      'SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn()::text AS replayed',
    );
    const after = await read(['window:p'], 'none');
    const next = await read(['window:p'], 'none');
    console.log(
      `promoted: in recovery ${promoted!.recovering}, replay position ${promoted!.replayed}; reads: ${after.at}, then ${next.at}`,
    );
    expect(promoted!.replayed).not.toBeNull(); // what the old check trusted
    expect(after.at).toBe('not-a-standby');
    expect(next.at).toBe('resting');
  });
});
