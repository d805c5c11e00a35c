// NEWS2 against the Royal College of Physicians chart (shared/reference/news2.md): both sides of every
// band edge of every parameter, both SpO2 scales, the aggregate, the single-3 trigger and the response.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  news2Response,
  scoreAirOrOxygen,
  scoreConsciousness,
  scoreNews2,
  scorePulse,
  scoreRespirationRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolicBp,
  scoreTemperature,
  type Vitals,
} from '../../main/ward/news2.js';
import { checkVitals } from '../../main/ward/vitals-validation.js';

/** [value, expected score] pairs: each chart edge and its neighbour on the other side. */
const edges = (f: (v: number) => number, cases: [number, number][]) =>
  it.each(cases)('%s scores %s', (value, expected) => expect(f(value)).toBe(expected));

describe('each parameter, both sides of every band edge', () => {
  describe('respiration rate', () =>
    edges(scoreRespirationRate, [
      [8, 3],
      [9, 1],
      [11, 1],
      [12, 0],
      [20, 0],
      [21, 2],
      [24, 2],
      [25, 3],
    ]));
  describe('SpO2 scale 1', () =>
    edges(scoreSpo2Scale1, [
      [91, 3],
      [92, 2],
      [93, 2],
      [94, 1],
      [95, 1],
      [96, 0],
      [100, 0],
    ]));
  describe('SpO2 scale 2 on air', () =>
    edges(
      (v) => scoreSpo2Scale2(v, false),
      [
        [83, 3],
        [84, 2],
        [85, 2],
        [86, 1],
        [87, 1],
        [88, 0],
        [92, 0],
        [93, 0],
        [97, 0],
        [100, 0],
      ],
    ));
  describe('SpO2 scale 2 on oxygen', () =>
    edges(
      (v) => scoreSpo2Scale2(v, true),
      [
        [83, 3],
        [84, 2],
        [85, 2],
        [86, 1],
        [87, 1],
        [88, 0],
        [92, 0],
        [93, 1],
        [94, 1],
        [95, 2],
        [96, 2],
        [97, 3],
        [100, 3],
      ],
    ));
  describe('systolic blood pressure', () =>
    edges(scoreSystolicBp, [
      [90, 3],
      [91, 2],
      [100, 2],
      [101, 1],
      [110, 1],
      [111, 0],
      [219, 0],
      [220, 3],
    ]));
  describe('pulse', () =>
    edges(scorePulse, [
      [40, 3],
      [41, 1],
      [50, 1],
      [51, 0],
      [90, 0],
      [91, 1],
      [110, 1],
      [111, 2],
      [130, 2],
      [131, 3],
    ]));
  describe('temperature', () =>
    edges(scoreTemperature, [
      [35.0, 3],
      [35.1, 1],
      [36.0, 1],
      [36.1, 0],
      [38.0, 0],
      [38.1, 1],
      [39.0, 1],
      [39.1, 2],
      [42.0, 2],
    ]));
  it('air or oxygen: air 0, oxygen 2', () => {
    expect(scoreAirOrOxygen(false)).toBe(0);
    expect(scoreAirOrOxygen(true)).toBe(2);
  });
  it('consciousness: alert 0; new confusion, voice, pain, unresponsive 3', () => {
    expect(scoreConsciousness('A')).toBe(0);
    for (const level of ['C', 'V', 'P', 'U'] as const) expect(scoreConsciousness(level)).toBe(3);
  });
});

const normal: Vitals = {
  respirationRate: 16,
  spo2: 97,
  spo2Scale: 1,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
};

describe('aggregate and response', () => {
  it('all normal: 0, low', () => expect(scoreNews2(normal)).toMatchObject({ score: 0, singleParameterThree: false, response: 'low' }));
  it('1–4 without a single 3: low', () => {
    expect(scoreNews2({ ...normal, pulse: 95 })).toMatchObject({ score: 1, response: 'low' });
    expect(scoreNews2({ ...normal, pulse: 115, respirationRate: 22 })).toMatchObject({ score: 4, response: 'low' });
  });
  it('a 3 in one parameter with a low aggregate: low-medium', () => {
    expect(scoreNews2({ ...normal, consciousness: 'C' })).toMatchObject({ score: 3, singleParameterThree: true, response: 'low-medium' });
    expect(scoreNews2({ ...normal, systolicBp: 88, pulse: 95 })).toMatchObject({ score: 4, response: 'low-medium' });
  });
  it('5–6: medium, whether or not a parameter scored 3', () => {
    expect(scoreNews2({ ...normal, onOxygen: true, spo2: 94, respirationRate: 22 })).toMatchObject({ score: 5, response: 'medium' });
    expect(scoreNews2({ ...normal, respirationRate: 26, pulse: 115, temperature: 38.5 })).toMatchObject({ score: 6, response: 'medium' });
  });
  it('7 or more: high', () => {
    expect(scoreNews2({ ...normal, respirationRate: 26, pulse: 115, temperature: 39.5 })).toMatchObject({ score: 7, response: 'high' });
    const worst: Vitals = {
      respirationRate: 30,
      spo2: 85,
      spo2Scale: 1,
      onOxygen: true,
      systolicBp: 80,
      pulse: 140,
      consciousness: 'U',
      temperature: 34,
    };
    expect(scoreNews2(worst)).toMatchObject({ score: 20, response: 'high' });
  });
  it('scale 2 patient at target on oxygen scores only the oxygen; the same reading on scale 1 scores SpO2 too', () => {
    expect(scoreNews2({ ...normal, spo2Scale: 2, spo2: 90, onOxygen: true }).score).toBe(2);
    expect(scoreNews2({ ...normal, spo2Scale: 1, spo2: 90, onOxygen: true }).score).toBe(5);
  });
  it('response thresholds', () => {
    expect([0, 1, 4, 5, 6, 7, 20].map((s) => news2Response(s, false))).toEqual(['low', 'low', 'low', 'medium', 'medium', 'high', 'high']);
    expect([3, 4, 5, 7].map((s) => news2Response(s, true))).toEqual(['low-medium', 'low-medium', 'medium', 'high']);
  });
});

const vitalsArb = fc.record<Vitals>({
  respirationRate: fc.integer({ min: 1, max: 80 }),
  spo2: fc.integer({ min: 40, max: 100 }),
  spo2Scale: fc.constantFrom(1 as const, 2 as const),
  onOxygen: fc.boolean(),
  systolicBp: fc.integer({ min: 30, max: 300 }),
  pulse: fc.integer({ min: 20, max: 300 }),
  consciousness: fc.constantFrom('A' as const, 'C' as const, 'V' as const, 'P' as const, 'U' as const),
  temperature: fc.integer({ min: 250, max: 450 }).map((t) => t / 10),
});

/** Further from normal never scores less: non-increasing below the 0 band, non-decreasing above it. */
function monotoneAroundNormal(f: (v: number) => number, lowestNormal: number, highestNormal: number) {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (a, b) => {
      const [x, y] = a <= b ? [a, b] : [b, a];
      if (y <= lowestNormal) return f(x) >= f(y);
      if (x >= highestNormal) return f(x) <= f(y);
      return true;
    }),
  );
}

describe('properties', () => {
  it('the score is the sum of the parameter scores, 0–20, and the response follows it', () => {
    fc.assert(
      fc.property(vitalsArb, (v) => {
        const r = scoreNews2(v);
        const sum = Object.values(r.parameters).reduce((s, p) => s + p, 0);
        return r.score === sum && sum >= 0 && sum <= 20 && r.response === news2Response(sum, Object.values(r.parameters).includes(3));
      }),
    );
  });
  it('every parameter is monotone away from its normal band', () => {
    monotoneAroundNormal(scoreRespirationRate, 12, 20);
    monotoneAroundNormal(scoreSystolicBp, 111, 219);
    monotoneAroundNormal(scorePulse, 51, 90);
    monotoneAroundNormal((t) => scoreTemperature(t / 10), 361, 380);
    monotoneAroundNormal(scoreSpo2Scale1, 96, 400);
    monotoneAroundNormal((v) => scoreSpo2Scale2(v, false), 88, 400);
    monotoneAroundNormal((v) => scoreSpo2Scale2(v, true), 88, 92);
  });
});

describe('vitals validation', () => {
  it('accepts a normal set with no flags', () => expect(checkVitals(normal)).toEqual({ ok: true, flags: [] }));
  it.each([
    ['spo2', 101],
    ['spo2', 39],
    ['respirationRate', -1],
    ['respirationRate', 0],
    ['respirationRate', 81],
    ['temperature', 24.9],
    ['temperature', 45.1],
    ['systolicBp', 29],
    ['systolicBp', 301],
    ['pulse', 19],
    ['pulse', 301],
    ['pulse', 72.5],
    ['temperature', 37.25],
    ['spo2', Number.NaN],
  ] as const)('refuses %s = %s with a sentence naming it', (field, value) => {
    const result = checkVitals({ ...normal, [field]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ path: field, message: expect.stringMatching(/\S+.*\./) }]);
  });
  it('accepts the limits themselves and flags plausible extremes', () => {
    expect(checkVitals({ ...normal, spo2: 100, temperature: 45, pulse: 20, respirationRate: 1, systolicBp: 300 })).toEqual({
      ok: true,
      flags: ['respirationRate-low', 'systolicBp-high', 'pulse-low', 'temperature-high'],
    });
    expect(checkVitals({ ...normal, temperature: 25, spo2: 40 })).toEqual({ ok: true, flags: ['spo2-low', 'temperature-low'] });
  });
});
