// A database that is down: main keeps running and says Unavailable; nothing crashes.
import { afterAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { createPool } from '../../main/db/connection.js';
import { freePort } from '../../main/db/embedded-server.js';

describe('database unreachable', () => {
  const errors: unknown[] = [];
  let core: ReturnType<typeof createAppCore>;
  let pool: ReturnType<typeof createPool>;
  afterAll(async () => {
    await core?.close();
    await pool?.end();
  });

  it('answers Unavailable and reports the state instead of crashing', async () => {
    pool = createPool({ host: '127.0.0.1', port: await freePort(), user: 'x', password: 'y', database: 'z', connectionTimeoutMillis: 500 });
    core = createAppCore({ pool, mode: 'server', logInternal: (_m, e) => errors.push(e) });
    const signIn = await core.dispatch('w1', 'session/sign-in', { email: 'nurse@demo.clinic', password: 'whatever' });
    expect(signIn).toMatchObject({
      ok: false,
      error: { code: 'Unavailable', message: 'The hospital database cannot be reached right now.' },
    });
    const status = await core.monitor.check();
    expect(status.database).toBe('unreachable');
    expect(await core.dispatch('w1', 'system/get-status', {})).toMatchObject({ ok: true, value: { database: 'unreachable' } });
    expect(errors).toEqual([]);
  });

  it('answers Unavailable while no database is configured at all', async () => {
    const idle = createAppCore({ pool: null, mode: 'embedded', logInternal: () => undefined });
    const result = await idle.dispatch('w1', 'session/sign-in', { email: 'nurse@demo.clinic', password: 'whatever' });
    expect(result).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    await idle.close();
  });
});
