import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { inUserTransaction } from './user-transaction.js';

/** Where one request's transaction ran. */
export type ReadPlace = 'replica' | 'primary';
/** Why a read went to the primary although a replica is configured. */
export type PrimaryReason = 'lagging' | 'unreachable' | 'resting' | 'not-a-standby' | 'position-unknown';

type Work<T> = (trx: Kysely<Database>) => Promise<T>;

/**
 * How the one door runs a handler's transaction. `keys` name whose writes a read must see (the window,
 * the signed-in user): a read never sees less than what those keys wrote.
 */
export interface TransactionRouter {
  read<T>(primary: Kysely<Database>, keys: readonly string[], userId: string | null, work: Work<T>): Promise<T>;
  write<T>(primary: Kysely<Database>, keys: readonly string[], userId: string | null, work: Work<T>): Promise<T>;
}

/** Writes every read on this terminal must see (offline replay, Needs-attention fixes): no window or user owns them. */
export const TERMINAL_WRITES = 'terminal';

/** The router's write path for writes no request owns (offline replay, Needs-attention fixes): every read on this terminal then sees them. */
export const terminalWrite =
  (router: TransactionRouter): typeof inUserTransaction =>
  (primary, userId, work) =>
    router.write(primary, [TERMINAL_WRITES], userId, work);

/** No replica: every transaction on the primary, as before. */
export const primaryOnly: TransactionRouter = {
  read: (primary, _keys, userId, work) => inUserTransaction(primary, userId, work, { readOnly: true }),
  write: (primary, _keys, userId, work) => inUserTransaction(primary, userId, work),
};

export interface ReplicaRoutingOptions {
  replica: Kysely<Database>;
  /** Whether an error means the server could not be reached (the door's own rule, passed in). */
  isUnavailable: (error: unknown) => boolean;
  /**
   * The most a replica read may lag the primary: it must have replayed past the primary's WAL insert
   * position sampled at most this long ago (one sample per period). 0: past everything committed before the read.
   */
  maxLagMs?: number;
  /** How long a read waits for the standby to replay past its target before using the primary. */
  maxWaitMs?: number;
  pollMs?: number;
  /** After the standby failed or stopped being one, reads skip it this long: a dead standby must not cost every read a connect timeout. */
  restMs?: number;
  now?: () => number;
  onRoute?: (place: ReadPlace, reason?: PrimaryReason) => void;
}

/** 'X/Y' (two hex halves) as one comparable number. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** A standby cancelled the read to replay WAL that removes rows it needed (SQLSTATE 40001 on a hot standby). */
const isRecoveryConflict = (error: unknown) =>
  (error as { code?: string }).code === '40001' && /conflict with recovery/i.test((error as Error).message ?? '');

// The insert position, not pg_current_wal_lsn(): with synchronous_commit=off COMMIT returns before its
// record is written, so only the insert position is sure to be at or past it.
const insertPosition = (db: Kysely<Database>) =>
  sql<{ lsn: string }>`SELECT pg_catalog.pg_current_wal_insert_lsn()::text AS lsn`.execute(db).then(({ rows }) => lsnValue(rows[0]!.lsn));

/** The replica transaction's check said no: the read goes to the primary for this reason. */
class SentToPrimary extends Error {
  constructor(readonly reason: PrimaryReason) {
    super(reason);
  }
}

/**
 * Read-only handlers go to a hot standby, writes to the primary. Every replica read first checks, as the
 * first statement of its own transaction on its own connection, that the server is still a standby
 * (pg_is_in_recovery(): a promoted ex-standby is not) and has replayed past both the primary's position
 * sampled within maxLagMs and the last write of each of the request's keys (recorded after every write,
 * committed or not); it polls (bounded) for that, else the primary answers.
 */
export function createReplicaRouting(options: ReplicaRoutingOptions) {
  const maxLagMs = options.maxLagMs ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 200;
  const pollMs = options.pollMs ?? 5;
  const restMs = options.restMs ?? 10_000;
  const now = options.now ?? (() => Date.now());
  // A pending position: the lookup runs after the answer has gone back, and the next read awaits it.
  const written = new Map<string, Promise<bigint | 'unknown'>>();
  let sample: { at: number; position: Promise<bigint> } | null = null;
  let restingUntil = 0;
  const counts = { replica: 0, primary: 0, waitedForReplay: 0, byReason: {} as Partial<Record<PrimaryReason, number>> };

  const route = (place: ReadPlace, reason?: PrimaryReason) => {
    counts[place] += 1;
    if (reason) counts.byReason[reason] = (counts.byReason[reason] ?? 0) + 1;
    options.onRoute?.(place, reason);
  };

  /** The primary's position as of at most maxLagMs ago (one lookup shared by the reads of that period). */
  async function primaryPosition(primary: Kysely<Database>): Promise<bigint | 'unknown'> {
    const at = now();
    if (!sample || at - sample.at >= maxLagMs) {
      const current = { at, position: insertPosition(primary) };
      sample = current;
      current.position.catch(() => {
        if (sample === current) sample = null; // the next read asks again
      });
    }
    return sample.position.catch(() => 'unknown' as const);
  }

  async function mustSee(primary: Kysely<Database>, keys: readonly string[]): Promise<bigint | 'unknown'> {
    let highest = await primaryPosition(primary);
    if (highest === 'unknown') return 'unknown';
    for (const key of [...keys, TERMINAL_WRITES]) {
      const pending = written.get(key);
      let mark = await pending;
      if (mark === 'unknown') {
        // The lookup after that write failed; the write has ended, so the primary's position now is past it.
        const again = insertPosition(primary).catch(() => 'unknown' as const);
        if (written.get(key) === pending) written.set(key, again);
        mark = await again;
        if (mark === 'unknown') return 'unknown';
      }
      if (mark !== undefined && mark > highest) highest = mark;
    }
    return highest;
  }

  /** Inside the replica transaction, before the handler: null once the standby has replayed past `target`, else why not. */
  async function standbyReady(trx: Kysely<Database>, target: bigint): Promise<PrimaryReason | null> {
    const deadline = now() + maxWaitMs;
    for (let first = true; ; first = false) {
      // READ COMMITTED: the handler's statements take later snapshots, so they see at least what this saw replayed.
      const { rows } = await sql<{ standby: boolean; lsn: string | null }>`
        SELECT pg_catalog.pg_is_in_recovery() AS standby, pg_catalog.pg_last_wal_replay_lsn()::text AS lsn`.execute(trx);
      const { standby, lsn } = rows[0] ?? { standby: false, lsn: null };
      if (!standby || lsn === null) return 'not-a-standby';
      const replayed = lsnValue(lsn);
      if (replayed >= target) {
        if (!first) counts.waitedForReplay += 1;
        for (const [key, mark] of written) {
          const seen = await mark;
          // Forget positions the standby has passed (unless a newer write replaced them meanwhile).
          if (seen !== 'unknown' && seen <= replayed && written.get(key) === mark) written.delete(key);
        }
        return null;
      }
      if (now() >= deadline) return 'lagging';
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  const onPrimary = <T>(primary: Kysely<Database>, userId: string | null, work: Work<T>, reason: PrimaryReason) => {
    route('primary', reason);
    return inUserTransaction(primary, userId, work, { readOnly: true });
  };

  /** The standby refused or failed a read: a read changed nothing, so the primary answers it. */
  const standbyFailed = <T>(error: unknown, primary: Kysely<Database>, userId: string | null, work: Work<T>) => {
    if (error instanceof SentToPrimary) {
      if (error.reason === 'not-a-standby') restingUntil = now() + restMs; // promoted or misconfigured: stop asking it
      return onPrimary(primary, userId, work, error.reason);
    }
    if (!options.isUnavailable(error) && !isRecoveryConflict(error)) throw error;
    if (!isRecoveryConflict(error)) restingUntil = now() + restMs;
    return onPrimary(primary, userId, work, 'unreachable');
  };

  /** Records the primary's position for `keys` once this write's transaction has ended, however it ended. */
  function recordWrite(primary: Kysely<Database>, keys: readonly string[]) {
    // Unknown: the next read of these keys asks the primary again (and reads there if it cannot).
    const position = insertPosition(primary).catch(() => 'unknown' as const);
    for (const key of keys) {
      const before = written.get(key);
      written.set(
        key,
        Promise.all([before, position]).then(([a, b]) => (a === 'unknown' || b === 'unknown' ? b : a !== undefined && a > b ? a : b)),
      );
    }
  }

  const router: TransactionRouter = {
    async read(primary, keys, userId, work) {
      if (now() < restingUntil) return onPrimary(primary, userId, work, 'resting');
      const target = await mustSee(primary, keys);
      if (target === 'unknown') return onPrimary(primary, userId, work, 'position-unknown');
      let value;
      try {
        value = await inUserTransaction(
          options.replica,
          userId,
          async (trx) => {
            const refused = await standbyReady(trx, target);
            if (refused) throw new SentToPrimary(refused);
            return work(trx);
          },
          { readOnly: true },
        );
      } catch (error) {
        return standbyFailed(error, primary, userId, work);
      }
      route('replica');
      return value;
    },
    async write(primary, keys, userId, work) {
      try {
        return await inUserTransaction(primary, userId, work);
      } finally {
        // Also after a failure: some commit first (a sign-in's failure counter), and a lost COMMIT may have landed.
        recordWrite(primary, keys);
      }
    },
  };
  return { ...router, counts: () => structuredClone(counts) };
}

export type ReplicaRouting = ReturnType<typeof createReplicaRouting>;
