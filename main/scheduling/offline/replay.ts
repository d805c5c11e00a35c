import { sql, type Kysely } from 'kysely';
import { channels } from '../../../contract/index.js';
import type { Permission } from '../../../contract/permissions.js';
import type { SessionUser } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { inUserTransaction } from '../../db/user-transaction.js';
import { toClinicError } from '../../ipc/error-mapping.js';
import { ClinicFailure } from '../../shared/failure.js';
import {
  DatabaseGone,
  type BatchState,
  type OfflineChannel,
  type OfflineEntry,
  type ReplayDeps,
  type ReplayOutcome,
} from './replay-types.js';
import { replayBookingRun } from './replay-bookings.js';
import { loadOnce, replayOne } from './replay-one.js';
import { replayRegistrationRun } from './replay-registrations.js';
import { createdId, findSeen, isUuid, outcomeFromRecord } from './replay-store.js';

export {
  isOfflineChannel,
  OFFLINE_CHANNELS,
  OFFLINE_SIGN_IN_RECORD,
  type OfflineChannel,
  type OfflineEntry,
  type ReplayDeps,
  type ReplayOutcome,
} from './replay-types.js';

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
  // Changes the server already holds, answered from its record: reported together, not one by one.
  let answered: ReplayOutcome[] = [];
  const note = (entry: OfflineEntry, outcome: ReplayOutcome) => {
    if (outcome.outcome === 'needs-attention') setAside.add(entry.key);
    else {
      const id = createdId(entry, outcome.value);
      if (id !== null) serverIds.set(entry.key, id);
    }
  };
  const report = (outcomes: ReplayOutcome[]) => {
    all.push(...outcomes);
    deps.onBatch?.(outcomes);
  };
  const reportAnswered = () => {
    if (answered.length > 0) report(answered);
    answered = [];
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    report(await runBatch(db, batch, { ...deps, serverIds, setAside, users, note }));
  };

  for (const entry of entries) {
    const row = seen.get(entry.key);
    if (row) {
      await flush(); // keep order: what this answer binds must be known to the changes after it
      const outcome = outcomeFromRecord(entry, row);
      note(entry, outcome);
      answered.push(outcome);
      continue;
    }
    reportAnswered();
    pending.push(entry);
    if (pending.length >= batchSize) await flush();
  }
  reportAnswered();
  await flush();
  return all;
}

async function runBatch(db: Kysely<Database>, batch: OfflineEntry[], state: BatchState): Promise<ReplayOutcome[]> {
  try {
    return await (state.write ?? inUserTransaction)(db, null, async (trx) => {
      const outcomes: ReplayOutcome[] = [];
      for (let i = 0; i < batch.length;) {
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

const SET_BASED = ['patients/register-patient', 'scheduling/book-appointment'] as const satisfies readonly OfflineChannel[];
type SetBasedChannel = (typeof SET_BASED)[number];

/**
 * The changes from `start` on that can be replayed as a set: registrations or bookings of one user,
 * in a row. Registrations must depend on nothing; a booking for a walk-in is bound first.
 */
function setRun(batch: OfflineEntry[], start: number): OfflineEntry[] {
  const first = batch[start]!;
  if (!(SET_BASED as readonly string[]).includes(first.channel)) return [];
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
    const allowed =
      !(user instanceof ClinicFailure) && user.permissions.includes(channels[channel as SetBasedChannel].access as Permission);
    let outcomes: ReplayOutcome[] | null = null;
    if (allowed && channel === 'patients/register-patient') outcomes = await replayRegistrationRun(trx, run);
    if (allowed && channel === 'scheduling/book-appointment')
      outcomes = (await replayBookingRun(trx, run, state.serverIds, userId))?.applied ?? null;
    await sql
      .raw(outcomes ? 'RELEASE SAVEPOINT replay_run' : 'ROLLBACK TO SAVEPOINT replay_run; RELEASE SAVEPOINT replay_run')
      .execute(trx);
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
