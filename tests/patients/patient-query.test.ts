import { describe, expect, it } from 'vitest';
import { parseDate, parsePatientQuery } from '../../main/patients/patient-query.js';
import { addDays, daySlots, isoWeekday, nextFreeSlots } from '../../main/scheduling/booking-rules.js';

describe('reading what the clerk typed', () => {
  it.each([
    ['Garcia, Maria', { kind: 'name', tokens: ['garcia', 'maria'], lastFirst: true, dateOfBirth: null }],
    ['maria garcia', { kind: 'name', tokens: ['maria', 'garcia'], lastFirst: false, dateOfBirth: null }],
    ['garc', { kind: 'name', tokens: ['garc'], lastFirst: false, dateOfBirth: null }],
    ['garcia 03/02/1980', { kind: 'name', tokens: ['garcia'], lastFirst: false, dateOfBirth: '1980-02-03' }],
    ['1980-02-03', { kind: 'dob', dateOfBirth: '1980-02-03' }],
    ['3.2.1980', { kind: 'dob', dateOfBirth: '1980-02-03' }],
    ['#42', { kind: 'id', patientId: 42 }],
    ['42', { kind: 'id', patientId: 42 }],
    ['0412 555 123', { kind: 'phone', digits: '0412555123' }],
    ['(04) 1255-5123', { kind: 'phone', digits: '0412555123' }],
  ])('%s', (typed, expected) => {
    expect(parsePatientQuery(typed)).toEqual(expected);
  });

  it('refuses impossible dates and empty input', () => {
    expect(parseDate('1980-02-30')).toBeNull();
    expect(parseDate('31/04/1990')).toBeNull();
    expect(parsePatientQuery('   ')).toBeNull();
    expect(parsePatientQuery('30/02/1980')).toEqual({ kind: 'name', tokens: ['30/02/1980'], lastFirst: false, dateOfBirth: null });
  });
});

describe('slots', () => {
  const hours = [1, 2, 3, 4, 5].flatMap((d) => [
    { iso_weekday: d, start: 480, end: 720 },
    { iso_weekday: d, start: 780, end: 1020 },
  ]);

  it('cuts working hours into whole slots', () => {
    expect(isoWeekday('2026-11-30')).toBe(1); // a Monday
    expect(daySlots(hours, '2026-11-30', 15)).toHaveLength(32);
    expect(daySlots(hours, '2026-11-30', 25).at(-1)).toBe(980); // 16:20–16:45; a 16:45 slot would end after 17:00
    expect(daySlots(hours, '2026-11-29', 15)).toEqual([]); // Sunday
  });

  it('finds the next free slots the doctor and the patient both have, skipping weekends', () => {
    const free = nextFreeSlots({
      hours,
      slotMinutes: 15,
      doctorBusy: [{ date: '2026-11-27', start: 975, duration: 15 }],
      patientBusy: [{ date: '2026-11-27', start: 990, duration: 30 }],
      after: { date: '2026-11-27', minute: 960 }, // Friday 16:00
      count: 3,
      horizonDays: 14,
    });
    expect(free).toEqual([
      { date: '2026-11-30', time: '08:00' },
      { date: '2026-11-30', time: '08:15' },
      { date: '2026-11-30', time: '08:30' },
    ]);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
