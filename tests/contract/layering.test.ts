// Layering: the contract imports no runtime; the renderer never imports main (or node/electron);
// preload imports only the contract and electron; in main, infrastructure never imports a feature and a
// feature imports another only through its index.ts. Checked on the source text of every file (a second
// guard beside the lint rule).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE_BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx)$/.test(name) ? [relative] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm),
  ];
  return specifiers.map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean);
}

const resolvesInto = (file: string, specifier: string, folder: string) =>
  specifier.startsWith('.') && path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).split(path.sep)[0] === folder;
const isNodeOrElectron = (s: string) => s === 'electron' || s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!);

/** main/'s folders: infrastructure, features (one folder each), and the composition root (the app layer). */
const INFRASTRUCTURE = new Set(['ipc', 'db', 'auth', 'config', 'security', 'startup', 'seed', 'shared', 'logging.ts', 'window.ts']);
const FEATURES = new Set([
  'session',
  'patients',
  'scheduling',
  'admin',
  'pharmacy',
  'ward',
  'backups',
  'monitoring',
  'audit',
  'billing',
  'ambulance',
  'housekeeping',
  'reference-data',
]);
const APP = new Set(['index.ts', 'app-core.ts', 'app-handlers.ts']);

type Area = { kind: 'infrastructure' | 'feature' | 'app' | 'unknown'; name: string; file: string };
function mainArea(file: string): Area {
  const name = path.relative('main', file).split(path.sep)[0]!;
  const kind = INFRASTRUCTURE.has(name) ? 'infrastructure' : FEATURES.has(name) ? 'feature' : APP.has(name) ? 'app' : 'unknown';
  return { kind, name, file: file.split(path.sep).join('/') };
}
/** Where in main/ a relative import lands; null outside main/. */
function resolvedMainArea(file: string, specifier: string): Area | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).replace(/\.js$/, '.ts');
  return target.split(path.sep)[0] === 'main' ? mainArea(target) : null;
}

describe('layering', () => {
  it('the contract imports nothing but zod and itself', () => {
    for (const file of sourceFiles('contract')) {
      for (const s of importsOf(file)) {
        expect(s === 'zod' || (s.startsWith('./') && resolvesInto(file, s, 'contract')), `${file} imports ${s}`).toBe(true);
      }
    }
  });

  it('the renderer never imports main, preload internals, electron or node', () => {
    const files = sourceFiles('renderer');
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      for (const s of importsOf(file)) {
        expect(resolvesInto(file, s, 'main'), `${file} imports main: ${s}`).toBe(false);
        expect(resolvesInto(file, s, 'preload'), `${file} imports preload: ${s}`).toBe(false);
        expect(isNodeOrElectron(s), `${file} imports a runtime module: ${s}`).toBe(false);
      }
    }
  });

  it('preload imports only the contract, its own files and electron', () => {
    for (const file of sourceFiles('preload')) {
      for (const s of importsOf(file)) {
        const allowed = s === 'electron' || resolvesInto(file, s, 'contract') || resolvesInto(file, s, 'preload');
        expect(allowed, `${file} imports ${s}`).toBe(true);
      }
    }
  });

  it('main never imports the renderer', () => {
    for (const file of sourceFiles('main')) {
      for (const s of importsOf(file)) expect(resolvesInto(file, s, 'renderer'), `${file} imports ${s}`).toBe(false);
    }
  });

  it('main: infrastructure never imports a feature or the composition root', () => {
    for (const file of sourceFiles('main')) {
      const area = mainArea(file);
      if (area.kind !== 'infrastructure') continue;
      for (const s of importsOf(file)) {
        const target = resolvedMainArea(file, s);
        expect(target?.kind === 'feature' || target?.kind === 'app', `${file} (infrastructure) imports ${s}`).toBe(false);
      }
    }
  });

  it('main: a feature imports another feature only through its index.ts, and never the composition root', () => {
    for (const file of sourceFiles('main')) {
      const area = mainArea(file);
      if (area.kind !== 'feature') continue;
      for (const s of importsOf(file)) {
        const target = resolvedMainArea(file, s);
        expect(target?.kind === 'app', `${file} imports the composition root: ${s}`).toBe(false);
        if (target?.kind !== 'feature' || target.name === area.name) continue;
        expect(target.file, `${file} reaches into ${target.name}: ${s}`).toBe(`main/${target.name}/index.ts`);
      }
    }
  });

  it('main: shared/ imports only the contract; config/ imports neither ipc/ nor startup/', () => {
    for (const file of sourceFiles('main/shared')) {
      for (const s of importsOf(file))
        expect(resolvesInto(file, s, 'contract') || (s.startsWith('./') && file.startsWith('main/shared/')), `${file} imports ${s}`).toBe(
          true,
        );
    }
    for (const file of sourceFiles('main/config')) {
      for (const s of importsOf(file)) {
        const target = resolvedMainArea(file, s);
        expect(target?.name === 'ipc' || target?.name === 'startup', `${file} imports ${s}`).toBe(false);
      }
    }
  });

  it('main: every folder is known as infrastructure or a feature', () => {
    for (const file of sourceFiles('main')) expect(mainArea(file).kind, file).not.toBe('unknown');
  });

  it('the checker itself sees imports (guards against a regex that matches nothing)', () => {
    expect(importsOf('main/app-core.ts')).toContain('./ipc/dispatcher.js');
    expect(resolvedMainArea('main/scheduling/offline/replay-one.ts', '../../patients/index.js')).toEqual({
      kind: 'feature',
      name: 'patients',
      file: 'main/patients/index.ts',
    });
    expect(importsOf('preload/index.ts')).toContain('electron');
  });
});
