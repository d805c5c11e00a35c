import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';

// The server's side of exactly-once replay: offline_requests holds key → payload hash → result.

export interface Seen {
  idempotency_key: string;
  payload_sha256: string;
  status: string;
  result: unknown;
}

export const selectSeen = (db: Kysely<Database>, keys: string[]) =>
  db
    .selectFrom('offline_requests')
    .select(['idempotency_key', 'payload_sha256', 'status', 'result'])
    .where('idempotency_key', '=', sql<string>`ANY(${keys}::uuid[])`)
    .execute() as Promise<Seen[]>;

/** Inserts result rows in one statement; false when another replay stored any of these keys first. */
export async function insertOfflineRequests(
  trx: Kysely<Database>,
  rows: { key: string; user_id: string; channel: string; sha: string; status: 'applied' | 'rejected'; result: unknown; made_at: string }[],
): Promise<boolean> {
  if (rows.length === 0) return true;
  const stored = await sql<{ idempotency_key: string }>`
    INSERT INTO offline_requests (idempotency_key, user_id, channel, payload_sha256, status, result, made_at)
    SELECT r.key, r.user_id, r.channel, r.sha, r.status, r.result, r.made_at
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(key uuid, user_id uuid, channel text, sha text, status text, result jsonb, made_at timestamptz)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key`.execute(trx);
  return stored.rows.length === rows.length;
}
