// A second, independent read of the NEWS2 chart: the vectors in fixtures/ were worked out by hand from
// shared/reference/news2.md by someone who did not see main/ward/news2.ts (both sides of every band edge, each
// response level, whole patients), and the module must agree with every one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreNews2, type Vitals } from '../../main/ward/news2.js';

interface Vector {
  name: string;
  input: Vitals;
  expected: {
    perParameter: {
      respirationRate: number;
      spo2: number;
      air: number;
      systolicBp: number;
      pulse: number;
      consciousness: number;
      temperature: number;
    };
    total: number;
    anySingleThree: boolean;
    response: string;
  };
}

const vectors = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/news2-vectors.json'), 'utf8')) as Vector[];

describe('NEWS2 against independently worked vectors', () => {
  it('has the vectors', () => expect(vectors.length).toBeGreaterThanOrEqual(80));

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const result = scoreNews2(vector.input);
    const { air, ...rest } = vector.expected.perParameter;
    expect(result.parameters).toEqual({ ...rest, airOrOxygen: air });
    expect({ total: result.score, anySingleThree: result.singleParameterThree, response: result.response }).toEqual({
      total: vector.expected.total,
      anySingleThree: vector.expected.anySingleThree,
      response: vector.expected.response,
    });
  });
});
