// Lint: typescript-eslint's recommended rules (not the type-checked preset: lint stays fast on two
// cores), React's hook rules in the renderer, and the architecture's boundaries as import rules.
// Formatting is Prettier's job; eslint-config-prettier (last) turns off the rules that overlap it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

/** Shared infrastructure of main: may be used by every feature, never uses one. */
const MAIN_INFRASTRUCTURE = ['ipc', 'db', 'auth', 'config', 'security', 'startup', 'seed', 'shared'];
const MAIN_INFRASTRUCTURE_FILES = ['main/logging.ts', 'main/window.ts'];
/** Features of main, today's and the planned ones (a folder that does not exist yet is simply not matched). */
const MAIN_FEATURES = [
  'session',
  'patients',
  'scheduling',
  'admin',
  'ward',
  'pharmacy',
  'backups',
  'monitoring',
  'audit',
  'billing',
  'ambulance',
  'housekeeping',
  'reference-data',
];
/** The renderer's features; `app/` (shell, routing) composes them, `ui/` and `client/` serve them. */
const RENDERER_FEATURES = [
  'session',
  'scheduling',
  'admin',
  'ward',
  'pharmacy',
  'backups',
  'monitoring',
  'audit',
  'billing',
  'ambulance',
  'housekeeping',
  'reference-data',
];

const NODE_AND_ELECTRON = ['electron', 'electron/*', 'node:*', ...builtinModules.flatMap((name) => [name, `${name}/*`])];

/** Feature A may import feature B only through B's public index.ts. */
const featureThroughIndexOnly = (root, features) =>
  features.flatMap((feature) =>
    features
      .filter((other) => other !== feature)
      .map((other) => ({
        target: `./${root}/${feature}`,
        from: `./${root}/${other}`,
        except: ['./index.ts'],
        message: `A feature imports another feature only through its public index.ts (${root}/${other}/index.ts).`,
      })),
  );

const boundaryZones = [
  // Layers across the app.
  { target: './main', from: ['./renderer', './preload'], message: 'main never imports the renderer or the preload.' },
  {
    target: './renderer',
    from: ['./main', './preload', './scripts'],
    message: 'The renderer reaches main only through window.clinic (the contract).',
  },
  { target: './preload', from: ['./main', './renderer', './scripts'], message: 'The preload imports only the contract and electron.' },
  {
    target: './contract',
    from: ['./main', './renderer', './preload', './scripts', './tests', './bench'],
    message: 'The contract imports only zod.',
  },
  // Main: infrastructure never imports a feature; features meet through their index.
  {
    target: [...MAIN_INFRASTRUCTURE.map((dir) => `./main/${dir}`), ...MAIN_INFRASTRUCTURE_FILES.map((file) => `./${file}`)],
    from: MAIN_FEATURES.map((dir) => `./main/${dir}`),
    message:
      'Infrastructure never imports a feature: declare an interface here and let the composition root (main/index.ts, app-core.ts) plug the feature in.',
  },
  ...featureThroughIndexOnly('main', MAIN_FEATURES),
  // Renderer: ui and the client serve every feature and know none; features meet through their index.
  {
    target: ['./renderer/src/ui', './renderer/src/client'],
    from: [...RENDERER_FEATURES.map((dir) => `./renderer/src/${dir}`), './renderer/src/app'],
    message: 'ui/ and client/ are shared by every feature and import none of them (nor app/).',
  },
  ...featureThroughIndexOnly('renderer/src', RENDERER_FEATURES),
];

/** The whole config for a tree rooted at `root` (a test lints a fixture tree with it). */
export const createEslintConfig = (root) =>
  defineConfig(
    {
      ignores: [
        'dist/**',
        'node_modules/**',
        'test-results/**',
        'bench/results/**',
        '.data/**',
        '.scratch/**',
        'main/db/database.generated.ts',
      ],
    },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
      languageOptions: { globals: { ...globals.node } },
      plugins: { 'import-x': importX },
      settings: {
        // Sources import './x.js' (NodeNext); the file on disk is x.ts or x.tsx.
        'import-x/resolver-next': [
          createNodeResolver({
            extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
            extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
          }),
        ],
      },
      rules: {
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
        'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones }],
      },
    },
    {
      files: ['contract/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [{ regex: '^(?!zod$|\\./)', message: 'The contract imports only zod and its own files.' }] },
        ],
      },
    },
    {
      files: ['preload/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [{ regex: '^(?!electron$|\\./|\\.\\./contract/)', message: 'The preload imports only the contract and electron.' }] },
        ],
      },
    },
    {
      files: ['renderer/**'],
      languageOptions: { globals: { ...globals.browser } },
      plugins: { 'react-hooks': reactHooks },
      rules: {
        ...reactHooks.configs.recommended.rules,
        'no-restricted-imports': [
          'error',
          { patterns: [{ group: NODE_AND_ELECTRON, message: 'The renderer runs in a sandboxed page: no Node or Electron modules.' }] },
        ],
        'no-restricted-syntax': [
          'error',
          {
            selector: "CallExpression[callee.property.name='mutate'][arguments.length>1]",
            message: 'Per-call handlers are dropped when the form has gone by the answer; use mutateThen (client/channel-query.ts).',
          },
        ],
      },
    },
    prettier,
  );

export default createEslintConfig(import.meta.dirname);
