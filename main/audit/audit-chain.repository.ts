import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export interface ChainLinkRow {
  position: string;
  log_id: number;
  prev_hash: Buffer | null;
  row_hash: Buffer;
  /** The audit row is still there. */
  present: boolean;
  /** sha256(prev_hash || digest of the row as it is now): equals row_hash while the row is untouched. */
  recomputed: Buffer | null;
  /** Linked at its own commit, yet its time is not that commit's: written with a made-up time. */
  time_mismatch: boolean;
}

/** One batch of the chain in order, each link beside the audit row it protects (migration 026). */
export async function findChainLinks(db: Kysely<Database>, afterPosition: number, limit: number): Promise<ChainLinkRow[]> {
  const { rows } = await sql<ChainLinkRow>`
    SELECT c.position, c.log_id, c.prev_hash, c.row_hash, a.log_id IS NOT NULL AS present,
           CASE WHEN a.log_id IS NOT NULL
                THEN pg_catalog.sha256(COALESCE(c.prev_hash, '\\x'::bytea) || public.audit_row_digest(a)) END AS recomputed,
           (NOT c.backfilled AND a.log_id IS NOT NULL AND a."timestamp" IS DISTINCT FROM c.linked_at) AS time_mismatch
      FROM audit_chain c LEFT JOIN audit_log a ON a.log_id = c.log_id
     WHERE c.position > ${afterPosition}
     ORDER BY c.position
     LIMIT ${limit}`.execute(db);
  return rows;
}

export async function findChainHead(db: Kysely<Database>) {
  const { rows } = await sql<{ last_position: string; last_hash: Buffer | null; sealed: boolean }>`
    SELECT last_position, last_hash, sealed FROM audit_chain_head`.execute(db);
  return rows[0] ?? null;
}

/** Audit rows no link points at: written past the chain's trigger (or by a transaction still open). */
export async function findUnlinkedAuditRows(db: Kysely<Database>, limit: number): Promise<number[]> {
  const { rows } = await sql<{ log_id: number }>`
    SELECT a.log_id FROM audit_log a
     WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.log_id = a.log_id)
     ORDER BY a.log_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.log_id);
}
