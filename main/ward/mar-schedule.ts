// The medication administration record's schedule: which doses an order has in a span, in the
// hospital's standard times, and what state each is in. Plain functions of the order, what was recorded
// and the clock; no SQL. Standard times are local (OD 08:00 is 08:00 on either side of a clock change);
// "every N hours" is elapsed time from the order's start.
import type { Frequency } from '../../contract/pharmacy.js';
import { STANDARD_DOSE_TIMES, type DoseState } from '../../contract/ward.js';
import { clockTime, instantOf, localDaysBetween, minutes } from './hospital-time.js';

const HOUR_MS = 3_600_000;
/** An unrecorded dose stops being "late" and becomes "missed" when the next is due, or after this. */
const MISSED_AFTER_MS = 12 * HOUR_MS;

/** The hospital's standard times, minutes after local midnight (one list, in the contract). */
export const STANDARD_TIMES: Record<'OD' | 'BD' | 'TDS' | 'QDS', readonly number[]> = STANDARD_DOSE_TIMES;

export interface ScheduledOrder {
  frequency: Frequency;
  /** When the order starts (its prescribing time): no dose before it. */
  startsAt: Date;
  /** When the course ends (start + duration), if it has one: no dose at or after it. */
  endsAt: Date | null;
}

export interface RecordedDose {
  administrationId: number;
  scheduledFor: Date;
  outcome: 'given' | 'held' | 'refused' | 'not-given';
  recordedAt: Date;
  recordedBy: string;
  /** The recorder's user id: whether the reader may mark it entered in error depends on it. */
  recordedById: string;
  reason: string | null;
  witnessedBy: string | null;
}

export interface LaidOutDose {
  scheduledFor: Date;
  state: DoseState;
  windowOpensAt: Date;
  windowClosesAt: Date;
  recorded: RecordedDose | null;
}

export interface Clock {
  now: Date;
  timeZone: string;
  windowMinutes: number;
}

/** Scheduled dose times of an order in [from, to), oldest first (none for PRN). */
export function scheduledTimes(order: ScheduledOrder, from: Date, to: Date, timeZone: string): Date[] {
  const start = order.startsAt.getTime();
  const end = Math.min(to.getTime(), order.endsAt?.getTime() ?? Infinity);
  const inSpan = (t: number) => t >= from.getTime() && t < end && t >= start;
  const { frequency } = order;
  switch (frequency.code) {
    case 'PRN':
      return [];
    case 'STAT':
      return inSpan(start) ? [order.startsAt] : [];
    case 'QxH': {
      const step = frequency.intervalHours * HOUR_MS;
      const times: Date[] = [];
      for (let t = start + Math.max(0, Math.ceil((from.getTime() - start) / step)) * step; t < end; t += step) times.push(new Date(t));
      return times;
    }
    default: {
      const times: Date[] = [];
      for (const day of localDaysBetween(from, to, timeZone))
        for (const minute of STANDARD_TIMES[frequency.code]) {
          const t = instantOf(day.year, day.month, day.day, minute, timeZone);
          if (inSpan(t.getTime())) times.push(t);
        }
      return times.sort((a, b) => a.getTime() - b.getTime());
    }
  }
}

/** The state of an unrecorded scheduled dose at `now`, given when the order's next dose falls. */
export function unrecordedState(scheduledFor: Date, next: Date | null, now: Date, windowMinutes: number): DoseState {
  const t = scheduledFor.getTime();
  const window = minutes(windowMinutes);
  if (now.getTime() < t - window) return 'scheduled';
  if (now.getTime() <= t + window) return 'due';
  const missedAt = Math.max(t + window, Math.min(next?.getTime() ?? Infinity, t + MISSED_AFTER_MS));
  return now.getTime() < missedAt ? 'late' : 'missed';
}

/** An order's doses in [from, to) with their states; the recorded doses that count (not in error). */
export function layOutDoses(order: ScheduledOrder, recorded: RecordedDose[], from: Date, to: Date, clock: Clock): LaidOutDose[] {
  const window = minutes(clock.windowMinutes);
  const byTime = new Map(recorded.map((r) => [r.scheduledFor.getTime(), r]));
  if (order.frequency.code === 'PRN')
    return recorded
      .filter((r) => r.outcome === 'given' && r.scheduledFor >= from && r.scheduledFor < to)
      .sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime())
      .map((r) => ({
        scheduledFor: r.scheduledFor,
        state: 'given',
        windowOpensAt: r.scheduledFor,
        windowClosesAt: r.scheduledFor,
        recorded: r,
      }));
  // One dose past the span decides whether the span's last dose is late or missed.
  const times = scheduledTimes(order, from, new Date(to.getTime() + 25 * HOUR_MS), clock.timeZone);
  return times
    .filter((t) => t < to)
    .map((t, i) => {
      const r = byTime.get(t.getTime()) ?? null;
      return {
        scheduledFor: t,
        state: r ? r.outcome : unrecordedState(t, times[i + 1] ?? null, clock.now, clock.windowMinutes),
        windowOpensAt: new Date(t.getTime() - window),
        windowClosesAt: new Date(t.getTime() + window),
        recorded: r,
      };
    });
}

export interface PrnState {
  givenLast24h: number;
  dosesLeft24h: number;
  /** null: may be given now. */
  nextAllowedAt: Date | null;
}

/** An as-needed order at `now`: doses in the last 24 h, how many are left, and when the next is allowed. */
export function prnState(limits: { minIntervalHours: number; maxPer24h: number }, givenAt: Date[], now: Date): PrnState {
  const dayAgo = now.getTime() - 24 * HOUR_MS;
  const recent = givenAt
    .map((d) => d.getTime())
    .filter((t) => t > dayAgo && t <= now.getTime())
    .sort((a, b) => a - b);
  const last = givenAt.reduce((max, d) => Math.max(max, d.getTime()), -Infinity);
  let next = last + limits.minIntervalHours * HOUR_MS;
  // At the maximum: the next is allowed once enough of the counted doses are 24 h old.
  if (recent.length >= limits.maxPer24h) next = Math.max(next, recent[recent.length - limits.maxPer24h]! + 24 * HOUR_MS);
  return {
    givenLast24h: recent.length,
    dosesLeft24h: Math.max(0, limits.maxPer24h - recent.length),
    nextAllowedAt: next > now.getTime() ? new Date(next) : null,
  };
}

/** "QDS: 06:00, 12:00, 18:00, 22:00", "Every 8 h", "PRN: at least 4 h apart, at most 4 in 24 h", "STAT (once)". */
export function describeFrequency(frequency: Frequency): string {
  switch (frequency.code) {
    case 'STAT':
      return 'STAT (once)';
    case 'QxH':
      return `Every ${frequency.intervalHours} h`;
    case 'PRN':
      return `PRN: at least ${frequency.minIntervalHours} h apart, at most ${frequency.maxPer24h} in 24 h`;
    default:
      return `${frequency.code}: ${STANDARD_TIMES[frequency.code].map((m) => clockTime(new Date(Date.UTC(2000, 0, 1, 0, m)), 'UTC')).join(', ')}`;
  }
}
