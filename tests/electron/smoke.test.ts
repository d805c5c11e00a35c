// Smoke test of the real Electron app through Playwright's _electron. It needs the Electron
// binary, which cannot be downloaded on this project's machines (ELECTRON_SKIP_BINARY_DOWNLOAD=1),
// so here it reports itself skipped; where the binary exists it runs against a real test database.
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown as string;
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const ROOT = path.resolve(import.meta.dirname, '../..');

describe.skipIf(!binary)(`Electron smoke${binary ? '' : ' (skipped: no Electron binary on this machine)'}`, () => {
  let database: TestDatabase | undefined;
  afterAll(async () => database?.drop());

  it('opens a hardened window on the sign-in screen and signs in', async () => {
    database = await createTestDatabase('clinic_demo');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'clinic-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, DATABASE_URL: database.appUrl, CLINIC_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      // What isolation and the sandbox look like from inside the page: no Node, one frozen bridge.
      const seen = await page.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        frozen: Object.isFrozen(window.clinic),
      }));
      expect(seen).toEqual({ require: 'undefined', process: 'undefined', frozen: true });
      await page.getByLabel('Email').fill('nurse@demo.clinic');
      await page.getByLabel('Password').fill(database.demoPassword);
      await page.getByLabel('Password').press('Enter');
      await page.getByTestId('signed-in-user').waitFor();
      expect(await page.getByTestId('signed-in-user').textContent()).toContain('Nia Nurse');
    } finally {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

if (!binary) {
  it('reports why the Electron smoke test was skipped', () => {
    console.info('Electron smoke test skipped: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1).');
    expect(binary).toBeNull();
  });
}
