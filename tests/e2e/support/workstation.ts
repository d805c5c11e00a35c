import { promises as fs } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createAppCore, type AppCore } from '../../../main/app-core.js';
import type { DatabaseSettingsDeps } from '../../../main/config/database-settings.js';
import { serveRendererFile } from '../../../main/security/serve-renderer.js';
import type { TestDatabase } from '../../support/test-database.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
/** The renderer is served on this origin, with the app's CSP, by the test process itself. */
export const APP_ORIGIN = 'http://clinic.test';
const SCREENS_DIR = path.join(ROOT, 'test-results/screens');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let bridgeScript: Promise<string> | undefined;
/** The page side of window.clinic, bundled once per test file. */
export const bundleBridge = () =>
  (bridgeScript ??= build({
    entryPoints: [path.join(import.meta.dirname, 'browser-bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  }).then((r) => r.outputFiles[0]!.text));

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/**
 * One workstation window: a Chromium page running the built renderer, whose window.clinic reaches
 * the real main-process core (dispatcher, sessions, handlers) on real PostgreSQL.
 */
export interface Workstation {
  page: Page;
  context: BrowserContext;
  pushStatus(): Promise<void>;
  /** What main's webContents.send does in the app: a push event into this window. */
  emit(event: string, payload: unknown): Promise<void>;
}

export async function openWorkstation(browser: Browser, core: AppCore, windowId: string): Promise<Workstation> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(`${APP_ORIGIN}/**`, async (route) => {
    const response = await serveRendererFile(RENDERER_DIR, route.request().url().replace(APP_ORIGIN, 'app://clinic'));
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  // Any other origin is unreachable, as in the app.
  await context.route(
    (url) => !url.href.startsWith(APP_ORIGIN),
    (route) => route.abort(),
  );
  await context.exposeBinding('__clinicInvoke', (_source, channel: unknown, input: unknown) => core.dispatch(windowId, channel, input));
  await context.addInitScript({ content: await bundleBridge() });
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${APP_ORIGIN}/index.html`);
  const emit = (event: string, payload: unknown) =>
    page.evaluate(([e, p]) => (window as unknown as { __clinicEmit(e: string, p: unknown): void }).__clinicEmit(e as string, p), [
      event,
      payload,
    ] as const);
  return { page, context, emit, pushStatus: () => emit('system/status-changed', core.status()) };
}

export function createTestCore(database: TestDatabase, databaseSettings?: DatabaseSettingsDeps, now?: () => Date) {
  return createAppCore({
    pool: database.appPool,
    mode: 'embedded',
    databaseSettings,
    now,
    terminal: { name: 'e2e-ward-terminal', role: 'ward' },
    medicalHistoryKey: () => 'e2e-medical-history-key',
    logInternal: (message, error) => console.error(message, error),
  });
}

const pageErrors = new WeakMap<Page, string[]>();

/**
 * Saves what the user sees, for people to look at: test-results/screens/NN-name.png. A screen that
 * got there through an uncaught error in the page fails the test here.
 */
export async function saveScreen(page: Page, name: string): Promise<void> {
  const errors = pageErrors.get(page) ?? [];
  if (errors.length > 0) throw new Error(`The page threw before "${name}": ${errors.join('; ')}`);
  await fs.mkdir(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
