import type pg from 'pg';
import type { DatabaseState, DatabaseStatus } from '../../contract/index.js';

export interface MonitorOptions {
  pool: pg.Pool | null;
  mode: DatabaseStatus['mode'];
  intervalMs?: number;
  /** A health check slower than this is slow; two in a row, unreachable. */
  timeoutMs?: number;
  onChange?: (status: DatabaseStatus) => void;
}

/** Slow checks in a row before a connected database is called unreachable. */
const SLOW_CHECKS_TO_UNREACHABLE = 2;

/**
 * pg-pool's own words when it gave up waiting (it has no codes): for a free connection, and for a new
 * one to open. A server's error (a statement or lock timeout) has a code and is not one of these.
 */
const POOL_TIMEOUTS = new Set(['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout']);

/** Slow, not refused: this check's own timeout, or the pool's. */
const isSlow = (error: unknown, timedOut: Error) =>
  error === timedOut || (error instanceof Error && !('code' in error) && POOL_TIMEOUTS.has(error.message));

/**
 * Watches whether the database answers: a short-timeout `SELECT 1` on an interval, and at once
 * when the pool reports an error. Reports only changes of state. A connected database is called
 * unreachable on a refusal at once, but on a slow answer only when the next check is slow too: one
 * slow moment (a busy server, a pool whose connections are all in use) must not turn every terminal
 * read-only and send the front desk to offline booking.
 */
export function createDatabaseMonitor(options: MonitorOptions) {
  const intervalMs = options.intervalMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 1500;
  let status: DatabaseStatus = {
    database: 'starting',
    mode: options.mode,
    detail: 'Starting the database…',
    checkedAt: new Date().toISOString(),
  };
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<DatabaseStatus> | undefined;
  /** Checks in a row that timed out while the database was called connected. */
  let slowChecks = 0;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  const set = (database: DatabaseState, detail: string) => {
    const changed = database !== status.database || detail !== status.detail;
    status = { database, mode: options.mode, detail, checkedAt: new Date().toISOString() };
    if (changed) options.onChange?.(status);
  };

  async function probe(pool: pg.Pool): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Error('health check timed out');
    try {
      await Promise.race([pool.query('SELECT 1'), new Promise((_, reject) => (timeout = setTimeout(() => reject(timedOut), timeoutMs)))]);
      if (stopped) return;
      slowChecks = 0;
      set('connected', options.mode === 'embedded' ? 'Local database on this computer' : 'Hospital database');
    } catch (error) {
      if (stopped) return;
      if (isSlow(error, timedOut) && status.database === 'connected' && ++slowChecks < SLOW_CHECKS_TO_UNREACHABLE) {
        // Checked again soon, not at the next interval: a link that is really gone is still told quickly.
        clearTimeout(retry);
        retry = setTimeout(() => void check(), Math.min(intervalMs, timeoutMs));
        retry.unref?.();
        return;
      }
      slowChecks = 0;
      set('unreachable', 'The database cannot be reached. Work saved on screen is kept.');
    } finally {
      clearTimeout(timeout);
    }
  }

  let pool = options.pool;
  const check = (): Promise<DatabaseStatus> => {
    // Once stopped (the app closing, its pool ending), a check still under way changes nothing.
    if (!pool || stopped) return Promise.resolve(status);
    checking ??= probe(pool).then(() => {
      checking = undefined;
      return status;
    });
    return checking;
  };

  const onPoolError = () => void check();
  pool?.on('error', onPoolError);

  return {
    current: () => status,
    check,
    /** For states only startup knows: a database that never started, a refused migration. */
    report: (database: DatabaseState, detail: string) => set(database, detail),
    /** A database that could not be opened at start has been opened since: watch it from now on. */
    attach(opened: pg.Pool) {
      pool?.off('error', onPoolError);
      pool = opened;
      pool.on('error', onPoolError);
      return check();
    },
    start() {
      void check();
      timer = setInterval(() => void check(), intervalMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retry);
      pool?.off('error', onPoolError);
    },
  };
}

export type DatabaseMonitor = ReturnType<typeof createDatabaseMonitor>;
