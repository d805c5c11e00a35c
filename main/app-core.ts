import os from 'node:os';
import type pg from 'pg';
import type { DemoAccounts, SystemStatus } from '../contract/index.js';
import { createSessionStore } from './auth/session-store.js';
import type { DatabaseSettingsDeps } from './config/database-settings.js';
import { createKysely } from './db/connection.js';
import { createDatabaseMonitor } from './db/database-monitor.js';
import { createReplicaRouting, terminalWrite, type PrimaryReason, type ReadPlace } from './db/replica-routing.js';
import { createHandlers } from './app-handlers.js';
import { createOfflineDesk, type OfflineDesk } from './scheduling/index.js';
import { createWardCopy, type WardCopy } from './ward/offline/index.js';
import { createDispatcher } from './ipc/dispatcher.js';
import { toClinicError, type InternalLogger } from './ipc/error-mapping.js';
import type { HandlerMap } from './ipc/handler-types.js';
import type { Terminal } from './shared/terminal.js';
import type { SecretStore } from './shared/secret-store.js';

export interface AppCoreOptions {
  /** The app role's pool; null while the database is not ready (the app still opens). */
  pool: pg.Pool | null;
  mode: SystemStatus['mode'];
  logInternal: InternalLogger;
  onStatusChange?: (status: SystemStatus) => void;
  /** Tests swap single handlers to provoke failures; the app never passes this. */
  handlers?: HandlerMap;
  /** Set only for a local demo database created on this computer's first run. */
  demoAccounts?: DemoAccounts | null;
  databaseSettings?: DatabaseSettingsDeps | null;
  logInfo?: (message: string) => void;
  /** Defaults to the real clock; tests pass a fake one. */
  now?: () => Date;
  /** Defaults to an office terminal named after this computer. */
  terminal?: Terminal;
  /** The medical-history key (OS keychain in the app); null where this workstation has none. */
  medicalHistoryKey?: () => string | null;
  /** Told when a window's session locks (idle) or ends (time limit), so it can show the lock screen. */
  onSessionLocked?: (senderId: string, reason: 'idle' | 'expired') => void;
  /** Where this terminal keeps its sealed offline files, and their key (OS keychain); none: no offline work. */
  offline?: { dir: string; key: Buffer; secrets: SecretStore; departmentId?: number } | null;
  /** A ward terminal's sealed last-known copy of its ward for downtime (same folder and key kinds); none: no copy. */
  wardOffline?: { dir: string; key: Buffer; secrets: SecretStore; departmentId?: number } | null;
  /** An administrator allowed a database connection without verified TLS: every status carries this warning. */
  connectionWarning?: string | null;
  /** A hot standby of the hospital server (DATABASE_REPLICA_URL) for read-only handlers; its opener ends it. */
  replicaPool?: pg.Pool | null;
  /** How far (ms) a replica read may lag the primary; default 1000. 0: it sees everything committed before it began (tests). */
  replicaMaxLagMs?: number;
  /** Told where each read-only request ran (tests, benchmarks). */
  onReadRouted?: (place: ReadPlace, reason?: PrimaryReason) => void;
}

/**
 * Everything main needs to answer IPC, without Electron: the same core runs in the app,
 * in integration tests, behind Chromium in end-to-end tests, and in the benchmarks.
 */
export function createAppCore(options: AppCoreOptions) {
  const now = options.now ?? (() => new Date());
  const sessions = createSessionStore(() => now().getTime());
  const terminal = options.terminal ?? { name: os.hostname(), role: 'office' as const };
  let db = options.pool ? createKysely(options.pool) : null;
  const handlers = options.handlers ?? createHandlers();
  let desk: OfflineDesk | null = null;
  const warning = options.connectionWarning ? { connectionWarning: options.connectionWarning } : {};
  const status = (): SystemStatus => ({
    ...monitor.current(),
    ...(desk?.counts() ?? { waitingChanges: 0, needsAttention: 0 }),
    ...warning,
  });
  const publish = () => options.onStatusChange?.(status());
  const monitor = createDatabaseMonitor({
    pool: options.pool,
    mode: options.mode,
    onChange: (databaseStatus) => {
      publish();
      if (databaseStatus.database === 'connected') void desk?.sync();
    },
  });
  const replica = options.replicaPool
    ? createReplicaRouting({
        replica: createKysely(options.replicaPool),
        isUnavailable: (error) => toClinicError(error, () => undefined).code === 'Unavailable',
        onRoute: options.onReadRouted,
        maxLagMs: options.replicaMaxLagMs,
      })
    : null;
  if (options.offline) {
    desk = createOfflineDesk({
      ...options.offline,
      // Replayed changes and fixes: every read on this terminal must see them, as a window sees its own writes.
      write: replica ? terminalWrite(replica) : undefined,
      db: () => db,
      connected: () => monitor.current().database === 'connected',
      now,
      terminal,
      handlers,
      sessions,
      logInternal: options.logInternal,
      onCountsChange: publish,
    });
  }
  const wardCopy: WardCopy | null = options.wardOffline
    ? createWardCopy({
        ...options.wardOffline,
        db: () => db,
        connected: () => monitor.current().database === 'connected',
        now,
        terminal,
        handlers,
        sessions,
        logInternal: options.logInternal,
      })
    : null;
  const dispatch = createDispatcher({
    transactions: replica ?? undefined,
    handlers,
    sessions,
    db: () => db,
    status,
    demoAccounts: () => options.demoAccounts ?? null,
    databaseSettings: options.databaseSettings ?? null,
    logInfo: options.logInfo,
    now,
    terminal,
    medicalHistoryKey: options.medicalHistoryKey,
    logInternal: options.logInternal,
    offline: desk ?? wardCopy,
    onSignedIn: async (user, password) => {
      wardCopy?.rememberSignIn(user);
      await desk?.rememberSignIn(user, password);
    },
    onUnreachable: () => void monitor.check(),
  });
  let sweeper: NodeJS.Timeout | undefined;
  let offlineTimer: NodeJS.Timeout | undefined;
  let wardTimer: NodeJS.Timeout | undefined;
  return {
    dispatch,
    terminal,
    sessions,
    monitor,
    get db() {
      return db;
    },
    offline: desk,
    wardCopy,
    /** Where reads went, when a replica is configured: counts by place and by the reason for the primary. */
    readRoutes: () => replica?.counts() ?? null,
    /**
     * The database could not be opened at start (a hospital server that was down): once it has
     * been, requests go to it and what waited offline is sent, without a restart.
     */
    async attachPool(pool: pg.Pool): Promise<void> {
      db = createKysely(pool);
      await monitor.attach(pool);
    },
    /** The status the renderer sees: the database's state and this terminal's waiting changes. */
    status,
    /** Watches the database and sweeps sessions for idle locks every few seconds. */
    startTimers(sweepMs = 5000) {
      monitor.start();
      sweeper = setInterval(() => {
        for (const { senderId, reason } of sessions.sweep()) options.onSessionLocked?.(senderId, reason);
      }, sweepMs);
      sweeper.unref();
      if (desk) {
        // Replay retries while changes wait; the working set follows the server once a minute.
        let ticks = 0;
        offlineTimer = setInterval(() => {
          ticks += 1;
          void desk!.sync();
          if (ticks % 30 === 0)
            void desk!.refreshNow().catch((error: unknown) => options.logInternal('Could not refresh the offline working set', error));
        }, 2000);
        offlineTimer.unref();
      }
      if (wardCopy) {
        // The ward's copy follows the server once a minute.
        wardTimer = setInterval(
          () => void wardCopy.refreshNow().catch((error: unknown) => options.logInternal('Could not refresh the ward copy', error)),
          60_000,
        );
        wardTimer.unref();
      }
    },
    /** Stops the timers. The pool belongs to whoever opened it, who ends it. */
    async close() {
      monitor.stop();
      clearInterval(sweeper);
      clearInterval(offlineTimer);
      clearInterval(wardTimer);
      desk?.close();
    },
  };
}

export type AppCore = ReturnType<typeof createAppCore>;
