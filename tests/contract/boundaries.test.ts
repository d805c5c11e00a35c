// The architecture's boundaries as eslint.config.js enforces them, proved on a small fixture tree
// (real files, so imports resolve as in the app) linted with the project's own config.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONFIG_URL = pathToFileURL(path.resolve(import.meta.dirname, '../../eslint.config.js')).href;
const BOUNDARY_RULES = new Set(['import-x/no-restricted-paths', 'no-restricted-imports']);

/** Files the imports below point at; each only needs to exist. */
const FIXTURE_FILES = [
  'main/ipc/dispatcher.ts',
  'main/db/connection.ts',
  'main/logging.ts',
  'main/scheduling/index.ts',
  'main/scheduling/booking-rules.ts',
  'main/scheduling/offline/offline-desk.ts',
  'main/patients/index.ts',
  'main/patients/patients.repository.ts',
  'main/pharmacy/stock.repository.ts',
  'renderer/src/scheduling/index.ts',
  'renderer/src/scheduling/dates.ts',
  'renderer/src/ui/form-error.tsx',
  'renderer/src/app/app-shell.tsx',
  'contract/common.ts',
];

let root: string;
let eslint: ESLint;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'clinic-boundaries-'));
  for (const file of FIXTURE_FILES) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'export const value = 1;\n');
  }
  const { createEslintConfig } = (await import(CONFIG_URL)) as { createEslintConfig: (root: string) => Linter.Config[] };
  eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: createEslintConfig(root) });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The boundary messages ESLint gives `file` importing each of `specifiers`. */
async function boundaryErrors(file: string, specifiers: string[]): Promise<string[]> {
  const code =
    specifiers.map((s, i) => `import { value as v${i} } from '${s}';\n`).join('') +
    `export const all = [${specifiers.map((_, i) => `v${i}`).join(', ')}];\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message);
}

describe('boundaries (eslint.config.js)', () => {
  it('infrastructure never imports a feature, not even through its index', async () => {
    expect(await boundaryErrors('main/ipc/register-ipc.ts', ['../scheduling/index.js'])).toEqual([
      expect.stringContaining('Infrastructure never imports a feature'),
    ]);
    expect(await boundaryErrors('main/window.ts', ['./patients/patients.repository.js'])).toHaveLength(1);
    expect(await boundaryErrors('main/ipc/register-ipc.ts', ['./dispatcher.js', '../db/connection.js', '../logging.js'])).toEqual([]);
  });

  it('a feature imports another feature only through its index, its own files freely', async () => {
    expect(await boundaryErrors('main/scheduling/offline/replay.ts', ['../../patients/patients.repository.js'])).toEqual([
      expect.stringContaining('only through its public index.ts (main/patients/index.ts)'),
    ]);
    expect(
      await boundaryErrors('main/scheduling/offline/replay.ts', [
        '../../patients/index.js',
        '../booking-rules.js',
        './offline-desk.js',
        '../../ipc/dispatcher.js',
      ]),
    ).toEqual([]);
    // A planned feature folder is covered before it exists in the app.
    expect(await boundaryErrors('main/ward/ward-service.ts', ['../pharmacy/stock.repository.js'])).toHaveLength(1);
  });

  it('the composition root may import any feature', async () => {
    expect(await boundaryErrors('main/app-core.ts', ['./scheduling/offline/offline-desk.js', './patients/patients.repository.js'])).toEqual(
      [],
    );
  });

  it('the renderer never imports main, node or electron; ui imports no feature; features meet through their index', async () => {
    expect(await boundaryErrors('renderer/src/app/app.tsx', ['../../../main/ipc/dispatcher.js', 'node:fs', 'electron'])).toHaveLength(3);
    expect(await boundaryErrors('renderer/src/ui/notice.tsx', ['../scheduling/index.js', '../app/app-shell.js'])).toHaveLength(2);
    expect(await boundaryErrors('renderer/src/admin/terminal-form.tsx', ['../scheduling/dates.js'])).toHaveLength(1);
    expect(
      await boundaryErrors('renderer/src/admin/terminal-form.tsx', [
        '../scheduling/index.js',
        '../ui/form-error.js',
        '../../../contract/common.js',
      ]),
    ).toEqual([]);
  });

  it('the contract imports only zod; the preload only the contract and electron', async () => {
    expect(await boundaryErrors('contract/ward.ts', ['zod', './common.js'])).toEqual([]);
    expect(await boundaryErrors('contract/ward.ts', ['node:crypto'])).toEqual([expect.stringContaining('The contract imports only zod')]);
    expect(await boundaryErrors('contract/ward.ts', ['kysely'])).toHaveLength(1);
    expect(await boundaryErrors('preload/index.ts', ['electron', '../contract/common.js'])).toEqual([]);
    expect((await boundaryErrors('preload/index.ts', ['../main/logging.js'])).length).toBeGreaterThan(0);
  });
});
