// Builds the two Node-side bundles; the renderer is built by Vite (npm run build:renderer).
//   dist/main/index.js    — Electron main, ESM; dependencies stay in node_modules (packed by electron-builder)
//   dist/preload/index.cjs — sandboxed preload: must be one CommonJS file that requires only 'electron'
import { build } from 'esbuild';

await build({
  entryPoints: ['main/index.ts'],
  outfile: 'dist/main/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

await build({
  entryPoints: ['preload/index.ts'],
  outfile: 'dist/preload/index.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  minify: true, // zod rides along for the contract's checks; keep the preload small
  logLevel: 'warning',
});
console.log('built dist/main/index.js and dist/preload/index.cjs');
