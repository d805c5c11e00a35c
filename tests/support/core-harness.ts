import { vi } from 'vitest';
import { SessionState } from '../../contract/index.js';
import { createAppCore } from '../../main/app-core.js';
import type { HandlerMap } from '../../main/ipc/handler-types.js';
import type { Terminal } from '../../main/shared/terminal.js';
import type { TestDatabase } from './test-database.js';

/** The real main-process core on a test database, with a spy on every way SQL could leave it. */
export function createCoreHarness(
  database: TestDatabase,
  handlers?: HandlerMap,
  now?: () => Date,
  terminal: Terminal = { name: 'test-terminal-1', role: 'ward' },
) {
  const internalErrors: { message: string; error: unknown }[] = [];
  const connect = vi.spyOn(database.appPool, 'connect');
  const query = vi.spyOn(database.appPool, 'query');
  const core = createAppCore({
    pool: database.appPool,
    mode: 'embedded',
    handlers,
    now,
    terminal,
    logInternal: (message, error) => internalErrors.push({ message, error }),
  });
  return {
    core,
    internalErrors,
    /** Calls that reached the pool since the last reset: any SQL needs one of these. */
    sqlCalls: () => connect.mock.calls.length + query.mock.calls.length,
    resetSqlCalls: () => {
      connect.mockClear();
      query.mockClear();
    },
    signIn: async (senderId: string, email: string, password = database.demoPassword) => {
      const result = await core.dispatch(senderId, 'session/sign-in', { email, password });
      if (!result.ok) throw new Error(`sign-in failed: ${result.error.message}`);
      return SessionState.parse(result.value).user;
    },
  };
}
