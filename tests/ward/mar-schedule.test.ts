// The MAR schedule as pure functions: standard times in the hospital's zone across midnight and both
// daylight-saving changes (London and New York), every-N-hours as elapsed time, dose states, PRN limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frequency } from '../../contract/pharmacy.js';
import { clockTime, instantOf } from '../../main/ward/hospital-time.js';
import { layOutDoses, prnState, scheduledTimes, STANDARD_TIMES, unrecordedState, type RecordedDose } from '../../main/ward/mar-schedule.js';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const at = (iso: string) => new Date(iso);
const order = (frequency: Frequency, startsAt = '2026-01-01T00:00:00Z', endsAt: string | null = null) => ({
  frequency,
  startsAt: at(startsAt),
  endsAt: endsAt ? at(endsAt) : null,
});
const isoList = (dates: Date[]) => dates.map((d) => d.toISOString());
const H = 3_600_000;

describe('standard times in the hospital zone', () => {
  it('BD across midnight: 20:00 tonight, 08:00 tomorrow', () => {
    const times = scheduledTimes(order({ code: 'BD' }), at('2026-02-10T18:00:00Z'), at('2026-02-11T18:00:00Z'), LONDON);
    expect(isoList(times)).toEqual(['2026-02-10T20:00:00.000Z', '2026-02-11T08:00:00.000Z']);
  });

  it('QDS when the clocks go forward (London, 29 March 2026): 22:00 → 06:00 is 7 hours', () => {
    const times = scheduledTimes(order({ code: 'QDS' }), at('2026-03-28T21:00:00Z'), at('2026-03-29T21:00:00Z'), LONDON);
    expect(isoList(times)).toEqual([
      '2026-03-28T22:00:00.000Z', // 22:00 GMT
      '2026-03-29T05:00:00.000Z', // 06:00 BST
      '2026-03-29T11:00:00.000Z',
      '2026-03-29T17:00:00.000Z',
    ]);
    expect(times.map((t) => clockTime(t, LONDON))).toEqual(['22:00', '06:00', '12:00', '18:00']);
    expect(times[1]!.getTime() - times[0]!.getTime()).toBe(7 * H);
  });

  it('QDS when the clocks go back (London, 25 October 2026): 22:00 → 06:00 is 9 hours', () => {
    const times = scheduledTimes(order({ code: 'QDS' }), at('2026-10-24T20:00:00Z'), at('2026-10-25T20:00:00Z'), LONDON);
    expect(isoList(times)).toEqual([
      '2026-10-24T21:00:00.000Z', // 22:00 BST
      '2026-10-25T06:00:00.000Z', // 06:00 GMT
      '2026-10-25T12:00:00.000Z',
      '2026-10-25T18:00:00.000Z',
    ]);
    expect(times[1]!.getTime() - times[0]!.getTime()).toBe(9 * H);
  });

  it('New York both ways: TDS keeps 08:00 / 14:00 / 20:00 on the wall clock', () => {
    for (const [from, to, overnightHours] of [
      ['2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z', 11],
      ['2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z', 13],
    ] as const) {
      const times = scheduledTimes(order({ code: 'TDS' }), at(from), at(to), NEW_YORK);
      expect(times.map((t) => clockTime(t, NEW_YORK))).toEqual(['08:00', '14:00', '20:00', '08:00', '14:00', '20:00']);
      expect(times[3]!.getTime() - times[2]!.getTime()).toBe(overnightHours * H);
    }
  });

  it('a local time in the spring gap moves past it; a repeated one is the first', () => {
    expect(instantOf(2026, 3, 29, 90, LONDON).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // shown as 02:30 BST
    expect(instantOf(2026, 10, 25, 90, LONDON).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // the first 01:30 (BST)
  });

  it('every N hours is elapsed time from the start, across a clock change', () => {
    const times = scheduledTimes(
      order({ code: 'QxH', intervalHours: 8 }, '2026-03-28T19:00:00Z'),
      at('2026-03-28T00:00:00Z'),
      at('2026-03-30T00:00:00Z'),
      LONDON,
    );
    expect(isoList(times)).toEqual([
      '2026-03-28T19:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
      '2026-03-29T11:00:00.000Z',
      '2026-03-29T19:00:00.000Z',
    ]);
  });

  it('no dose before the order starts or at/after its course ends; STAT once; PRN none', () => {
    const od = order({ code: 'OD' }, '2026-02-10T09:00:00Z', '2026-02-12T09:00:00Z');
    expect(isoList(scheduledTimes(od, at('2026-02-09T00:00:00Z'), at('2026-02-15T00:00:00Z'), LONDON))).toEqual([
      '2026-02-11T08:00:00.000Z',
      '2026-02-12T08:00:00.000Z',
    ]);
    const stat = order({ code: 'STAT' }, '2026-02-10T09:13:00Z');
    expect(isoList(scheduledTimes(stat, at('2026-02-10T00:00:00Z'), at('2026-02-11T00:00:00Z'), LONDON))).toEqual([
      '2026-02-10T09:13:00.000Z',
    ]);
    expect(
      scheduledTimes(
        order({ code: 'PRN', minIntervalHours: 4, maxPer24h: 4 }),
        at('2026-02-10T00:00:00Z'),
        at('2026-02-11T00:00:00Z'),
        LONDON,
      ),
    ).toEqual([]);
  });

  it('property: any zone, any 48 h span — each local day holds exactly its standard times, in order, on the wall clock', () => {
    const zones = [LONDON, NEW_YORK, 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
    const codes = ['OD', 'BD', 'TDS', 'QDS'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...codes),
        fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        (zone, code, from) => {
          const to = new Date(from.getTime() + 48 * H);
          const times = scheduledTimes(order({ code }, '2024-01-01T00:00:00Z'), from, to, zone);
          const wall = STANDARD_TIMES[code].map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
          for (const t of times) expect(wall).toContain(clockTime(t, zone));
          for (let i = 1; i < times.length; i++) expect(times[i]!.getTime()).toBeGreaterThan(times[i - 1]!.getTime());
          // 48 hours hold two days' doses, give or take the part-days at either end.
          expect(times.length).toBeGreaterThanOrEqual(2 * STANDARD_TIMES[code].length - STANDARD_TIMES[code].length);
          expect(times.length).toBeLessThanOrEqual(3 * STANDARD_TIMES[code].length);
          for (const t of times) expect(t >= from && t < to).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('dose states', () => {
  const t = at('2026-02-10T08:00:00Z');
  const next = at('2026-02-10T20:00:00Z');
  const state = (nowIso: string, window = 60) => unrecordedState(t, next, at(nowIso), window);

  it('scheduled before the window, due inside it (both edges), late after, missed when the next is due', () => {
    expect(state('2026-02-10T06:59:59Z')).toBe('scheduled');
    expect(state('2026-02-10T07:00:00Z')).toBe('due');
    expect(state('2026-02-10T09:00:00Z')).toBe('due');
    expect(state('2026-02-10T09:00:01Z')).toBe('late');
    expect(state('2026-02-10T19:59:59Z')).toBe('late');
    expect(state('2026-02-10T20:00:00Z')).toBe('missed');
  });

  it('the window is configurable; a once-only dose is missed after 12 hours', () => {
    expect(state('2026-02-10T08:40:00Z', 30)).toBe('late');
    expect(state('2026-02-10T08:40:00Z', 60)).toBe('due');
    expect(unrecordedState(t, null, at('2026-02-10T19:59:00Z'), 60)).toBe('late');
    expect(unrecordedState(t, null, at('2026-02-10T20:00:00Z'), 60)).toBe('missed');
  });

  it('property: as time passes a dose only moves forward through scheduled → due → late → missed', () => {
    const rank = { scheduled: 0, due: 1, late: 2, missed: 3 } as Record<string, number>;
    fc.assert(
      fc.property(
        fc.integer({ min: -48 * 60, max: 48 * 60 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 15, max: 240 }),
        (a, step, window) => {
          const early = unrecordedState(t, next, new Date(t.getTime() + a * 60_000), window);
          const later = unrecordedState(t, next, new Date(t.getTime() + (a + step) * 60_000), window);
          expect(rank[later]!).toBeGreaterThanOrEqual(rank[early]!);
        },
      ),
    );
  });

  it('recorded doses show what was recorded; PRN shows only the doses given', () => {
    const recorded: RecordedDose[] = [
      {
        administrationId: 1,
        scheduledFor: t,
        outcome: 'held',
        recordedAt: t,
        recordedBy: 'N',
        recordedById: 'n',
        reason: 'Nil by mouth',
        witnessedBy: null,
      },
    ];
    const clock = { now: at('2026-02-10T21:30:00Z'), timeZone: 'UTC', windowMinutes: 60 };
    const doses = layOutDoses(order({ code: 'BD' }), recorded, at('2026-02-10T00:00:00Z'), at('2026-02-11T00:00:00Z'), clock);
    expect(doses.map((d) => d.state)).toEqual(['held', 'late']);
    const given: RecordedDose = { ...recorded[0]!, outcome: 'given', scheduledFor: at('2026-02-10T10:17:00Z') };
    const prn = layOutDoses(
      order({ code: 'PRN', minIntervalHours: 4, maxPer24h: 3 }),
      [given],
      at('2026-02-10T00:00:00Z'),
      at('2026-02-11T00:00:00Z'),
      clock,
    );
    expect(prn).toMatchObject([{ state: 'given', scheduledFor: given.scheduledFor }]);
  });
});

describe('PRN', () => {
  const limits = { minIntervalHours: 4, maxPer24h: 3 };
  const now = at('2026-02-10T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * H);

  it('next allowed after the minimum interval; doses left in 24 h', () => {
    expect(prnState(limits, [], now)).toEqual({ givenLast24h: 0, dosesLeft24h: 3, nextAllowedAt: null });
    expect(prnState(limits, [hoursAgo(1)], now)).toEqual({ givenLast24h: 1, dosesLeft24h: 2, nextAllowedAt: at('2026-02-10T15:00:00Z') });
    expect(prnState(limits, [hoursAgo(4)], now).nextAllowedAt).toBeNull();
  });

  it('at the maximum, the next is allowed when the oldest counted dose is 24 h old', () => {
    const s = prnState(limits, [hoursAgo(20), hoursAgo(12), hoursAgo(5)], now);
    expect(s).toEqual({ givenLast24h: 3, dosesLeft24h: 0, nextAllowedAt: at('2026-02-10T16:00:00Z') });
    expect(prnState(limits, [hoursAgo(25), hoursAgo(12), hoursAgo(5)], now)).toMatchObject({ givenLast24h: 2, nextAllowedAt: null });
  });

  it('property: giving at nextAllowedAt (or now when null) never breaks either limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 48 * 60 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        (agoMinutes, interval, max) => {
          const given = agoMinutes.map((m) => new Date(now.getTime() - m * 60_000));
          const s = prnState({ minIntervalHours: interval, maxPer24h: max }, given, now);
          const when = s.nextAllowedAt ?? now;
          const within = given.filter((g) => g.getTime() > when.getTime() - 24 * H && g <= when).length;
          const last = Math.max(...given.map((g) => g.getTime()), -Infinity);
          expect(when.getTime() - last).toBeGreaterThanOrEqual(interval * H);
          expect(within).toBeLessThan(max);
        },
      ),
    );
  });
});
