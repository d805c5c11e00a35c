// Electron main process entry. Everything that can run without Electron lives in app-core and
// startup/; this file only wires them to windows, the protocol and ipcMain.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { IPC_EVENT } from '../contract/api.js';
import type { SystemStatus } from '../contract/index.js';
import { createAppCore, type AppCore } from './app-core.js';
import { readSecret, saveSecret } from './config/keychain.js';
import { readSettings } from './config/settings.js';
import { registerIpc } from './ipc/register-ipc.js';
import { offlineStoreKey } from './scheduling/index.js';
import { createLogger } from './logging.js';
import { serveRendererFile } from './security/serve-renderer.js';
import { APP_ENTRY_URL, APP_SCHEME } from './security/url-policy.js';
import { chooseDatabaseTarget } from './startup/database-target.js';
import { connectionWarning } from './config/configured-connection.js';
import {
  MEDICAL_HISTORY_KEY,
  MigrationRefused,
  openEmbeddedDatabase,
  openServerDatabase,
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
const windows = new Set<BrowserWindow>();

const broadcastStatus = (status: SystemStatus) => {
  for (const win of windows) if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, 'system/status-changed', status);
};

async function openDatabase(): Promise<OpenedDatabase | null> {
  const secrets = { read: readSecret, save: saveSecret };
  const target = chooseDatabaseTarget(process.env, await readSettings(dataDir), dataDir, secrets);
  try {
    return target.mode === 'embedded'
      ? await openEmbeddedDatabase(target.dataDir, secrets, migrationsDir, () => undefined)
      : await openServerDatabase(target.connection, migrationsDir);
  } catch (error) {
    if (error instanceof MigrationRefused) throw error;
    log.error('Could not open the database', error);
    return null; // The window still opens and says the database is unreachable.
  }
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
    // Only a front desk keeps patients on disk for offline booking; other terminals work online only.
    const offlineKey = settings.terminalRole === 'front_desk' ? offlineStoreKey({ read: readSecret, save: saveSecret }, log.error) : null;
    core = createAppCore({
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
  const closing = [core?.close(), database?.close()];
  core = undefined;
  database = undefined;
  void Promise.allSettled(closing).then(() => app.quit());
});
