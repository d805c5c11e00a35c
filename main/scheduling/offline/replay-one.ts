import { sql, type Kysely } from 'kysely';
import { channels, isChannelKey } from '../../../contract/index.js';
import type { Permission } from '../../../contract/permissions.js';
import type { PatientSearchResult, SessionUser } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { toClinicError } from '../../ipc/error-mapping.js';
import { ClinicFailure, failure, possibleDuplicate } from '../../shared/failure.js';
import type { HandlerContext, HandlerMap } from '../../ipc/handler-types.js';
import { POSSIBLE_DUPLICATE } from '../../patients/index.js';
import { recordAuthEvent } from '../../db/auth-events.js';
import {
  DatabaseGone,
  isOfflineChannel,
  OFFLINE_SIGN_IN_RECORD,
  type BatchState,
  type OfflineChannel,
  type OfflineEntry,
  type ReplayOutcome,
} from './replay-types.js';
import { boundInput, findSeen, isUuid, loadActingUser, outcomeFromRecord, storeResults } from './replay-store.js';

// One change replayed under its own savepoint, as the user who made it: the careful path, and the one
// every clash, move and cancel takes.

export async function replayOne(trx: Kysely<Database>, entry: OfflineEntry, state: BatchState): Promise<ReplayOutcome> {
  const blocker = entry.dependsOn.find((key) => state.setAside.has(key));
  if (blocker) {
    // Held with what it needs; not recorded, so it runs once the clerk has settled that one.
    return {
      key: entry.key,
      outcome: 'needs-attention',
      error: { code: 'Conflict', message: 'Waits for the walk-in registration it belongs to.' },
      entry,
      blockedBy: blocker,
    };
  }
  if (!isUuid(entry.key) || !isUuid(entry.userId)) {
    return {
      key: entry.key,
      outcome: 'needs-attention',
      error: { code: 'Validation', message: 'This change has no valid key or user; it cannot be sent.' },
      entry,
    };
  }
  // The user id is a checked UUID, so it may share the SAVEPOINT's round trip.
  await sql.raw(`SAVEPOINT replay_entry; SELECT set_config('app.current_user_id', '${entry.userId}', true)`).execute(trx);
  try {
    const value = await apply(trx, entry, state);
    if (!(await storeResults(trx, [{ entry, status: 'applied', result: value }]))) return await raced(trx, entry);
    await sql`RELEASE SAVEPOINT replay_entry`.execute(trx);
    return { key: entry.key, outcome: 'applied', value };
  } catch (error) {
    if (error instanceof DatabaseGone) throw error;
    const clinicError = toClinicError(error, state.logInternal);
    if (clinicError.code === 'Unavailable') throw new DatabaseGone('database gone', { cause: error });
    await rollbackEntry(trx, entry.userId);
    // Recorded too, so a second replay gives the same answer instead of trying again.
    if (!(await storeResults(trx, [{ entry, status: 'rejected', result: clinicError }]))) return await raced(trx, entry);
    await sql`RELEASE SAVEPOINT replay_entry`.execute(trx);
    return { key: entry.key, outcome: 'needs-attention', error: clinicError, entry };
  }
}

/** Undoes the entry's work; set_config is transactional too, so the acting user is set again. */
async function rollbackEntry(trx: Kysely<Database>, userId: string) {
  try {
    await sql.raw(`ROLLBACK TO SAVEPOINT replay_entry; SELECT set_config('app.current_user_id', '${userId}', true)`).execute(trx);
  } catch (error) {
    throw new DatabaseGone('database gone', { cause: error });
  }
}

/** Another terminal stored this key first (same outbox replayed twice at once): its answer stands. */
async function raced(trx: Kysely<Database>, entry: OfflineEntry): Promise<ReplayOutcome> {
  await rollbackEntry(trx, entry.userId);
  await sql`RELEASE SAVEPOINT replay_entry`.execute(trx);
  return outcomeFromRecord(entry, (await findSeen(trx, [entry], true)).get(entry.key));
}

async function apply(trx: Kysely<Database>, entry: OfflineEntry, state: BatchState): Promise<unknown> {
  const channel = entry.channel;
  if (channel === OFFLINE_SIGN_IN_RECORD) return recordOfflineSignIn(trx, entry, state);
  offlineChannel(channel);
  const input = await boundInput(trx, entry, state.serverIds);
  const user = state.users.get(entry.userId) ?? (await loadOnce(trx, entry.userId, state.users));
  if (user instanceof ClinicFailure) throw user;
  const senderId = `replay:${entry.key}`;
  const ctx: HandlerContext = {
    senderId,
    session: { user, senderId, startedAt: 0, lastActivityAt: 0, lockedAt: null, idleMs: 0, maxMs: 0 },
    sessions: state.sessions,
    status: () => ({
      database: 'connected',
      mode: 'server',
      detail: '',
      checkedAt: new Date().toISOString(),
      waitingChanges: 0,
      needsAttention: 0,
    }),
    demoAccounts: () => null,
    databaseSettings: null,
    logInfo: () => undefined,
    // The clerk acted then: "already passed" is judged at the time the change was made.
    now: () => new Date(entry.createdAt),
    terminal: state.terminal,
    medicalHistoryKey: () => null,
    signedIn: () => undefined,
  };
  const value = await runChange(trx, state.handlers, channel, input, ctx, `${user.displayName} may no longer do this.`);
  const maybe = value as { status?: string; candidates?: unknown[] };
  if (channel === 'patients/register-patient' && maybe.status === 'possible-duplicates') {
    throw possibleDuplicate(POSSIBLE_DUPLICATE, maybe.candidates as PatientSearchResult[]);
  }
  return value;
}

async function recordOfflineSignIn(trx: Kysely<Database>, entry: OfflineEntry, state: BatchState): Promise<{ recorded: true }> {
  const user = state.users.get(entry.userId) ?? (await loadOnce(trx, entry.userId, state.users));
  const email = user instanceof ClinicFailure ? (entry.userName ?? '') : user.email;
  const terminal = String((entry.input as { terminal?: unknown } | null)?.terminal ?? state.terminal.name);
  await recordAuthEvent(trx, 'SIGNIN', { userId: entry.userId, email }, terminal, { offline: true, signed_in_at: entry.createdAt });
  return { recorded: true };
}

function offlineChannel(channel: string): OfflineChannel {
  if (!isChannelKey(channel) || !isOfflineChannel(channel)) throw failure('Validation', 'This kind of change cannot be made offline.');
  return channel;
}

/**
 * Runs an offline change's own handler in `trx` as the context's user: the channel must be one a
 * terminal may queue, the input and output are checked against the contract, the permission is checked.
 * Replay and the Needs-attention fixes both go through here.
 */
export async function runChange(
  trx: Kysely<Database>,
  handlers: HandlerMap,
  channel: string,
  input: unknown,
  ctx: HandlerContext,
  forbidden: string,
): Promise<unknown> {
  const key = offlineChannel(channel);
  const spec = channels[key];
  const parsed = spec.input.parse(input);
  if (!ctx.session!.user.permissions.includes(spec.access as Permission)) throw failure('Forbidden', forbidden);
  const handler = handlers[key];
  if (handler.kind !== 'db') throw failure('Validation', 'This kind of change cannot be made offline.');
  const run = handler.run as (t: Kysely<Database>, i: unknown, c: HandlerContext) => Promise<unknown>;
  return spec.output.parse(await run(trx, parsed, ctx));
}

/** Loads the acting user once per replay; a refusal (deactivated) is remembered like a user. */
export async function loadOnce(
  trx: Kysely<Database>,
  userId: string,
  users: Map<string, SessionUser | ClinicFailure>,
): Promise<SessionUser | ClinicFailure> {
  let user: SessionUser | ClinicFailure;
  try {
    user = await loadActingUser(trx, userId);
  } catch (error) {
    if (!(error instanceof ClinicFailure)) throw error;
    user = error;
  }
  users.set(userId, user);
  return user;
}
