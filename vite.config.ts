import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    // The CSP forbids inline script, so nothing may be inlined as a data: module.
    assetsInlineLimit: 0,
    target: 'chrome130',
    sourcemap: false,
  },
});
