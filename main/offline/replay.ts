import { sql, type Kysely } from 'kysely';
import { channels, isChannelKey, type ChannelKey } from '../../contract/channels.js';
import type { ClinicError } from '../../contract/errors.js';
import type { Permission } from '../../contract/permissions.js';
import type { PatientSearchResult, SessionUser } from '../../contract/schemas.js';
import type { SessionStore } from '../auth/session-store.js';
import type { Database } from '../db/database.js';
import { inUserTransaction } from '../db/user-transaction.js';
import { toClinicError } from '../ipc/error-mapping.js';
import { ClinicFailure, failure, possibleDuplicate } from '../ipc/failure.js';
import { recordAuthEvent } from '../repositories/security.repository.js';
import type { HandlerContext, HandlerMap } from '../ipc/handler-types.js';
import type { Terminal } from '../services/session-service.js';
import type { OutboxEntry } from './outbox.js';
import { replayBookingRun } from './replay-bookings.js';
import { replayRegistrationRun } from './replay-registrations.js';
import { boundInput, createdId, findSeen, isUuid, loadActingUser, payloadHash, storeResult, type Seen } from './replay-store.js';

/** What a terminal may do while the database is unreachable, and so what replay accepts. */
export const OFFLINE_CHANNELS = [
  'patients/register-patient',
  'scheduling/book-appointment',
  'scheduling/reschedule-appointment',
  'scheduling/cancel-appointment',
  'scheduling/set-appointment-status',
] as const satisfies readonly ChannelKey[];
export type OfflineChannel = (typeof OFFLINE_CHANNELS)[number];
export const isOfflineChannel = (channel: string): channel is OfflineChannel => (OFFLINE_CHANNELS as readonly string[]).includes(channel);

export type ReplayOutcome =
  | { key: string; outcome: 'applied' | 'duplicate'; value: unknown }
  /** Refused or clashing: goes to the Needs-attention inbox with the original request. */
  | { key: string; outcome: 'needs-attention'; error: ClinicError; entry: OfflineEntry; blockedBy?: string };

/** An outbox entry as replay reads it. */
export type OfflineEntry = OutboxEntry;

export interface ReplayDeps {
  handlers: HandlerMap;
  sessions: SessionStore;
  terminal: Terminal;
  logInternal: (message: string, error: unknown) => void;
  /** Changes per transaction (each under its own savepoint). */
  batchSize?: number;
  /** Told after each committed batch, so the caller can mark those entries done before the next. */
  onBatch?: (outcomes: ReplayOutcome[]) => void;
}

/** Stops the current batch: the database went away, nothing of this batch was committed. */
class DatabaseGone extends Error {}

/**
 * Replays a terminal's outbox in order, each change exactly once: what the server already holds is
 * found in one query per user and answered from its stored result; each new change runs under its
 * own savepoint as the user who made it (so the audit trail names them), with its result stored
 * under its idempotency key in the same transaction, many changes per transaction. A refused or
 * clashing change is recorded and set aside — it never blocks the ones behind it; the changes that
 * depend on it (a booking for a walk-in whose registration clashed) are held with it.
 */
export async function replayOutbox(db: Kysely<Database>, queued: OfflineEntry[], deps: ReplayDeps): Promise<ReplayOutcome[]> {
  const entries = inDependencyOrder(queued);
  const batchSize = deps.batchSize ?? 1000;
  const seen = await findSeen(db, entries);
  const serverIds = new Map<string, number>();
  const setAside = new Set<string>();
  const users = new Map<string, SessionUser | ClinicFailure>();
  const all: ReplayOutcome[] = [];
  let pending: OfflineEntry[] = [];

  const answerFromServer = (entry: OfflineEntry, row: Seen): ReplayOutcome => {
    if (row.payload_sha256 !== payloadHash(entry)) {
      return { key: entry.key, outcome: 'needs-attention', error: { code: 'Conflict', message: 'This change was already sent with different details; it was not applied again.' }, entry };
    }
    return row.status === 'applied' ? { key: entry.key, outcome: 'duplicate', value: row.result } : { key: entry.key, outcome: 'needs-attention', error: row.result as unknown as ClinicError, entry };
  };
  const note = (entry: OfflineEntry, outcome: ReplayOutcome) => {
    if (outcome.outcome === 'needs-attention') setAside.add(entry.key);
    else {
      const id = createdId(entry, outcome.value);
      if (id !== null) serverIds.set(entry.key, id);
    }
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const outcomes = await runBatch(db, batch, { ...deps, serverIds, setAside, users, note });
    all.push(...outcomes);
    deps.onBatch?.(outcomes);
  };

  for (const entry of entries) {
    const row = seen.get(entry.key);
    if (row) {
      await flush(); // keep order: what this answer binds must be known to the changes after it
      const outcome = answerFromServer(entry, row);
      note(entry, outcome);
      all.push(outcome);
      deps.onBatch?.([outcome]);
      continue;
    }
    pending.push(entry);
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  return all;
}

interface BatchState extends ReplayDeps {
  serverIds: Map<string, number>;
  setAside: Set<string>;
  users: Map<string, SessionUser | ClinicFailure>;
  note: (entry: OfflineEntry, outcome: ReplayOutcome) => void;
}

async function runBatch(db: Kysely<Database>, batch: OfflineEntry[], state: BatchState): Promise<ReplayOutcome[]> {
  try {
    return await inUserTransaction(db, null, async (trx) => {
      const outcomes: ReplayOutcome[] = [];
      for (let i = 0; i < batch.length; ) {
        const run = setRun(batch, i);
        const group = run.length > 1 ? run : [batch[i]!];
        const setBased = new Map((run.length > 1 ? ((await replayRun(trx, run, state)) ?? []) : []).map((o) => [o.key, o]));
        for (const entry of group) {
          const outcome = setBased.get(entry.key) ?? (await replayOne(trx, entry, state));
          state.note(entry, outcome);
          outcomes.push(outcome);
        }
        i += group.length;
      }
      return outcomes;
    });
  } catch (error) {
    if (error instanceof DatabaseGone) throw error.cause;
    throw error;
  }
}

const SET_BASED = ['patients/register-patient', 'scheduling/book-appointment'];

/**
 * The changes from `start` on that can be replayed as a set: registrations or bookings of one user,
 * in a row. Registrations must depend on nothing; a booking for a walk-in is bound first.
 */
function setRun(batch: OfflineEntry[], start: number): OfflineEntry[] {
  const first = batch[start]!;
  if (!SET_BASED.includes(first.channel)) return [];
  const run: OfflineEntry[] = [];
  for (let i = start; i < batch.length; i += 1) {
    const e = batch[i]!;
    if (e.channel !== first.channel || e.userId !== first.userId || !isUuid(e.key) || !isUuid(e.userId)) break;
    if (e.channel === 'patients/register-patient' && e.dependsOn.length > 0) break;
    run.push(e);
  }
  return run;
}

/** A run as one savepoint: the outcomes it settled (bookings that clashed are left for one by one); null: none. */
async function replayRun(trx: Kysely<Database>, run: OfflineEntry[], state: BatchState): Promise<ReplayOutcome[] | null> {
  const userId = run[0]!.userId;
  const channel = run[0]!.channel;
  await sql.raw(`SAVEPOINT replay_run; SELECT set_config('app.current_user_id', '${userId}', true)`).execute(trx);
  try {
    const user = state.users.get(userId) ?? (await loadOnce(trx, userId, state.users));
    const allowed = !(user instanceof ClinicFailure) && user.permissions.includes(channel === 'patients/register-patient' ? 'patients.write' : 'appointments.write');
    let outcomes: ReplayOutcome[] | null = null;
    if (allowed && channel === 'patients/register-patient') outcomes = await replayRegistrationRun(trx, run);
    if (allowed && channel === 'scheduling/book-appointment') outcomes = (await replayBookingRun(trx, run, state.serverIds, userId))?.applied ?? null;
    await sql.raw(outcomes ? 'RELEASE SAVEPOINT replay_run' : 'ROLLBACK TO SAVEPOINT replay_run; RELEASE SAVEPOINT replay_run').execute(trx);
    return outcomes;
  } catch (error) {
    if (toClinicError(error, () => undefined).code === 'Unavailable') throw new DatabaseGone('database gone', { cause: error });
    try {
      await sql.raw('ROLLBACK TO SAVEPOINT replay_run; RELEASE SAVEPOINT replay_run').execute(trx);
    } catch (rollbackError) {
      throw new DatabaseGone('database gone', { cause: rollbackError });
    }
    return null;
  }
}

async function replayOne(trx: Kysely<Database>, entry: OfflineEntry, state: BatchState): Promise<ReplayOutcome> {
  const hash = payloadHash(entry);
  const blocker = entry.dependsOn.find((key) => state.setAside.has(key));
  if (blocker) {
    // Held with what it needs; not recorded, so it runs once the clerk has settled that one.
    return { key: entry.key, outcome: 'needs-attention', error: { code: 'Conflict', message: 'Waits for the walk-in registration it belongs to.' }, entry, blockedBy: blocker };
  }
  if (!isUuid(entry.key) || !isUuid(entry.userId)) {
    return { key: entry.key, outcome: 'needs-attention', error: { code: 'Validation', message: 'This change has no valid key or user; it cannot be sent.' }, entry };
  }
  // The user id is a checked UUID, so it may share the SAVEPOINT's round trip.
  await sql.raw(`SAVEPOINT replay_entry; SELECT set_config('app.current_user_id', '${entry.userId}', true)`).execute(trx);
  try {
    const value = await apply(trx, entry, state);
    if (!(await storeResult(trx, entry, hash, 'applied', value))) return await raced(trx, entry);
    await sql`RELEASE SAVEPOINT replay_entry`.execute(trx);
    return { key: entry.key, outcome: 'applied', value };
  } catch (error) {
    if (error instanceof DatabaseGone) throw error;
    const clinicError = toClinicError(error, state.logInternal);
    if (clinicError.code === 'Unavailable') throw new DatabaseGone('database gone', { cause: error });
    await rollbackEntry(trx, entry.userId);
    // Recorded too, so a second replay gives the same answer instead of trying again.
    if (!(await storeResult(trx, entry, hash, 'rejected', clinicError))) return await raced(trx, entry);
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
  const row = (await findSeen(trx, [entry], true)).get(entry.key);
  if (!row) return { key: entry.key, outcome: 'needs-attention', error: { code: 'Conflict', message: 'This change’s key is already used by someone else.' }, entry };
  return row.status === 'applied' ? { key: entry.key, outcome: 'duplicate', value: row.result } : { key: entry.key, outcome: 'needs-attention', error: row.result as unknown as ClinicError, entry };
}

async function apply(trx: Kysely<Database>, entry: OfflineEntry, state: BatchState): Promise<unknown> {
  const channel = entry.channel;
  if (channel === OFFLINE_SIGN_IN_RECORD) return recordOfflineSignIn(trx, entry, state);
  if (!isChannelKey(channel) || !isOfflineChannel(channel)) throw failure('Validation', 'This kind of change cannot be made offline.');
  const spec = channels[channel];
  const input = spec.input.parse(await boundInput(trx, entry, state.serverIds));
  const user = state.users.get(entry.userId) ?? (await loadOnce(trx, entry.userId, state.users));
  if (user instanceof ClinicFailure) throw user;
  if (!user.permissions.includes(spec.access as Permission)) throw failure('Forbidden', `${user.displayName} may no longer do this.`);
  const senderId = `replay:${entry.key}`;
  const ctx: HandlerContext = {
    senderId,
    session: { user, senderId, startedAt: 0, lastActivityAt: 0, lockedAt: null, idleMs: 0, maxMs: 0 },
    sessions: state.sessions,
    status: () => ({ database: 'connected', mode: 'server', detail: '', checkedAt: new Date().toISOString(), waitingChanges: 0, needsAttention: 0 }),
    demoAccounts: () => null,
    databaseSettings: null,
    logInfo: () => undefined,
    // The clerk acted then: "already passed" is judged at the time the change was made.
    now: () => new Date(entry.createdAt),
    terminal: state.terminal,
    medicalHistoryKey: () => null,
    offline: null,
  };
  const handler = state.handlers[channel];
  if (handler.kind !== 'db') throw failure('Validation', 'This kind of change cannot be made offline.');
  const run = handler.run as (t: Kysely<Database>, i: unknown, c: HandlerContext) => Promise<unknown>;
  const value = spec.output.parse(await run(trx, input, ctx));
  const maybe = value as { status?: string; candidates?: unknown[] };
  if (channel === 'patients/register-patient' && maybe.status === 'possible-duplicates') {
    throw possibleDuplicate('This walk-in may already be registered: the same name and birth date, or the same phone.', maybe.candidates as PatientSearchResult[]);
  }
  return value;
}

/** The outbox record of a sign-in made offline: it reaches the server's audit trail like any sign-in. */
export const OFFLINE_SIGN_IN_RECORD = 'audit/offline-sign-in';

async function recordOfflineSignIn(trx: Kysely<Database>, entry: OfflineEntry, state: BatchState): Promise<{ recorded: true }> {
  const user = state.users.get(entry.userId) ?? (await loadOnce(trx, entry.userId, state.users));
  const email = user instanceof ClinicFailure ? (entry.userName ?? '') : user.email;
  const terminal = String((entry.input as { terminal?: unknown } | null)?.terminal ?? state.terminal.name);
  await recordAuthEvent(trx, 'SIGNIN', { userId: entry.userId, email }, terminal, { offline: true, signed_in_at: entry.createdAt });
  return { recorded: true };
}

/** Loads the acting user once per replay; a refusal (deactivated) is remembered like a user. */
async function loadOnce(trx: Kysely<Database>, userId: string, users: Map<string, SessionUser | ClinicFailure>): Promise<SessionUser | ClinicFailure> {
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

/** Each change after the ones it depends on (a reordered queue still books a walk-in after registering it). */
export function inDependencyOrder(entries: OfflineEntry[]): OfflineEntry[] {
  const keys = new Set(entries.map((e) => e.key));
  const placed = new Set<string>();
  const ordered: OfflineEntry[] = [];
  let waiting = entries;
  while (waiting.length > 0) {
    const later: OfflineEntry[] = [];
    for (const e of waiting) {
      if (e.dependsOn.every((k) => !keys.has(k) || placed.has(k))) {
        ordered.push(e);
        placed.add(e.key);
      } else later.push(e);
    }
    if (later.length === waiting.length) return [...ordered, ...later]; // a cycle: leave those as they came
    waiting = later;
  }
  return ordered;
}
