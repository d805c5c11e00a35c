/** What the clerk typed, read as one kind of patient search. Pure: tested without a database. */
export type PatientQuery =
  | { kind: 'id'; patientId: number }
  | { kind: 'phone'; digits: string }
  | { kind: 'name'; tokens: string[]; lastFirst: boolean; dateOfBirth: string | null }
  | { kind: 'dob'; dateOfBirth: string };

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_FIRST_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;

/** A birth date written 1980-02-03, 03/02/1980 or 3.2.1980 (day first, as on European forms). */
export function parseDate(token: string): string | null {
  const iso = ISO_DATE.exec(token);
  const dayFirst = DAY_FIRST_DATE.exec(token);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : [];
  if (!year || !month || !day) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return date.toISOString().slice(0, 10);
}

export function parsePatientQuery(raw: string): PatientQuery | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  const explicitId = /^#\s?(\d{1,10})$/.exec(text);
  if (explicitId) return { kind: 'id', patientId: Number(explicitId[1]) };
  const wholeDate = parseDate(text);
  if (wholeDate) return { kind: 'dob', dateOfBirth: wholeDate };
  const digits = text.replace(/[\s()+-]/g, '');
  // Short numbers are patient numbers; six digits or more are phone numbers.
  if (/^\d+$/.test(digits)) return digits.length >= 6 ? { kind: 'phone', digits } : { kind: 'id', patientId: Number(digits) };
  const lastFirst = text.includes(',');
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  const dates = tokens.map(parseDate);
  const dateOfBirth = dates.find((d) => d !== null) ?? null;
  const names = tokens
    .filter((_, i) => dates[i] === null)
    .map((t) => t.toLowerCase())
    .slice(0, 3);
  if (names.length === 0) return dateOfBirth ? { kind: 'dob', dateOfBirth } : null;
  return { kind: 'name', tokens: names, lastFirst, dateOfBirth };
}
