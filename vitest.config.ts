import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A poll waits for a state; on a busy machine a sign-in (argon2) or a search can take over the default 1 s.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: more workers only queue for the same CPU and one PostgreSQL.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
