// Through Debian's PgBouncer in transaction pooling mode (.ci/run installs it): many clients' transactions
// share a few server sessions, so everything the app relies on must live in one transaction. Proven here:
// each transaction sees only its own user even on ONE shared server session; after the app's channels ran
// through that session it holds no session state (no prepared statement, LISTEN, temp table, advisory lock,
// cursor, or setting beyond the pinned log settings PgBouncer applies); a logging setting another client
// plants on that shared session does not reach the door's transactions (pinned per transaction); and the whole RLS matrix and the
// 50-clerk booking race pass unchanged with the app's login going through PgBouncer.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChannelKey } from '../../contract/index.js';
import { createPool, createKysely, PINNED_LOG_SETTINGS } from '../../main/db/connection.js';
import { inUserTransaction } from '../../main/db/user-transaction.js';
import { createCoreHarness } from '../support/core-harness.js';
import { APP_LOGIN } from '../support/global-setup.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { VALID_INPUTS } from '../support/valid-inputs.js';
import { hasPgbouncer, pgbouncerBin, serverVerifier, startPgBouncer, type PgBouncer } from './support/pgbouncer.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const available = hasPgbouncer();
const title = available
  ? 'through PgBouncer in transaction pooling mode'
  : `through PgBouncer — not run: no ${pgbouncerBin} (apt-get install pgbouncer)`;
/** Settings PgBouncer itself keeps in step on a server session (its tracked startup parameters). */
const PGBOUNCER_TRACKED = ['application_name', 'client_encoding', 'DateStyle', 'TimeZone', 'standard_conforming_strings'];

// CI installs pgbouncer (.ci/run) and sets CLINIC_REQUIRE_PG15: there a missing binary fails the run.
describe.skipIf(!available && !process.env.CLINIC_REQUIRE_PG15)(title, () => {
  let database: TestDatabase;
  let bouncer: PgBouncer;
  let viaBouncer: pg.Pool;
  const password = () => inject('appLoginPassword');

  beforeAll(async () => {
    if (!available) throw new Error(`No ${pgbouncerBin}: .ci/run installs pgbouncer.`);
    database = await createTestDatabase('clinic_demo', 2);
    const server = new URL(database.superuserUrl);
    // ONE server session for every client: any state left by one transaction would reach the next client's.
    bouncer = await startPgBouncer({
      server: { host: server.hostname, port: Number(server.port) },
      databases: [database.name],
      users: [{ name: APP_LOGIN, verifier: await serverVerifier(database.superuserUrl, APP_LOGIN) }],
      poolSize: 1,
    });
    // PgBouncer 1.18 in transaction mode cannot carry named prepared statements (README: DATABASE_PREPARED_STATEMENTS=off).
    viaBouncer = createPool({ connectionString: bouncer.url(APP_LOGIN, password(), database.name), max: 20, preparedStatements: false });
    viaBouncer.setMaxListeners(100);
  }, 60_000);
  afterAll(async () => {
    await viaBouncer?.end();
    await bouncer?.stop();
    await database?.drop();
  });

  it('20 clients, one server session: every transaction sees only its own user, and the next sees none', async () => {
    const { rows } = await database.ownerPool.query<{ user_id: string }>(`SELECT user_id FROM users WHERE email LIKE '%@demo.clinic'`);
    const db = createKysely(viaBouncer);
    const seen = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const userId = rows[i % rows.length]!.user_id;
        return inUserTransaction(db, userId, async (trx) => {
          const { rows: inside } = await sql<{
            who: string;
            pid: number;
          }>`SELECT current_setting('app.current_user_id') AS who, pg_backend_pid() AS pid`.execute(trx);
          return { expected: userId, ...inside[0]! };
        });
      }),
    );
    const after = await viaBouncer.query(`SELECT current_setting('app.current_user_id', true) AS who, pg_backend_pid() AS pid`);
    const pids = new Set([...seen.map((s) => s.pid), after.rows[0].pid]);
    console.log(
      `through PgBouncer: ${seen.length} transactions from 20 clients on ${pids.size} server session(s); wrong user: ${seen.filter((s) => s.who !== s.expected).length}`,
    );
    expect(seen.filter((s) => s.who !== s.expected)).toEqual([]);
    expect(pids.size).toBe(1);
    expect(after.rows[0].who).toBe('');
  });

  it("after the app's channels ran through that one session, it holds no session state", async () => {
    const harness = createCoreHarness({ ...database, appPool: viaBouncer });
    await harness.signIn('admin-window', 'admin@demo.clinic');
    await harness.signIn('nurse-window', 'nurse@demo.clinic');
    const domains = ['patients/', 'scheduling/', 'ward/', 'pharmacy/', 'users/', 'roles/', 'session/get-current', 'settings/get-'];
    const outcomes: Record<string, number> = {};
    for (const [channel, input] of Object.entries(VALID_INPUTS)) {
      if (!domains.some((d) => channel.startsWith(d))) continue;
      for (const sender of ['admin-window', 'nurse-window']) {
        const result = await harness.core.dispatch(sender, channel as ChannelKey, input);
        // Unavailable for the database itself, apart from what a handler refuses ("Not built yet", no history key).
        const key = result.ok ? 'ok' : /cannot be reached/.test(result.error.message) ? 'unreachable' : result.error.code;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    }
    await harness.core.close();
    console.log(`channels through PgBouncer: ${JSON.stringify(outcomes)}`);
    expect(harness.internalErrors.map((e) => e.message)).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(20);
    expect(outcomes.unreachable ?? 0).toBe(0);

    const { rows } = await viaBouncer.query(`SELECT
      (SELECT count(*) FROM pg_prepared_statements)::int AS prepared_statements,
      (SELECT count(*) FROM pg_listening_channels())::int AS listening,
      (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema())::int AS temp_relations,
      (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::int AS advisory_locks,
      (SELECT count(*) FROM pg_cursors)::int AS cursors,
      current_setting('app.current_user_id', true) AS user_context,
      (SELECT coalesce(array_agg(name::text ORDER BY name), '{}') FROM pg_settings WHERE source = 'session') AS session_settings`);
    const state = rows[0];
    console.log(`the shared server session afterwards: ${JSON.stringify(state)}`);
    expect(state).toMatchObject({
      prepared_statements: 0,
      listening: 0,
      temp_relations: 0,
      advisory_locks: 0,
      cursors: 0,
      user_context: '',
    });
    // Only the pinned log settings (PgBouncer's connect_query) and PgBouncer's own tracked parameters.
    expect((state.session_settings as string[]).filter((n) => !(n in PINNED_LOG_SETTINGS) && !PGBOUNCER_TRACKED.includes(n))).toEqual([]);
    expect(state.session_settings).toEqual(expect.arrayContaining(Object.keys(PINNED_LOG_SETTINGS)));
  });

  it("a logging setting another client SET on the shared session does not reach the app's transactions", async () => {
    // The attack: any client of that login, through PgBouncer, leaves a session-level SET on the one server session.
    await viaBouncer.query('SET debug_print_plan = on');
    const db = createKysely(viaBouncer);
    const inside = await inUserTransaction(
      db,
      null,
      async (trx) => (await sql<{ v: string }>`SELECT current_setting('debug_print_plan') AS v`.execute(trx)).rows[0]!.v,
    );
    const outside = (await viaBouncer.query(`SELECT current_setting('debug_print_plan') AS v`)).rows[0].v;
    await viaBouncer.query('SET debug_print_plan = off'); // as PgBouncer's connect_query left it
    console.log(`debug_print_plan planted on the shared session: ${outside}; inside the door's transaction: ${inside}`);
    expect(outside).toBe('on'); // the plant landed on the very session the app's transaction used
    expect(inside).toBe('off');
  });

  it('the RLS matrix and the 50-clerk booking race pass unchanged with the app login through PgBouncer', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'clinic-pgbouncer-run-'));
    try {
      const report = path.join(out, 'report.json');
      const files = ['tests/security/rls-matrix.test.ts', 'tests/scheduling/front-desk.test.ts'];
      // Its own vitest (own embedded PostgreSQL); the config swaps those files' test database for the PgBouncer one.
      const child = await run(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/vitest/vitest.mjs'),
          'run',
          '--config',
          'tests/scale/pgbouncer.vitest.config.ts',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${report}`,
          ...files,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, CLINIC_PGBOUNCER_POOL_SIZE: '3', DATABASE_PREPARED_STATEMENTS: 'off' },
          maxBuffer: 64 * 1024 * 1024,
        },
      ).catch((error: { stdout?: string; stderr?: string }) => error);
      const output = `${child.stdout ?? ''}${child.stderr ?? ''}`;
      const via = output.match(/\[via PgBouncer\][^\n]*/g) ?? [];
      const results = JSON.parse(await fs.readFile(report, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        testResults: { name: string; assertionResults: { title: string; status: string; failureMessages?: string[] }[] }[];
      };
      for (const line of via) console.log(line);
      const race = results.testResults
        .flatMap((f) => f.assertionResults)
        .find((a) => a.title.startsWith('50 clerks booking the same slot'));
      console.log(
        `through PgBouncer: ${results.numPassedTests} passed, ${results.numFailedTests} failed (RLS matrix + front desk); booking race: ${race?.status}`,
      );
      const failing = results.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status !== 'passed'));
      // The child's own words, so a failure here says why, not only which test.
      for (const a of failing) console.log(`through PgBouncer, failed: ${a.title}\n${(a.failureMessages ?? []).join('\n')}`);
      const failed = failing.map((a) => a.title);
      expect(failed).toEqual([]);
      expect(via).toHaveLength(files.length); // each file's database was reached only through PgBouncer
      expect(race?.status).toBe('passed');
      expect(results.numPassedTests).toBeGreaterThan(150);
    } finally {
      await fs.rm(out, { recursive: true, force: true });
    }
  }, 600_000);
});
