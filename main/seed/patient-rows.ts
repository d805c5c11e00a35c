import { Readable } from 'node:stream';
import { faker } from '@faker-js/faker';

/** A small fast PRNG (mulberry32): faker builds the vocabulary, this picks from it per row. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PatientVocabulary {
  firstNames: { name: string; gender: 'M' | 'F' }[];
  lastNames: string[];
  streets: string[];
  cities: string[];
}

export function buildVocabulary(seed: number): PatientVocabulary {
  faker.seed(seed);
  const unique = (make: () => string, count: number) => {
    const set = new Set<string>();
    for (let i = 0; set.size < count && i < count * 20; i += 1) set.add(make());
    return [...set];
  };
  return {
    firstNames: [
      ...unique(() => faker.person.firstName('female'), 600).map((name) => ({ name, gender: 'F' as const })),
      ...unique(() => faker.person.firstName('male'), 600).map((name) => ({ name, gender: 'M' as const })),
    ],
    lastNames: unique(() => faker.person.lastName(), 1500),
    streets: unique(() => faker.location.street(), 800),
    cities: unique(() => faker.location.city(), 300),
  };
}

export interface PatientRow {
  first_name: string;
  last_name: string;
  date_of_birth: string;
  gender: string;
  contact_number: string;
  address: string;
  email: string;
  department_id: number | null;
}

/** Deterministic patient rows: the same seed always gives the same hospital. */
export function* generatePatients(count: number, seed: number, departmentIds: number[]): Generator<PatientRow> {
  const vocabulary = buildVocabulary(seed);
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const today = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i += 1) {
    const first = pick(vocabulary.firstNames);
    const last = pick(vocabulary.lastNames);
    const ageDays = Math.floor(random() * 95 * 365.25);
    const phone = `0${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    yield {
      first_name: first.name,
      last_name: last,
      date_of_birth: new Date(today - ageDays * 86_400_000).toISOString().slice(0, 10),
      gender: first.gender,
      contact_number: phone,
      address: `${1 + Math.floor(random() * 400)} ${pick(vocabulary.streets)}, ${pick(vocabulary.cities)}`,
      email: `${first.name}.${last}.${i}@example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      // Most patients are outpatients; some are under a ward or clinic's care.
      department_id: departmentIds.length > 0 && random() < 0.3 ? pick(departmentIds) : null,
    };
  }
}

const COPY_SPECIALS = /[\\\t\n\r]/g;
const escapeCopy = (value: string | number | null) =>
  value === null ? '\\N' : String(value).replace(COPY_SPECIALS, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

export const PATIENT_COPY_COLUMNS = [
  'first_name',
  'last_name',
  'date_of_birth',
  'gender',
  'contact_number',
  'address',
  'email',
  'department_id',
] as const;

/** The rows as PostgreSQL COPY text, in chunks of many rows (one chunk per push keeps it fast). */
export function patientCopyStream(rows: Iterable<PatientRow>, onRows?: (n: number) => void): Readable {
  const iterator = rows[Symbol.iterator]();
  return new Readable({
    read() {
      const lines: string[] = [];
      for (let i = 0; i < 5000; i += 1) {
        const next = iterator.next();
        if (next.done) break;
        lines.push(PATIENT_COPY_COLUMNS.map((c) => escapeCopy(next.value[c])).join('\t'));
      }
      if (lines.length === 0) return void this.push(null);
      onRows?.(lines.length);
      this.push(`${lines.join('\n')}\n`);
    },
  });
}
