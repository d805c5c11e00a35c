import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureAppLoginRole } from '../main/db/app-login-role.js';
import { createKysely, createPool } from '../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../main/db/migrator.js';
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

/** Runs `op` `count` times with `inFlight` concurrent callers; latency per call in µs. */
export async function measure(label: string, count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<Summary> {
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
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { label, p50: percentile(latencies, 50), p95: percentile(latencies, 95), opsPerSecond: count / seconds };
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
