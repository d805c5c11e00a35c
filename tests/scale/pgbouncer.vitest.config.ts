// Runs chosen test files unchanged, but with the app's database login going through PgBouncer in
// transaction pooling mode: their `../support/test-database.js` becomes the PgBouncer stand-in.
// Started by tests/scale/pgbouncer.test.ts (and usable by hand:
//   npx vitest run --config tests/scale/pgbouncer.vitest.config.ts tests/security/rls-matrix.test.ts).
import path from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default mergeConfig(
  base,
  defineConfig({
    resolve: {
      alias: [
        {
          find: /^\.\.\/support\/test-database\.js$/,
          replacement: path.resolve(import.meta.dirname, 'support/test-database-via-pgbouncer.ts'),
        },
      ],
    },
    root: path.resolve(import.meta.dirname, '../..'),
    // PgBouncer 1.18's transaction pooling cannot carry named prepared statements (README: Beyond one machine).
    test: { env: { DATABASE_PREPARED_STATEMENTS: 'off' } },
  }),
);
