import { sql, type Kysely } from 'kysely';
import type { AuditEntry, AuditFilter } from '../../contract/index.js';
import type { Database } from '../db/database.js';

// The patient a row is about, as audit_patient_of (migration 026) reads it.
const patientOf = sql<string | null>`COALESCE(a.new_values ->> 'patient_id', a.old_values ->> 'patient_id')`;

/** Audit rows matching the filter, newest first, with log_id below `before` (keyset paging). */
export async function findAuditEntries(
  db: Kysely<Database>,
  filter: AuditFilter,
  before: number | null,
  limit: number,
): Promise<AuditEntry[]> {
  // The page is chosen from audit_log alone (one index walk newest first), then its users are joined:
  // joined first, a planner with stale statistics sorted every matching row.
  let page = db.selectFrom('audit_log as a').selectAll('a').orderBy('a.log_id', 'desc').limit(limit);
  if (before !== null) page = page.where('a.log_id', '<', before);
  // Through audit_patient_rows: under row level security a filter on the JSON could use no index.
  if (filter.patientId !== undefined)
    page = page.where(
      'a.log_id',
      'in',
      sql<number>`(SELECT p.log_id FROM audit_patient_rows p WHERE p.patient_id = ${filter.patientId}${before === null ? sql`` : sql` AND p.log_id < ${before}`})`,
    );
  if (filter.userId !== undefined) page = page.where('a.user_id', '=', filter.userId);
  if (filter.tableName !== undefined) page = page.where('a.table_name', '=', filter.tableName);
  if (filter.action !== undefined) page = page.where('a.operation', '=', filter.action);
  if (filter.from !== undefined) page = page.where('a.timestamp', '>=', sql<Date>`${filter.from}::date`);
  if (filter.to !== undefined) page = page.where('a.timestamp', '<', sql<Date>`${filter.to}::date + 1`);
  return db
    .selectFrom(page.as('a'))
    .leftJoin('users as u', 'u.user_id', 'a.user_id')
    .select([
      'a.log_id as logId',
      sql<string>`to_char(a."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('at'),
      'a.table_name as tableName',
      'a.operation as action',
      'a.user_id as userId',
      'u.display_name as userName',
      'a.db_login as dbLogin',
      patientOf.as('patientId'),
      sql<string>`left(COALESCE(a.new_values, a.old_values, '{}'::jsonb)::text, 2000)`.as('detail'),
    ])
    .orderBy('a.log_id', 'desc')
    .execute();
}
