import type pg from 'pg';
import type { DatabaseState, DatabaseStatus } from '../../contract/index.js';

export interface MonitorOptions {
  pool: pg.Pool | null;
  mode: DatabaseStatus['mode'];
  intervalMs?: number;
  /** A health check slower than this counts as unreachable. */
  timeoutMs?: number;
  onChange?: (status: DatabaseStatus) => void;
}

/**
 * Watches whether the database answers: a short-timeout `SELECT 1` on an interval, and at once
 * when the pool reports an error. Reports only changes of state.
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

  const set = (database: DatabaseState, detail: string) => {
    const changed = database !== status.database || detail !== status.detail;
    status = { database, mode: options.mode, detail, checkedAt: new Date().toISOString() };
    if (changed) options.onChange?.(status);
  };

  async function probe(pool: pg.Pool): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pool.query('SELECT 1'),
        new Promise((_, reject) => (timeout = setTimeout(() => reject(new Error('health check timed out')), timeoutMs))),
      ]);
      set('connected', options.mode === 'embedded' ? 'Local database on this computer' : 'Hospital database');
    } catch {
      set('unreachable', 'The database cannot be reached. Work saved on screen is kept.');
    } finally {
      clearTimeout(timeout);
    }
  }

  let pool = options.pool;
  const check = (): Promise<DatabaseStatus> => {
    if (!pool) return Promise.resolve(status);
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
      clearInterval(timer);
      pool?.off('error', onPoolError);
    },
  };
}

export type DatabaseMonitor = ReturnType<typeof createDatabaseMonitor>;
