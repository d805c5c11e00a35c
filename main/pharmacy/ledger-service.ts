// Pages of the ledger for the grid (and its CSV, which the renderer builds from these rows).
import type { Kysely } from 'kysely';
import type { LedgerEntry, LedgerSort, LedgerType } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import { decodeCursor, encodeCursor, findLedgerPage, findPatientNames } from './ledger.repository.js';
import { dayRange } from './pharmacy-dates.js';

export interface LedgerRequest {
  medicineId?: number | undefined;
  patientId?: number | undefined;
  userId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  types?: LedgerType[] | undefined;
  sort: LedgerSort;
  direction: 'asc' | 'desc';
  cursor: string | null;
  limit: number;
}

export async function listLedger(
  db: Kysely<Database>,
  request: LedgerRequest,
): Promise<{ rows: LedgerEntry[]; nextCursor: string | null }> {
  const after = request.cursor === null ? null : decodeCursor(request.cursor);
  if (request.cursor !== null && after === null)
    throw failure('Validation', 'This page cursor is not one the ledger handed out: start again from the first page.', [
      { path: 'cursor', message: 'Not a cursor from this list' },
    ]);
  const { since, until } = dayRange(request.from, request.to);
  // One row more than asked tells whether another page follows.
  const page = await findLedgerPage(
    db,
    { medicineId: request.medicineId, patientId: request.patientId, userId: request.userId, since, until, types: request.types },
    request.sort,
    request.direction,
    after,
    request.limit + 1,
  );
  const more = page.length > request.limit;
  const rows = more ? page.slice(0, request.limit) : page;
  const names = await findPatientNames(db, [...new Set(rows.flatMap((r) => (r.patientId === null ? [] : [r.patientId])))]);
  const last = rows.at(-1);
  return {
    rows: rows.map(({ sortKey: _key, ...r }) => ({ ...r, patientName: r.patientId === null ? null : (names.get(r.patientId) ?? null) })),
    nextCursor: more && last ? encodeCursor({ key: last.sortKey, id: last.transactionId }) : null,
  };
}
