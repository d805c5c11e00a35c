import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export interface ArchiverRow {
  archiving: boolean;
  archived_count: number;
  last_archived_wal: string | null;
  last_archived_time: Date | null;
  failed_count: number;
  last_failed_wal: string | null;
  last_failed_time: Date | null;
}

/** pg_stat_archiver is readable by any role: the app's login sees it on a hospital's server too. */
export async function readArchiver(db: Kysely<Database>): Promise<ArchiverRow> {
  const { rows } = await sql<ArchiverRow>`
    SELECT current_setting('archive_mode') <> 'off' AS archiving, archived_count::int AS archived_count, last_archived_wal,
           last_archived_time, failed_count::int AS failed_count, last_failed_wal, last_failed_time
    FROM pg_stat_archiver`.execute(db);
  return rows[0]!;
}
