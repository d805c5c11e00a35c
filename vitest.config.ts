import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A poll waits for a state; on a busy machine a sign-in (argon2) then a first board load took over 10 s
    // once (three browser suites beside four CPU burners). A state that never comes still fails well inside
    // every test's own timeout.
    expect: { poll: { timeout: 20_000 } },
    // Two cores: more workers only queue for the same CPU and one PostgreSQL.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
