import { createRequire } from 'node:module';
import type { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseSettingsDeps } from '../../../main/config/database-settings.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { bundleBridge, createTestCore, launchBrowser } from './workstation.js';

export interface Suite {
  database: TestDatabase;
  browser: Browser;
  core: ReturnType<typeof createTestCore>;
}

/**
 * One end-to-end test file's world: its own demo database, the real main-process core on it, and
 * one Chromium. Read the fields inside tests (they are filled in beforeAll).
 */
export function useWorkstationSuite(
  options: { now?: () => Date; databaseSettings?: (database: TestDatabase) => Promise<DatabaseSettingsDeps> } = {},
): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    // Chromium starts and the page bridge bundles while the database is cloned: none needs the other.
    await Promise.all([
      createTestDatabase('clinic_demo').then((database) => (suite.database = database)),
      launchBrowser().then((browser) => (suite.browser = browser)),
      bundleBridge(),
    ]);
    suite.core = createTestCore(suite.database, await options.databaseSettings?.(suite.database), options.now);
    await suite.core.monitor.check();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.core?.close();
    await suite.database?.drop();
  });
  return suite;
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
// The axe-core that @axe-core/playwright itself loads, so both always run the same rules.
const axeSource: string = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'))('axe-core').source;

/**
 * axe-core's serious and critical findings on the page as it is now (none is the bar): every rule,
 * whole document. axe.run in the page, injected once per document: AxeBuilder.analyze re-injects
 * 580 kB and opens a second page on every call only to merge iframes' results, and the app's CSP
 * has no frames (frame-src 'none'). Passes are not collected in full: they were thrown away.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`);
}
