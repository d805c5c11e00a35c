// Layering: the contract imports no runtime; the renderer never imports main (or node/electron);
// preload imports only the contract and electron. Checked on the source text of every file.
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
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)];
  return specifiers.map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean);
}

const resolvesInto = (file: string, specifier: string, folder: string) =>
  specifier.startsWith('.') && path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).split(path.sep)[0] === folder;
const isNodeOrElectron = (s: string) => s === 'electron' || s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!);

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

  it('the checker itself sees imports (guards against a regex that matches nothing)', () => {
    expect(importsOf('main/app-core.ts')).toContain('./ipc/dispatcher.js');
    expect(importsOf('preload/index.ts')).toContain('electron');
  });
});
