// The one door's first check on a request's shape: plain JSON-like data under the size limit.
// Attack: a structured clone (what Electron IPC delivers) can carry a Map, Set, ArrayBuffer, typed
// array, Date… whose contents Object.entries cannot see, so they used to count as 2 bytes and a
// Map holding megabytes passed the size check and even the `{}` schema. No database: these requests
// must be refused before any handler or SQL runs (pool: null proves none could).
import { describe, expect, it } from 'vitest';
import { createAppCore } from '../../main/app-core.js';
import { MAX_INPUT_BYTES, refusedInput } from '../../main/ipc/input-size.js';

const BIG = 'x'.repeat(2 * MAX_INPUT_BYTES);

const NOT_PLAIN: [string, unknown][] = [
  ['Map', new Map([['k', BIG]])],
  ['Set', new Set([BIG])],
  ['ArrayBuffer', new ArrayBuffer(50_000_000)],
  ['typed array', new Uint8Array(50_000_000)],
  ['DataView', new DataView(new ArrayBuffer(16))],
  ['Blob', new Blob([BIG])],
  ['Date', new Date()],
  ['RegExp', new RegExp(BIG.slice(0, 1000))],
  ['Error', new Error(BIG)],
  ['boxed string', Object(BIG)],
  ['bigint', 10n ** 1000n],
  [
    'class instance',
    new (class Payload {
      body = BIG;
    })(),
  ],
  ['Map with a visible key', Object.assign(new Map([['hidden', BIG]]), { patientId: 1 })],
  ['array subclass', Object.assign(new (class Rows extends Array {})(), { 0: 1 })],
];

describe('request shape and size', () => {
  it('refuses every non-plain value, also nested deep inside plain data', () => {
    for (const [name, value] of NOT_PLAIN) {
      expect(refusedInput(value), name).toBe('The request must be plain data.');
      expect(refusedInput({ patientId: 1, nested: [{ value }] }), `nested ${name}`).toBe('The request must be plain data.');
    }
  });

  it('counts plain data honestly: long strings, many keys, wide and shared arrays', () => {
    expect(refusedInput({ email: 'a@b.c', password: 'correct horse' })).toBeNull();
    expect(refusedInput(Object.create(null) as object)).toBeNull();
    expect(refusedInput({ note: BIG })).toBe('The request is too large.');
    expect(refusedInput(Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, 1])))).toBe('The request is too large.');
    expect(refusedInput(new Array(MAX_INPUT_BYTES + 1))).toBe('The request is too large.'); // sparse: holes still cost
    // One small array shared 2^20 times: tiny to send, huge for a schema to walk.
    let shared: unknown = [1];
    for (let i = 0; i < 20; i += 1) shared = [shared, shared];
    expect(refusedInput(shared)).toBe('The request is too large.');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(refusedInput(loop)).toBe('The request is too large.');
  });

  it('the one door answers Validation to each, and no handler runs', async () => {
    const core = createAppCore({
      pool: null,
      mode: 'embedded',
      logInternal: (m, e) => {
        throw new Error(`${m}: ${String(e)}`);
      },
    });
    // Before the fix a Map passed as `{}`: the status came back.
    for (const [name, value] of NOT_PLAIN) {
      expect(await core.dispatch('w1', 'system/get-status', value), name).toEqual({
        ok: false,
        error: { code: 'Validation', message: 'The request must be plain data.' },
      });
    }
    expect(await core.dispatch('w1', 'patients/get-patient', Object.assign(new Map(), { patientId: 1 }))).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(await core.dispatch('w1', 'system/get-status', {})).toMatchObject({ ok: true });
    await core.close();
  });
});
