import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseSettingsDeps } from '../../../main/config/database-settings.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { createTestCore, launchBrowser } from './workstation.js';

export interface Suite {
  database: TestDatabase;
  browser: Browser;
  core: ReturnType<typeof createTestCore>;
}

/**
 * One end-to-end test file's world: its own demo database, the real main-process core on it, and
 * one Chromium. Read the fields inside tests (they are filled in beforeAll).
 */
export function useWorkstationSuite(options: { now?: () => Date; databaseSettings?: (database: TestDatabase) => Promise<DatabaseSettingsDeps> } = {}): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.database = await createTestDatabase('clinic_demo');
    suite.core = createTestCore(suite.database, await options.databaseSettings?.(suite.database), options.now);
    await suite.core.monitor.check();
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.core?.close();
    await suite.database?.drop();
  });
  return suite;
}

/** axe-core's serious and critical findings on the page as it is now (none is the bar). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`);
}
