import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg, { type Pool, type PoolClient } from 'pg';
import { ensureAppLoginRole } from '../main/db/app-login-role.js';
import { createKysely, createPool } from '../main/db/connection.js';
import type { Database } from '../main/db/database.js';
import { createMigrator, migrateToLatest } from '../main/db/migrator.js';
import { beginUserTransaction, inUserTransaction } from '../main/db/user-transaction.js';
import { createDatabase, startScratchCluster, type ScratchCluster } from '../scripts/lib/scratch-cluster.js';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** A scratch embedded PostgreSQL with a migrated database and the app's login role. */
export async function benchDatabase(name: string): Promise<{ cluster: ScratchCluster; ownerUrl: string; appUrl: string }> {
  const cluster = await startScratchCluster(`bench-${name}`);
  await createDatabase(cluster.ownerUrl('postgres'), name);
  const ownerUrl = cluster.ownerUrl(name);
  const pool = createPool({ connectionString: ownerUrl, max: 1 });
  const db = createKysely(pool);
  await migrateToLatest(createMigrator(db, path.join(ROOT, 'migrations')));
  const appPassword = randomBytes(18).toString('base64url');
  await ensureAppLoginRole(pool, 'clinic_bench_app', appPassword);
  await db.destroy();
  const url = new URL(ownerUrl);
  url.username = 'clinic_bench_app';
  url.password = appPassword;
  return { cluster, ownerUrl, appUrl: url.toString() };
}

export function percentile(sortedMicros: number[], p: number): number {
  return sortedMicros[Math.min(sortedMicros.length - 1, Math.floor((p / 100) * sortedMicros.length))]!;
}

export interface Summary {
  label: string;
  p50: number;
  p95: number;
  opsPerSecond: number;
}

/** CPU ticks (user + system, every thread) so far of this process and of all postgres server processes. */
function readCpuTicks() {
  let app = 0;
  let server = 0;
  if (!existsSync('/proc/self/stat')) return { app, server };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // the process ended while counting
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    if (Number(pid) === process.pid) app += ticks;
    else if (name === 'postgres') server += ticks;
  }
  return { app, server };
}

const TICKS_PER_MS = 100 / 1000; // USER_HZ: /proc counts CPU time in hundredths of a second

function printCpu(used: { app: number; server: number }, operations: number, what: string) {
  const perOperation = (ticks: number) => (ticks / TICKS_PER_MS / operations).toFixed(2);
  console.log(`CPU per ${what}: this process ${perOperation(used.app)} ms, postgres ${perOperation(used.server)} ms`);
}

/**
 * CPU time of this process and of all postgres server processes over a measured run, per operation:
 * where the 2 cores go when the run is CPU-bound. Linux /proc only.
 */
export function startCpuCount() {
  const start = readCpuTicks();
  return {
    print(operations: number, what: string) {
      const end = readCpuTicks();
      printCpu({ app: end.app - start.app, server: end.server - start.server }, operations, what);
    },
  };
}

/** Runs `op` `count` times with `inFlight` concurrent callers: each call's latency in µs, and the seconds they took. */
async function runCalls(count: number, inFlight: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await op(i);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function summarize(label: string, latencies: number[], seconds: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { label, p50: percentile(sorted, 50), p95: percentile(sorted, 95), opsPerSecond: latencies.length / seconds };
}

/** Runs `op` `count` times with `inFlight` concurrent callers; latency per call in µs. */
export async function measure(label: string, count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<Summary> {
  const { latencies, seconds } = await runCalls(count, inFlight, op);
  return summarize(label, latencies, seconds);
}

export interface MeasuredPath {
  label: string;
  op: (i: number) => Promise<unknown>;
  /** Prints this path's CPU per operation, counted over its own rounds only. */
  cpu?: string;
}

/**
 * Two or more paths, `count` calls each with `inFlight` callers, measured in alternating rounds (A, B, A, B…):
 * this VM's speed drifts by up to 1.5× within a session, and a path measured after the other would get the
 * drift as its own. Call i of a path is its i-th across the rounds.
 */
export async function measureAlternating<const P extends readonly MeasuredPath[]>(
  paths: P,
  count: number,
  inFlight: number,
  rounds = 4,
): Promise<{ [K in keyof P]: Summary }> {
  const size = Math.ceil(count / rounds);
  const totals = paths.map(() => ({ latencies: [] as number[], seconds: 0, cpu: { app: 0, server: 0 } }));
  for (let first = 0; first < count; first += size) {
    const n = Math.min(size, count - first);
    for (const [k, path] of paths.entries()) {
      const total = totals[k]!;
      const before = readCpuTicks();
      const { latencies, seconds } = await runCalls(n, inFlight, (i) => path.op(first + i));
      const after = readCpuTicks();
      total.latencies.push(...latencies);
      total.seconds += seconds;
      total.cpu.app += after.app - before.app;
      total.cpu.server += after.server - before.server;
    }
  }
  for (const [k, path] of paths.entries()) if (path.cpu) printCpu(totals[k]!.cpu, count, path.cpu);
  // map keeps the tuple's length, which TypeScript cannot see through it
  return paths.map((path, k) => summarize(path.label, totals[k]!.latencies, totals[k]!.seconds)) as { [K in keyof P]: Summary };
}

export function printTable(title: string, rows: Summary[], baseline: Summary): void {
  console.log(`\n${title}`);
  console.log(
    `${'path'.padEnd(46)} ${'p50 µs'.padStart(9)} ${'p95 µs'.padStart(9)} ${'ops/s'.padStart(9)} ${'p50 ×base'.padStart(10)} ${'+p50 µs'.padStart(9)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(46)} ${r.p50.toFixed(0).padStart(9)} ${r.p95.toFixed(0).padStart(9)} ${r.opsPerSecond.toFixed(0).padStart(9)} ${(r.p50 / baseline.p50).toFixed(2).padStart(10)} ${(r.p50 - baseline.p50).toFixed(0).padStart(9)}`,
    );
  }
}

/** The SQL a service call sends (BEGIN/COMMIT left out), captured once so raw `pg` can replay the very same statements. */
export async function captureSql(
  pool: Pool,
  userId: string,
  work: (trx: Kysely<Database>) => Promise<unknown>,
  options: { readOnly?: boolean } = {},
): Promise<CompiledQuery[]> {
  const log: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => void (event.level === 'query' && log.push(event.query)),
  });
  await inUserTransaction(db, userId, work, options);
  return log.filter((q) => !/^(BEGIN|COMMIT)/.test(q.sql));
}

/** Raw `pg` in the door's transaction shape: BEGIN with the user context, the work, COMMIT (ROLLBACK on error). */
export async function inRawUserTransaction<T>(
  pool: Pool,
  userId: string,
  work: (client: PoolClient) => Promise<T>,
  options: { readOnly?: boolean } = {},
) {
  const client = await pool.connect();
  try {
    await client.query(beginUserTransaction(userId, options));
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Replays captured statements on raw `pg` in one transaction with the same user context. */
export async function replaySql(pool: Pool, userId: string, queries: readonly CompiledQuery[], options: { readOnly?: boolean } = {}) {
  await inRawUserTransaction(
    pool,
    userId,
    async (client) => {
      for (const q of queries) await client.query(q.sql, [...q.parameters]);
    },
    options,
  );
}

/** Runs bulk SQL as the owner with the demo administrator's context: FORCEd RLS binds the owner too. */
export async function asAdministrator(ownerUrl: string, work: (client: PoolClient) => Promise<void>): Promise<void> {
  const pool = createPool({ connectionString: ownerUrl, max: 1 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT set_config('app.current_user_id', (SELECT user_id::text FROM users WHERE email = 'admin@demo.clinic'), true)`,
    );
    await work(client);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    client.release();
    await pool.end();
  }
}

/** Flushes a bulk load's dirty pages now (as the superuser: the owner may not), so a checkpoint does not land inside the measurements. */
export async function checkpoint(superuserUrl: string): Promise<void> {
  const pool = createPool({ connectionString: superuserUrl, max: 1 });
  await pool.query('CHECKPOINT');
  await pool.end();
}

export function printTargets(lines: [string, Summary, number][]): void {
  console.log('\nagainst the issue’s targets (p95)');
  for (const [label, s, targetMs] of lines)
    console.log(
      `  ${label.padEnd(44)} ${(s.p95 / 1000).toFixed(1).padStart(7)} ms  target < ${targetMs} ms  ${s.p95 / 1000 < targetMs ? 'met' : 'MISSED'}`,
    );
}

/**
 * Prints EXPLAIN (ANALYZE, BUFFERS) of every statement the captured queries run, nested ones inside
 * PL/pgSQL functions too (auto_explain, loaded by the superuser, then acting as the app role), rolled back.
 */
export async function printPlans(superuserUrl: string, role: string, userId: string, queries: readonly CompiledQuery[]): Promise<void> {
  const pool = createPool({ connectionString: superuserUrl, max: 1 });
  const client = await pool.connect();
  const plans: string[] = [];
  client.on('notice', (notice) => void (notice.message && !notice.message.includes('set_config') && plans.push(notice.message)));
  try {
    await client.query(
      `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;
       SET auto_explain.log_buffers = on; SET auto_explain.log_nested_statements = on; SET client_min_messages = log`,
    );
    await client.query(`BEGIN; SET LOCAL ROLE ${role}; SELECT set_config('app.current_user_id', '${userId}', true)`);
    for (const q of queries) await client.query(q.sql, [...q.parameters]);
    await client.query('ROLLBACK');
  } finally {
    client.release();
    await pool.end();
  }
  // A policy's function runs once per row: print each distinct statement once, with how often it ran.
  const runs = new Map<string, { plan: string; times: number }>();
  for (const plan of plans) {
    const text = plan.slice(plan.indexOf('Query Text:'), plan.indexOf('\n', plan.indexOf('Query Text:') + 12));
    const seen = runs.get(text);
    if (seen) seen.times += 1;
    else runs.set(text, { plan, times: 1 });
  }
  for (const { plan, times } of runs.values()) console.log(`\n(ran ${times}×) ${plan}`);
}

/** pg_stat_statements over one measured run: each statement's planning and executing time per scan. */
export async function startStatementStats(superuserUrl: string) {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('ALTER SYSTEM SET pg_stat_statements.track_planning = on');
  await client.query("ALTER SYSTEM SET track_functions = 'all'");
  await client.query('SELECT pg_reload_conf()');
  await client.query('SELECT pg_stat_statements_reset(), pg_stat_reset()');
  return {
    async print(operations: number) {
      // Every figure below is a total over the run, shown per operation in a fixed-width column.
      const per = (total: number | string, digits: number, width: number) => (Number(total) / operations).toFixed(digits).padStart(width);
      const { rows } = await client.query<{ calls: string; plan: number; exec: number; query: string }>(
        `SELECT calls, total_plan_time AS plan, total_exec_time AS exec, regexp_replace(query, '\\s+', ' ', 'g') AS query
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY total_plan_time + total_exec_time DESC LIMIT 12`,
      );
      console.log(`pg_stat_statements per operation (ms planning + ms executing, calls), ${operations} operations:`);
      for (const r of rows)
        console.log(`  ${per(r.plan, 2, 6)} + ${per(r.exec, 2, 6)}  ${String(r.calls).padStart(6)}  ${r.query.slice(0, 110)}`);
      // Functions (policies' role checks, triggers): calls and their own time per operation, counted by track_functions.
      const functions = await client.query<{ name: string; calls: string; self: number; total: number }>(
        `SELECT funcname AS name, calls, self_time AS self, total_time AS total FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT 12`,
      );
      console.log('functions per operation (calls, ms own time, ms with what they call):');
      for (const f of functions.rows) console.log(`  ${per(f.calls, 1, 6)}  ${per(f.self, 2, 6)}  ${per(f.total, 2, 6)}  ${f.name}`);
      // Where rows are read from: a sequential scan or a GiST probe on a hot path shows here first.
      const scans = await client.query<{ name: string; seq: string; seqRows: string; idx: string; idxRows: string }>(
        `SELECT relname AS name, seq_scan AS seq, seq_tup_read AS "seqRows", idx_scan AS idx, idx_tup_fetch AS "idxRows"
         FROM pg_stat_user_tables WHERE seq_scan + coalesce(idx_scan, 0) > 0 ORDER BY seq_tup_read DESC LIMIT 8`,
      );
      console.log('tables per operation (sequential scans, rows they read, index scans, rows fetched):');
      for (const t of scans.rows) console.log(`  ${[t.seq, t.seqRows, t.idx, t.idxRows].map((n) => per(n, 1, 8)).join('')}  ${t.name}`);
      const indexes = await client.query<{ name: string; scans: string; read: string }>(
        `SELECT indexrelname AS name, idx_scan AS scans, idx_tup_read AS read FROM pg_stat_user_indexes WHERE idx_scan > 0 ORDER BY idx_tup_read DESC LIMIT 10`,
      );
      console.log('indexes per operation (scans, entries read):');
      for (const i of indexes.rows) console.log(`  ${per(i.scans, 1, 8)}${per(i.read, 1, 8)}  ${i.name}`);
      await client.end();
    },
  };
}
