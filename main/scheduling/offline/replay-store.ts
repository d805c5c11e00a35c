import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ClinicError } from '../../../contract/errors.js';
import type { SessionUser } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { inUserTransaction } from '../../db/user-transaction.js';
import { failure } from '../../shared/failure.js';
import { findActiveSessionUser } from '../../session/index.js';
import type { ReplayOutcome } from './replay-types.js';
import type { OutboxEntry } from './outbox.js';
import { insertOfflineRequests, selectSeen, type Seen } from './offline-requests.repository.js';

// Replay's bookkeeping: each change's key and payload hash, what the server already answered, the ids
// provisional changes are bound to, and who acts (offline-requests.repository.ts holds the SQL).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export const payloadHash = (entry: OutboxEntry) =>
  createHash('sha256')
    .update(
      JSON.stringify({
        channel: entry.channel,
        input: entry.input,
        patientFrom: entry.patientFrom ?? null,
        appointmentFrom: entry.appointmentFrom ?? null,
      }),
    )
    .digest('hex');

/** What the server already holds for these entries: one query per user (each sees only their own results). */
export async function findSeen(db: Kysely<Database>, entries: OutboxEntry[], inTransaction = false): Promise<Map<string, Seen>> {
  const byUser = new Map<string, string[]>();
  for (const e of entries) if (isUuid(e.key) && isUuid(e.userId)) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e.key]);
  const seen = new Map<string, Seen>();
  for (const [userId, keys] of byUser) {
    const rows = inTransaction
      ? await selectSeen(db, keys)
      : await inUserTransaction(db, userId, (trx) => selectSeen(trx, keys), { readOnly: true });
    for (const row of rows) seen.set(row.idempotency_key, row);
  }
  return seen;
}

/**
 * The answer the server already holds for this change: its stored result once more, or a refusal
 * when the key was used for other details (or, unseen under row level security, by someone else).
 */
export function outcomeFromRecord(entry: OutboxEntry, row: Seen | undefined): ReplayOutcome {
  if (!row)
    return {
      key: entry.key,
      outcome: 'needs-attention',
      error: { code: 'Conflict', message: 'This change’s key is already used by someone else.' },
      entry,
    };
  if (row.payload_sha256 !== payloadHash(entry)) {
    return {
      key: entry.key,
      outcome: 'needs-attention',
      error: { code: 'Conflict', message: 'This change was already sent with different details; it was not applied again.' },
      entry,
    };
  }
  return row.status === 'applied'
    ? { key: entry.key, outcome: 'duplicate', value: row.result }
    : { key: entry.key, outcome: 'needs-attention', error: row.result as ClinicError, entry };
}

/** Stores many results in one statement; false when another replay stored any of these keys first. */
export function storeResults(
  trx: Kysely<Database>,
  results: { entry: OutboxEntry; status: 'applied' | 'rejected'; result: unknown }[],
): Promise<boolean> {
  return insertOfflineRequests(
    trx,
    results.map(({ entry, status, result }) => ({
      key: entry.key,
      user_id: entry.userId,
      channel: entry.channel.slice(0, 60),
      sha: payloadHash(entry),
      status,
      result,
      made_at: entry.createdAt,
    })),
  );
}

/** The server id a registration or booking created, from its result. */
export function createdId(entry: Pick<OutboxEntry, 'channel'>, value: unknown): number | null {
  const v = value as { patient?: { patientId?: number }; appointmentId?: number } | null;
  if (entry.channel === 'patients/register-patient') return v?.patient?.patientId ?? null;
  if (entry.channel === 'scheduling/book-appointment') return v?.appointmentId ?? null;
  return null;
}

/** Finds the server id made by the change `from` (a walk-in's registration or an offline booking). */
type ServerIdOf = (
  from: string,
  madeBy: 'patients/register-patient' | 'scheduling/book-appointment',
) => number | null | Promise<number | null>;

/** The change's input with provisional ids (a walk-in, an offline booking) replaced by the server's. */
export async function bindProvisional(entry: OutboxEntry, idOf: ServerIdOf): Promise<Record<string, unknown>> {
  let input = entry.input as Record<string, unknown>;
  const bindings = [
    ['patientId', entry.patientFrom, 'patients/register-patient', 'The walk-in this change is for was not registered.'],
    ['appointmentId', entry.appointmentFrom, 'scheduling/book-appointment', 'The booking this change is for was not made.'],
  ] as const;
  for (const [field, from, madeBy, missing] of bindings) {
    if (!from) continue;
    const id = await idOf(from, madeBy);
    if (id === null) throw failure('Conflict', missing);
    input = { ...input, [field]: id };
  }
  return input;
}

/** Binding during replay: ids made earlier in this run, else what the server stored for that change. */
export const boundInput = (trx: Kysely<Database>, entry: OutboxEntry, serverIds: Map<string, number>) =>
  bindProvisional(entry, async (from, madeBy) => {
    const known = serverIds.get(from);
    if (known !== undefined) return known;
    if (!isUuid(from)) return null;
    // Replayed in an earlier run (and compacted away here): the server kept the answer.
    const row = (await selectSeen(trx, [from]))[0];
    return row?.status === 'applied' ? createdId({ channel: madeBy }, row.result) : null;
  });

/** The user who made the change, as they are now: deactivated or stripped of the permission, they are refused. */
export async function loadActingUser(trx: Kysely<Database>, userId: string): Promise<SessionUser> {
  const user = await findActiveSessionUser(trx, userId, new Date());
  if (!user) throw failure('Forbidden', 'The user who made this change is no longer active.');
  return user;
}
