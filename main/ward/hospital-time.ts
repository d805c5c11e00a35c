// Wall-clock times in the hospital's time zone, as instants. Standard dose times (08:00, 20:00…) are
// local times: across a daylight-saving change the gap between two of them is an hour longer or shorter.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

// Read once: building a formatter to ask took a twentieth of main's time per bedside scan (bench:ward).
let zoneOfProcess: string | undefined;
/** The zone main runs in: the hospital's (the workstations are set to it). */
export const hospitalTimeZone = (): string => (zoneOfProcess ??= Intl.DateTimeFormat().resolvedOptions().timeZone);

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The local calendar date and time of an instant. */
export function wallTimeOf(instant: Date, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute! };
}

/** How far the zone's clocks are ahead of UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const base = ms - (((ms % 60_000) + 60_000) % 60_000);
  const w = wallTimeOf(new Date(base), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - base;
}

/**
 * The instant a local date and time names. Repeated (clocks going back): the first of the two.
 * Skipped (clocks going forward): the same distance past the gap, as a wall clock would show it.
 */
export function instantOf(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const wallMs = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  const fits = [wallMs - before, wallMs - after].filter((ms) => offsetAt(ms, timeZone) === wallMs - ms);
  if (fits.length > 0) return new Date(Math.min(...fits));
  return new Date(wallMs - before);
}

/** Each local calendar day that overlaps [from, to), as year/month/day. */
export function localDaysBetween(from: Date, to: Date, timeZone: string): { year: number; month: number; day: number }[] {
  const first = wallTimeOf(new Date(from.getTime() - DAY_MS), timeZone);
  const days: { year: number; month: number; day: number }[] = [];
  for (let i = 0; ; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const day = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    if (instantOf(day.year, day.month, day.day, 0, timeZone).getTime() >= to.getTime() + DAY_MS) break;
    days.push(day);
  }
  return days;
}

/** "08:00" in the hospital's zone. */
export function clockTime(instant: Date, timeZone: string): string {
  const w = wallTimeOf(instant, timeZone);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

export const minutes = (n: number) => n * MINUTE_MS;
