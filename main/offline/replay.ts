import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { channels, isChannelKey, type ChannelKey } from '../../contract/channels.js';
import type { ClinicError } from '../../contract/errors.js';
import { PERMISSIONS, ROLE_NAMES, type Permission, type RoleName } from '../../contract/permissions.js';
import type { SessionUser } from '../../contract/schemas.js';
import type { SessionStore } from '../auth/session-store.js';
import type { Database } from '../db/database.js';
import { inUserTransaction } from '../db/user-transaction.js';
import { toClinicError } from '../ipc/error-mapping.js';
import { failure } from '../ipc/failure.js';
import type { HandlerContext, HandlerMap } from '../ipc/handler-types.js';
import { findRolesAndPermissions, findUserById } from '../repositories/users.repository.js';
import type { Terminal } from '../services/session-service.js';
import type { OutboxEntry } from './outbox.js';

/** What a terminal may do while the database is unreachable, and so what replay accepts. */
export const OFFLINE_CHANNELS = [
  'patients/register-patient',
  'scheduling/book-appointment',
  'scheduling/reschedule-appointment',
  'scheduling/cancel-appointment',
  'scheduling/set-appointment-status',
] as const satisfies readonly ChannelKey[];

export type ReplayOutcome =
  | { key: string; outcome: 'applied' | 'duplicate'; value: unknown }
  /** Rejected or clashing: goes to the clerk's Needs-attention inbox with the original request. */
  | { key: string; outcome: 'needs-attention'; error: ClinicError; entry: OfflineEntry };

/** An outbox entry as replay reads it; `patientFrom` points at an earlier registration (a walk-in). */
export type OfflineEntry = OutboxEntry & { patientFrom?: string };

const payloadHash = (entry: OfflineEntry) =>
  createHash('sha256').update(JSON.stringify({ channel: entry.channel, input: entry.input, patientFrom: entry.patientFrom ?? null })).digest('hex');

async function loadUser(trx: Kysely<Database>, userId: string): Promise<SessionUser> {
  const user = await findUserById(trx, userId);
  if (!user || user.is_active === false) throw failure('Forbidden', 'The user who made this change is no longer active.');
  const access = await findRolesAndPermissions(trx, userId);
  return {
    userId,
    email: user.email,
    displayName: user.display_name || user.email,
    roles: access.roles.filter((r): r is RoleName => (ROLE_NAMES as readonly string[]).includes(r)),
    permissions: access.permissions.filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p)),
    signedInAt: new Date().toISOString(),
  };
}

/** The patient id a walk-in registered offline got on the server, from its stored result. */
function boundInput(entry: OfflineEntry, patientIds: Map<string, number>): unknown {
  if (!entry.patientFrom) return entry.input;
  const patientId = patientIds.get(entry.patientFrom);
  if (patientId === undefined) throw failure('Conflict', 'The walk-in patient this booking is for was not registered.');
  return { ...(entry.input as object), patientId };
}

/**
 * Replays a terminal's outbox in order, each change exactly once: its result is stored under its
 * idempotency key in the same transaction as the change, the change runs as the user who made it
 * (so the audit trail names them), and a refused or clashing change is reported and skipped —
 * it never blocks the ones behind it.
 */
export async function replayOutbox(
  db: Kysely<Database>,
  entries: OfflineEntry[],
  deps: { handlers: HandlerMap; sessions: SessionStore; terminal: Terminal; logInternal: (m: string, e: unknown) => void },
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  const patientIds = new Map<string, number>();
  for (const entry of entries) {
    const outcome = await replayOne(db, entry, patientIds, deps);
    outcomes.push(outcome);
    if (outcome.outcome !== 'needs-attention' && entry.channel === 'patients/register-patient') {
      const value = outcome.value as { status: string; patient?: { patientId: number } };
      if (value.patient) patientIds.set(entry.key, value.patient.patientId);
    }
  }
  return outcomes;
}

async function replayOne(
  db: Kysely<Database>,
  entry: OfflineEntry,
  patientIds: Map<string, number>,
  deps: { handlers: HandlerMap; sessions: SessionStore; terminal: Terminal; logInternal: (m: string, e: unknown) => void },
): Promise<ReplayOutcome> {
  const hash = payloadHash(entry);
  try {
    return await inUserTransaction(db, entry.userId, async (trx) => {
      // Two terminals replaying the same change queue here; the second then finds the first's result.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${entry.key}, 0))`.execute(trx);
      const seen = await trx.selectFrom('offline_requests').select(['payload_sha256', 'status', 'result']).where('idempotency_key', '=', entry.key).executeTakeFirst();
      if (seen) {
        if (seen.payload_sha256 !== hash) throw failure('Conflict', 'This change was already sent with different details; it was not applied again.');
        return seen.status === 'applied'
          ? { key: entry.key, outcome: 'duplicate' as const, value: seen.result }
          : { key: entry.key, outcome: 'needs-attention' as const, error: seen.result as unknown as ClinicError, entry };
      }
      const channel = entry.channel;
      if (!isChannelKey(channel) || !(OFFLINE_CHANNELS as readonly string[]).includes(channel)) throw failure('Validation', 'This kind of change cannot be made offline.');
      const spec = channels[channel as ChannelKey];
      const input = spec.input.parse(boundInput(entry, patientIds));
      const user = await loadUser(trx, entry.userId);
      if (!user.permissions.includes(spec.access as Permission)) throw failure('Forbidden', `${user.displayName} may no longer do this.`);
      const ctx: HandlerContext = {
        senderId: `replay:${entry.key}`,
        session: { user, senderId: `replay:${entry.key}`, startedAt: 0, lastActivityAt: 0, lockedAt: null, idleMs: 0, maxMs: 0 },
        sessions: deps.sessions,
        status: () => ({ database: 'connected', mode: 'server', detail: '', checkedAt: new Date().toISOString() }),
        demoAccounts: () => null,
        databaseSettings: null,
        logInfo: () => undefined,
        // The clerk acted then: "already passed" is judged at the time the change was made.
        now: () => new Date(entry.createdAt),
        terminal: deps.terminal,
        medicalHistoryKey: () => null,
      };
      const handler = deps.handlers[channel as ChannelKey];
      if (handler.kind !== 'db') throw failure('Validation', 'This kind of change cannot be made offline.');
      const run = handler.run as (t: Kysely<Database>, i: unknown, c: HandlerContext) => Promise<unknown>;
      const value = spec.output.parse(await run(trx, input, ctx));
      await storeResult(trx, entry, hash, 'applied', value);
      return { key: entry.key, outcome: 'applied' as const, value };
    });
  } catch (error) {
    const clinicError = toClinicError(error, deps.logInternal);
    if (clinicError.code === 'Unavailable') throw error; // the database went away again: stop, resume later
    // Record the refusal too, so a second replay gives the same answer instead of trying again.
    await inUserTransaction(db, entry.userId, (trx) => storeResult(trx, entry, hash, 'rejected', clinicError)).catch(() => undefined);
    return { key: entry.key, outcome: 'needs-attention', error: clinicError, entry };
  }
}

async function storeResult(trx: Kysely<Database>, entry: OfflineEntry, hash: string, status: 'applied' | 'rejected', result: unknown) {
  await trx
    .insertInto('offline_requests')
    .values({
      idempotency_key: entry.key,
      user_id: entry.userId,
      channel: entry.channel.slice(0, 60),
      payload_sha256: hash,
      status,
      result: sql`${JSON.stringify(result)}::jsonb`,
      made_at: new Date(entry.createdAt),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}
