import { promises as fs } from 'node:fs';
import type { Kysely } from 'kysely';
import type { HealthAlert, HealthSnapshot } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import { monitoringHost } from './monitoring-host.js';
import { findAppliedMigrations, readMonitoringSettings, readServerSnapshot, type RawSnapshot } from './monitoring.repository.js';

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** The free and total bytes of the disk holding the local database's data folder; null elsewhere. */
async function dataDisk(dataDir: string | null): Promise<HealthSnapshot['disk']> {
  if (!dataDir) return null;
  try {
    const stats = await fs.statfs(dataDir);
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch {
    return null;
  }
}

/** Applied migrations from the database; pending ones as `migrate --check` names them, when this app has the folder. */
async function migrationState(db: Kysely<Database>, migrationsDir: string | null): Promise<HealthSnapshot['migrations']> {
  const applied = await findAppliedMigrations(db);
  let pending: string[] | null = null;
  if (migrationsDir) {
    const files = (await fs.readdir(migrationsDir).catch(() => null))?.filter((f) => MIGRATION_FILE.test(f));
    if (files)
      pending = files
        .map((f) => f.replace(/\.sql$/, ''))
        .filter((name) => !applied.includes(name))
        .sort();
  }
  return { applied: applied.length, latest: applied[applied.length - 1] ?? null, pending };
}

const toSnapshot = (
  raw: RawSnapshot,
): Omit<HealthSnapshot, 'disk' | 'migrations' | 'maintenanceAvailable' | 'settings' | 'longQuerySeconds'> => ({
  serverVersion: raw.server_version,
  fullView: raw.full_view,
  canSignal: raw.can_signal,
  databaseBytes: Number(raw.database_bytes),
  cacheHitRatio: raw.cache_hit_ratio === null ? null : Number(raw.cache_hit_ratio),
  connections: raw.connections,
  longQueries: raw.long_queries.map((q) => ({ ...q, seconds: Number(q.seconds), waitEvent: q.wait_event, state: q.state ?? '' })),
  tables: raw.tables.map((t) => ({
    name: t.name,
    totalBytes: Number(t.total_bytes),
    liveRows: Number(t.live_rows),
    deadRows: Number(t.dead_rows),
    lastVacuum: t.last_vacuum,
    lastAutovacuum: t.last_autovacuum,
    lastAnalyze: t.last_analyze,
    lastAutoanalyze: t.last_autoanalyze,
  })),
  archiver: {
    archiveMode: raw.archiver?.archive_mode ?? null,
    archivedCount: Number(raw.archiver?.archived_count ?? 0),
    lastArchivedTime: raw.archiver?.last_archived_time ?? null,
    failedCount: Number(raw.archiver?.failed_count ?? 0),
    lastFailedWal: raw.archiver?.last_failed_wal ?? null,
    lastFailedTime: raw.archiver?.last_failed_time ?? null,
    failing: raw.archiver?.failing ?? false,
  },
  statements: {
    available: raw.statements.available,
    reason: raw.statements.reason,
    rows: raw.statements.rows.map((s) => ({
      query: s.query,
      calls: Number(s.calls),
      totalMs: Number(s.total_ms),
      meanMs: Number(s.mean_ms),
      rows: Number(s.rows),
    })),
  },
});

/** Everything Admin → Database shows, read in the one door's READ ONLY transaction. */
export async function readHealth(db: Kysely<Database>, longQuerySeconds?: number): Promise<HealthSnapshot> {
  const host = monitoringHost();
  const settings = await readMonitoringSettings(db);
  const threshold = longQuerySeconds ?? settings.longQueryMinutes * 60;
  const raw = await readServerSnapshot(db, threshold);
  return {
    ...toSnapshot(raw),
    longQuerySeconds: threshold,
    disk: await dataDisk(host.dataDir),
    migrations: await migrationState(db, host.migrationsDir),
    maintenanceAvailable: host.ownerPool !== null,
    settings,
  };
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** What the status light shows an administrator: each alert says what is wrong in one sentence. */
export function alertsOf(health: HealthSnapshot, backupFailure: string | null): HealthAlert[] {
  const alerts: HealthAlert[] = [];
  if (backupFailure) alerts.push({ kind: 'backup-failed', message: `The last backup failed: ${backupFailure}` });
  if (health.archiver.failing)
    alerts.push({
      kind: 'archiving-failing',
      message: `WAL archiving is failing (${health.archiver.failedCount} failures; last ${health.archiver.lastFailedWal ?? 'file unknown'}).`,
    });
  if (health.longQueries.length > 0)
    alerts.push({
      kind: 'long-query',
      message: `${health.longQueries.length} ${health.longQueries.length === 1 ? 'query has' : 'queries have'} run longer than ${health.settings.longQueryMinutes} min.`,
    });
  if (health.disk && health.disk.totalBytes > 0) {
    const usedPercent = 100 * (1 - health.disk.freeBytes / health.disk.totalBytes);
    if (usedPercent >= health.settings.diskWarningPercent || health.disk.freeBytes < health.databaseBytes * 0.2)
      alerts.push({
        kind: 'disk-nearly-full',
        message: `The database's disk is ${Math.round(usedPercent)}% full (${gib(health.disk.freeBytes)} free; the database is ${gib(health.databaseBytes)}).`,
      });
  }
  return alerts;
}

export async function readAlerts(db: Kysely<Database>): Promise<HealthAlert[]> {
  return alertsOf(await readHealth(db), monitoringHost().backupFailure());
}
