import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { EmbeddedBackupTarget } from './backup-service.js';
import { backupFolder } from './backup-layout.js';
import { withBackupLock } from './backup-lock.js';
import { materialiseBackup, scratchFolder, startRecovery, type RecoveryTarget } from './recovered-cluster.js';
import { chooseBackup } from './restore-cluster.js';
import { promises as fs } from 'node:fs';

export interface TableCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}
export interface TableRestoreRequest {
  table: string;
  /** Recover the copy to this moment; null: to the newest good backup's own end. */
  at: Date | null;
  /** The acting administrator: the restore's audit rows name them. */
  adminUserId: string;
}
export class TableChanged extends Error {}

interface TableShape {
  columns: string[];
  key: string[];
}

/** The table's own columns (not generated ones) and its primary key, from the live catalog. */
async function tableShape(live: pg.ClientBase, table: string): Promise<TableShape> {
  const { rows } = await live.query<{ name: string; in_key: boolean }>(
    `SELECT a.attname AS name, coalesce(a.attnum = ANY (i.indkey), false) AS in_key
     FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY a.attnum`,
    [`public.${table}`],
  );
  const key = rows.filter((r) => r.in_key).map((r) => pg.escapeIdentifier(r.name));
  if (key.length === 0) throw new Error(`${table} has no primary key to compare rows by.`);
  return { columns: rows.map((r) => pg.escapeIdentifier(r.name)), key };
}

/** Streams the backup's rows of the table into a temporary table of the live session (dropped at COMMIT). */
async function loadBackupRows(scratchUrl: string, live: pg.ClientBase, table: string, shape: TableShape): Promise<void> {
  const name = pg.escapeIdentifier(table);
  await live.query(`CREATE TEMP TABLE restore_source ON COMMIT DROP AS SELECT ${shape.columns.join(', ')} FROM ${name} WITH NO DATA`);
  const scratch = new pg.Client({ connectionString: scratchUrl });
  await scratch.connect();
  try {
    await pipeline(
      scratch.query(copyTo(`COPY (SELECT ${shape.columns.join(', ')} FROM ${name}) TO STDOUT`)),
      live.query(copyFrom(`COPY restore_source (${shape.columns.join(', ')}) FROM STDIN`)),
    );
  } finally {
    await scratch.end();
  }
}

async function countDifferences(live: pg.ClientBase, table: string, shape: TableShape): Promise<TableCounts> {
  const name = pg.escapeIdentifier(table);
  const on = shape.key.map((k) => `l.${k} = s.${k}`).join(' AND ');
  const cols = (alias: string) => `ROW(${shape.columns.map((c) => `${alias}.${c}`).join(', ')})`;
  const { rows } = await live.query<TableCounts>(
    `SELECT count(*) FILTER (WHERE s.${shape.key[0]} IS NULL)::int AS added,
            count(*) FILTER (WHERE l.${shape.key[0]} IS NULL)::int AS removed,
            count(*) FILTER (WHERE l.${shape.key[0]} IS NOT NULL AND s.${shape.key[0]} IS NOT NULL AND ${cols('l')} IS DISTINCT FROM ${cols('s')})::int AS changed,
            count(*) FILTER (WHERE ${cols('l')} IS NOT DISTINCT FROM ${cols('s')})::int AS unchanged
     FROM ${name} l FULL JOIN restore_source s ON ${on}`,
  );
  return rows[0]!;
}

/** Puts the table back as restore_source holds it: removes added rows, re-inserts removed ones, resets changed ones. */
async function applyBackupRows(live: pg.ClientBase, table: string, shape: TableShape): Promise<void> {
  const name = pg.escapeIdentifier(table);
  const on = shape.key.map((k) => `t.${k} = s.${k}`).join(' AND ');
  const cols = shape.columns.join(', ');
  await live.query(`DELETE FROM ${name} t WHERE NOT EXISTS (SELECT 1 FROM restore_source s WHERE ${on})`);
  const settable = shape.columns.filter((c) => !shape.key.includes(c));
  if (settable.length > 0)
    await live.query(
      `UPDATE ${name} t SET (${settable.join(', ')}) = (SELECT ${settable.map((c) => `s.${c}`).join(', ')}) FROM restore_source s
       WHERE ${on} AND ROW(${shape.columns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM ROW(${shape.columns.map((c) => `s.${c}`).join(', ')})`,
    );
  await live.query(
    `INSERT INTO ${name} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM restore_source s WHERE NOT EXISTS (SELECT 1 FROM ${name} t WHERE ${on})`,
  );
  // A serial key must not hand out a number the restored rows use.
  await live.query(
    `SELECT setval(seq, greatest((SELECT max(${shape.key[0]}) FROM ${name}), 1)) FROM pg_get_serial_sequence($1, $2) AS seq WHERE seq IS NOT NULL`,
    [`public.${table}`, shape.key[0]!.replace(/"/g, '')],
  );
}

/**
 * Starts the backup (recovered to the chosen moment) as a scratch cluster and runs `work` against it
 * and one live session as the schema owner, in one transaction with the administrator's context:
 * row level security and the audit triggers apply, so every restored row is audited under their name.
 */
async function withScratchAndLive<T>(
  target: EmbeddedBackupTarget,
  ownerUrl: string,
  request: TableRestoreRequest,
  work: (live: pg.Client, shape: TableShape, backupId: string) => Promise<T>,
): Promise<T> {
  return withBackupLock(target.layout, async () => {
    const recovery: RecoveryTarget = request.at ? { kind: 'time', at: request.at } : { kind: 'consistent' };
    const manifest = await chooseBackup(target.layout, request.at ? { kind: 'time', at: request.at } : { kind: 'latest' });
    const scratch = scratchFolder(target.layout.root, 'table');
    await materialiseBackup(backupFolder(target.layout, manifest.id), manifest, path.join(scratch, 'data'));
    const server = await startRecovery({
      dataDir: path.join(scratch, 'data'),
      archiveDir: target.layout.walDir,
      target: recovery,
      superuserPassword: target.superuserPassword,
      keepArchiving: false,
      scratch: true,
    }).catch(async (error: unknown) => {
      await fs.rm(scratch, { recursive: true, force: true });
      throw error;
    });
    const live = new pg.Client({ connectionString: ownerUrl, application_name: 'clinic-table-restore' });
    try {
      await live.connect();
      await live.query('BEGIN');
      await live.query(`SELECT set_config('app.current_user_id', $1, true), set_config('lock_timeout', '5s', true)`, [request.adminUserId]);
      const shape = await tableShape(live, request.table);
      await loadBackupRows(
        `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/clinic`,
        live,
        request.table,
        shape,
      );
      const result = await work(live, shape, manifest.id);
      await live.query('COMMIT');
      return result;
    } catch (error) {
      await live.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await live.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await fs.rm(scratch, { recursive: true, force: true });
    }
  });
}

/** How many rows of the table differ from the backup, by primary key; changes nothing. */
export function compareTable(target: EmbeddedBackupTarget, ownerUrl: string, request: TableRestoreRequest) {
  return withScratchAndLive(target, ownerUrl, request, async (live, shape, backupId) => ({
    backupId,
    ...(await countDifferences(live, request.table, shape)),
  }));
}

/**
 * Copies the table's rows back as the backup had them, in one transaction, only if the differences
 * are still those the administrator confirmed. A row other tables still reference, or a trigger's
 * refusal, rolls the whole table back.
 */
export function restoreTable(
  target: EmbeddedBackupTarget,
  ownerUrl: string,
  request: TableRestoreRequest,
  expected: Omit<TableCounts, 'unchanged'>,
) {
  return withScratchAndLive(target, ownerUrl, request, async (live, shape, backupId) => {
    const before = await countDifferences(live, request.table, shape);
    if (before.added !== expected.added || before.removed !== expected.removed || before.changed !== expected.changed)
      throw new TableChanged(
        `${request.table} changed since it was compared (now ${before.added} added, ${before.removed} removed, ${before.changed} changed). Compare again.`,
      );
    await live.query(`LOCK TABLE ${pg.escapeIdentifier(request.table)} IN SHARE ROW EXCLUSIVE MODE`); // no writes between count and copy
    const recount = await countDifferences(live, request.table, shape);
    if (recount.added !== before.added || recount.removed !== before.removed || recount.changed !== before.changed)
      throw new TableChanged(`${request.table} changed while it was being restored. Compare again.`);
    await applyBackupRows(live, request.table, shape);
    const after = await countDifferences(live, request.table, shape);
    // Row level security filters a DELETE or UPDATE silently: all or nothing, never a half-restored table.
    if (after.added + after.removed + after.changed > 0)
      throw new TableChanged(
        `Only part of ${request.table} could be put back (row level security or a trigger kept ${after.added + after.removed + after.changed} rows), so nothing was changed.`,
      );
    return { backupId, before, after };
  });
}
