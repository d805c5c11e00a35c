import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** migration 026's monitor_snapshot: pg_stat_* read as clinic_monitor, gated by settings.manage inside. */
export async function readServerSnapshot(db: Kysely<Database>, longQuerySeconds: number): Promise<RawSnapshot> {
  const { rows } = await sql<{ snapshot: RawSnapshot }>`SELECT public.monitor_snapshot(${longQuerySeconds}::integer) AS snapshot`.execute(
    db,
  );
  return rows[0]!.snapshot;
}

export async function signalBackend(db: Kysely<Database>, pid: number, terminate: boolean): Promise<boolean> {
  const { rows } = await sql<{
    signalled: boolean;
  }>`SELECT public.monitor_signal_backend(${pid}::integer, ${terminate}) AS signalled`.execute(db);
  return rows[0]!.signalled;
}

export async function readMonitoringSettings(db: Kysely<Database>) {
  const { rows } = await sql<{ long_query_minutes: number; disk_warning_percent: number }>`
    SELECT long_query_minutes, disk_warning_percent FROM monitoring_settings`.execute(db);
  return { longQueryMinutes: rows[0]?.long_query_minutes ?? 5, diskWarningPercent: rows[0]?.disk_warning_percent ?? 90 };
}

export async function updateMonitoringSettings(
  db: Kysely<Database>,
  settings: { longQueryMinutes: number; diskWarningPercent: number },
  actor: string,
): Promise<number> {
  const result = await sql`
    UPDATE monitoring_settings
       SET long_query_minutes = ${settings.longQueryMinutes}, disk_warning_percent = ${settings.diskWarningPercent},
           updated_at = now(), updated_by = ${actor}::uuid`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function findAppliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((r) => r.name);
}

type Stamp = string | null;
/** monitor_snapshot's JSON, as the function builds it. */
export interface RawSnapshot {
  server_version: string;
  full_view: boolean;
  can_signal: boolean;
  database_bytes: number;
  cache_hit_ratio: number | null;
  connections: { application: string; state: string; login: string; count: number }[];
  long_queries: {
    pid: number;
    login: string;
    application: string;
    state: string;
    started: Stamp;
    seconds: number;
    wait_event: string | null;
    query: string;
  }[];
  tables: {
    name: string;
    total_bytes: number;
    live_rows: number;
    dead_rows: number;
    last_vacuum: Stamp;
    last_autovacuum: Stamp;
    last_analyze: Stamp;
    last_autoanalyze: Stamp;
  }[];
  archiver: {
    archive_mode: string | null;
    archived_count: number;
    last_archived_time: Stamp;
    failed_count: number;
    last_failed_wal: string | null;
    last_failed_time: Stamp;
    failing: boolean;
  } | null;
  statements: {
    available: boolean;
    reason: string | null;
    rows: { query: string; calls: number; total_ms: number; mean_ms: number; rows: number }[];
  };
}
