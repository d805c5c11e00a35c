// Property-based fuzzing of every channel in the contract through the real one door: hostile and
// malformed inputs always come back as a Validation error, no SQL reaches the pool, nothing is
// written, and the process carries on.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, CHANNEL_NAMES } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
});
afterAll(() => database.drop());

const RUNS = 200;
const megabyte = 'x'.repeat(1024 * 1024);

/** Values no channel accepts at the top level or in a field: wrong types, non-finite numbers, huge strings, prototype keys. */
const hostileValue = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -1e308, -0, 2 ** 53, megabyte, '', null, undefined, true, [], {}),
  fc.string({ maxLength: 50 }),
  fc.double(),
  fc.integer(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
  fc.object({ maxDepth: 2 }),
);

function hostileInputFor(channel: (typeof CHANNEL_NAMES)[number]) {
  const shape = (channels[channel].input as { shape?: Record<string, unknown> }).shape;
  const keys = shape ? Object.keys(shape) : [];
  return fc
    .oneof(
      hostileValue,
      // The real keys with hostile values (at least one of them wrong-typed).
      ...(keys.length > 0
        ? [fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue]))).filter((v) => !channels[channel].input.safeParse(v).success)]
        : []),
      // An extra field, or a __proto__ / constructor key, on top of otherwise empty input.
      fc.constantFrom(
        { extra: 1 },
        JSON.parse('{"__proto__": {"isAdmin": true}}'),
        { constructor: { prototype: { polluted: true } } },
        { target: 'server', server: { host: megabyte } },
      ),
    )
    .filter((v) => !channels[channel].input.safeParse(v).success);
}

describe('fuzzing every channel', () => {
  for (const channel of CHANNEL_NAMES) {
    it(`${channel}: ${RUNS} hostile inputs → Validation, no SQL, nothing written`, async () => {
      const harness = createCoreHarness(database);
      await harness.signIn('fuzzer', 'admin@demo.clinic'); // the broadest role, so permission never hides a validation gap
      const auditBefore = (await database.ownerPool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
      harness.resetSqlCalls();
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(hostileInputFor(channel), async (input) => {
          const result = await harness.core.dispatch('fuzzer', channel, input);
          checked += 1;
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error.code).toBe('Validation');
        }),
        { numRuns: RUNS },
      );
      expect(checked).toBeGreaterThanOrEqual(RUNS);
      expect(harness.sqlCalls()).toBe(0);
      expect(harness.internalErrors).toEqual([]);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const auditAfter = (await database.ownerPool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
      expect(auditAfter).toBe(auditBefore);
      // Still alive and answering.
      expect(await harness.core.dispatch('fuzzer', 'session/get-current', {})).toMatchObject({ ok: true });
    });
  }
});
