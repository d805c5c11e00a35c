// Electron main process entry. Everything that can run without Electron lives in app-core and
// startup/; this file only wires them to windows, the protocol and ipcMain.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { IPC_EVENT } from '../contract/api.js';
import type { SystemStatus } from '../contract/index.js';
import { createAppCore, type AppCore } from './app-core.js';
import { readSecret, saveSecret } from './config/keychain.js';
import { readSettings } from './config/settings.js';
import { applyPendingRestore, backupRuntime, guardedEmbeddedStart, installServerMode, wireBackups } from './backups/index.js';
import { configureMonitoringHost } from './monitoring/index.js';
import { registerIpc } from './ipc/register-ipc.js';
import { offlineStoreKey } from './scheduling/index.js';
import { createLogger } from './logging.js';
import { serveRendererFile } from './security/serve-renderer.js';
import { APP_ENTRY_URL, APP_SCHEME } from './security/url-policy.js';
import { chooseDatabaseTarget } from './startup/database-target.js';
import { connectionWarning, openReplicaPool } from './config/configured-connection.js';
import {
  MEDICAL_HISTORY_KEY,
  MigrationRefused,
  openEmbeddedDatabase,
  openServerDatabase,
  APP_LOGIN_ROLE,
  type OpenedDatabase,
} from './startup/open-database.js';
import { denyAllPermissions, hardenWebContents, mainWindowOptions } from './window.js';

const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(appRoot, 'dist/renderer');
const preloadPath = path.join(appRoot, 'dist/preload/index.cjs');
const migrationsDir = path.join(appRoot, 'migrations');

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
if (!app.requestSingleInstanceLock()) app.quit();

// CLINIC_DATA_DIR lets an administrator (or the smoke test) keep the data folder elsewhere.
if (process.env.CLINIC_DATA_DIR) app.setPath('userData', path.resolve(process.env.CLINIC_DATA_DIR));
const dataDir = app.getPath('userData');
const log = createLogger(path.join(dataDir, 'logs'));
let core: AppCore | undefined;
let database: OpenedDatabase | undefined;
let replicaPool: ReturnType<typeof openReplicaPool> = null;
const windows = new Set<BrowserWindow>();

const broadcastStatus = (status: SystemStatus) => {
  for (const win of windows) if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, 'system/status-changed', status);
};

const backupLog = (message: string, error?: unknown) => (error === undefined ? log.info(message) : log.error(message, error));

async function openDatabase(): Promise<OpenedDatabase | null> {
  const secrets = { read: readSecret, save: saveSecret };
  const target = chooseDatabaseTarget(process.env, await readSettings(dataDir), dataDir, secrets);
  try {
    // A whole-database restore asked for in Admin → Backups runs here, before the server starts.
    if (target.mode === 'embedded')
      await applyPendingRestore(dataDir, () => readSecret('embedded-postgres-superuser') ?? '', migrationsDir, backupLog);
    const opened =
      target.mode === 'embedded'
        ? await openEmbeddedDatabase(
            target.dataDir,
            secrets,
            migrationsDir,
            () => undefined,
            (appDir, clusterDir, start) => guardedEmbeddedStart(appDir, clusterDir, start, backupLog),
          )
        : await openServerDatabase(target.connection, migrationsDir);
    wireBackups(opened, { appDataDir: dataDir, migrationsDir, log: backupLog, restart: () => (app.relaunch(), app.quit()) });
    wireMonitoring(opened, migrationsDir);
    return opened;
  } catch (error) {
    if (error instanceof MigrationRefused) throw error;
    log.error('Could not open the database', error);
    return null; // The window still opens and says the database is unreachable.
  }
}

/** Admin → Database: the owner's login for maintenance and the disk to watch (local database only), backups' last failure. */
let maintenancePool: pg.Pool | null = null;
function wireMonitoring(opened: OpenedDatabase, migrationsDir: string) {
  const embedded = opened.embedded;
  void maintenancePool?.end().catch(() => undefined); // a database reopened after an outage replaces the old one
  maintenancePool = embedded ? new pg.Pool({ connectionString: embedded.ownerUrl('clinic'), max: 1 }) : null;
  configureMonitoringHost({
    ownerPool: maintenancePool,
    appLogin: embedded ? APP_LOGIN_ROLE : null,
    dataDir: embedded?.clusterDir ?? null,
    migrationsDir,
    backupFailure: () => backupRuntime().runner?.lastFailure() ?? null,
  });
}

/** A database that was down when the app started is opened as soon as it answers: no restart needed. */
function retryOpening() {
  // One attempt at a time, the next 15 s after the last one ended: starting the local database can take longer than that.
  const attempt = async () => {
    try {
      const opened = await openDatabase();
      if (!core) return void (await opened?.close()); // the app is closing
      if (!opened) return void setTimeout(attempt, 15_000).unref();
      database = opened;
      await core.attachPool(opened.pool);
    } catch (error) {
      log.error('The database answered but refused its migrations', error);
      core?.monitor.report('migration-failed', 'The database could not be brought up to date. Ask IT to check the log.');
    }
  };
  setTimeout(attempt, 15_000).unref();
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  hardenWebContents(win.webContents);
  windows.add(win);
  const senderId = String(win.webContents.id);
  win.on('closed', () => {
    core?.sessions.end(senderId); // A closed window takes its session with it.
    windows.delete(win);
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

app
  .whenReady()
  .then(async () => {
    protocol.handle(APP_SCHEME, (request) => serveRendererFile(rendererDir, request.url));
    // No menu bar on Windows/Linux: its Alt+letter accelerators would take the app's own shortcuts.
    Menu.setApplicationMenu(process.platform === 'darwin' ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }]) : null);
    denyAllPermissions(session.defaultSession);
    app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

    try {
      database = (await openDatabase()) ?? undefined;
    } catch (error) {
      log.error('Refusing to start: database migration failed', error);
      dialog.showErrorBox(
        'Clinic Workstation cannot start',
        `The database could not be brought up to date, so the workstation will not open.\n\n${(error as Error).message}`,
      );
      app.exit(1);
      return;
    }
    const settings = await readSettings(dataDir);
    // DATABASE_REPLICA_URL: read-only requests go to that hot standby (db/replica-routing.ts).
    // A refused replica is logged and named on the status bar (connectionWarning); reads then stay on the primary.
    replicaPool = openReplicaPool(process.env, database?.mode ?? (process.env.DATABASE_URL ? 'server' : 'embedded'), log.error);
    // Only a front desk keeps patients on disk for offline booking; other terminals work online only.
    const offlineKey = settings.terminalRole === 'front_desk' ? offlineStoreKey({ read: readSecret, save: saveSecret }, log.error) : null;
    // A ward terminal keeps its ward's last-known board, allergies and 12-hour MAR sealed for downtime (read only).
    const wardKey = settings.terminalRole === 'ward' ? offlineStoreKey({ read: readSecret, save: saveSecret }, log.error) : null;
    core = createAppCore({
      wardOffline: wardKey
        ? {
            dir: path.join(dataDir, 'offline'),
            key: wardKey,
            secrets: { read: readSecret, save: saveSecret },
            departmentId: settings.terminalDepartmentId ?? undefined,
          }
        : null,
      offline: offlineKey
        ? {
            dir: path.join(dataDir, 'offline'),
            key: offlineKey,
            secrets: { read: readSecret, save: saveSecret },
            departmentId: settings.terminalDepartmentId ?? undefined,
          }
        : null,
      terminal: { name: settings.terminalName || os.hostname(), role: settings.terminalRole },
      medicalHistoryKey: () => {
        try {
          return readSecret(MEDICAL_HISTORY_KEY);
        } catch {
          return null;
        }
      },
      onSessionLocked: (senderId, reason) => {
        for (const win of windows)
          if (!win.isDestroyed() && String(win.webContents.id) === senderId) win.webContents.send(IPC_EVENT, 'session/locked', { reason });
      },
      pool: database?.pool ?? null,
      replicaPool,
      mode: database?.mode ?? 'embedded',
      demoAccounts: database?.demoAccounts ?? null,
      databaseSettings: {
        dataDir,
        secrets: { read: readSecret, save: saveSecret },
        activeMode: database?.mode ?? 'embedded',
        env: process.env,
      },
      connectionWarning: connectionWarning(process.env, settings),
      logInfo: log.info,
      logInternal: (message, error) => log.error(message, error),
      onStatusChange: broadcastStatus,
    });
    if (!database) {
      core.monitor.report('unreachable', 'The database could not be reached at start. Retrying; front-desk work continues offline.');
      retryOpening();
    }
    core.startTimers();
    registerIpc(ipcMain, core.dispatch);
    createWindow();
  })
  .catch((error) => {
    log.error('Startup failed', error);
    app.exit(1);
  });

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!database && !core) return;
  event.preventDefault();
  installServerMode(); // stops the backup schedule
  const closing = [core?.close(), database?.close(), replicaPool?.end()];
  core = undefined;
  database = undefined;
  void Promise.allSettled(closing).then(() => app.quit());
});
