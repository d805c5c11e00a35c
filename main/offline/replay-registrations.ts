import { sql, type Kysely } from 'kysely';
import { channels } from '../../contract/channels.js';
import type { PatientSearchResult, PatientSummary } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import { possibleDuplicate } from '../ipc/failure.js';
import { toClinicError } from '../ipc/error-mapping.js';
import { duplicateKeys } from '../services/patient-service.js';
import { localNow } from '../services/scheduling-service.js';
import type { OutboxEntry } from './outbox.js';
import { storeResults } from './replay-store.js';

type Registration = ReturnType<(typeof channels)['patients/register-patient']['input']['parse']>;
export type RunOutcome = { key: string; outcome: 'applied'; value: unknown } | { key: string; outcome: 'needs-attention'; error: ReturnType<typeof toClinicError>; entry: OutboxEntry };

const SUMMARY = sql`p.patient_id AS "patientId", p.first_name AS "firstName", p.last_name AS "lastName", p.date_of_birth AS "dateOfBirth", p.gender, p.contact_number AS "contactNumber", p.email, p.department_id AS "departmentId", p.address, 'exact' AS match`;
const identity = (r: { firstName: string; lastName: string; dateOfBirth: string; contactNumber: string | null; gender: string | null; email: string | null }) =>
  JSON.stringify([r.firstName, r.lastName, r.dateOfBirth, r.contactNumber, r.gender, r.email]);

/**
 * Replays a run of walk-in registrations by one user as a few set-based statements instead of one
 * round trip each: a duplicate check for the whole run, one INSERT, one insert of the stored
 * results. Returns null when the run needs the careful path (an invalid entry, two alike in the
 * run, or another replay storing the same keys): the caller then replays it change by change.
 * Runs inside the caller's transaction, with the acting user already set.
 */
export async function replayRegistrationRun(trx: Kysely<Database>, run: OutboxEntry[]): Promise<RunOutcome[] | null> {
  const spec = channels['patients/register-patient'];
  const parsed: { entry: OutboxEntry; input: Registration; ord: number }[] = [];
  const seen = new Set<string>();
  for (const [ord, entry] of run.entries()) {
    const result = spec.input.safeParse(entry.input);
    if (!result.success || result.data.dateOfBirth > localNow(new Date(entry.createdAt)).date) return null;
    const keys = duplicateKeys(result.data);
    // Two alike in one run: the second must see the first as a possible duplicate, one by one.
    if (keys.some((k) => seen.has(k))) return null;
    for (const k of keys) seen.add(k);
    parsed.push({ entry, input: result.data, ord });
  }
  const rows = parsed.map(({ input, ord }) => ({ ord, first: input.firstName, last: input.lastName, dob: input.dateOfBirth, phone: input.contactNumber, check: !input.confirmNotDuplicate }));
  const json = JSON.stringify(rows);

  // The same two rules as one registration online: same name and birth date, or the same phone.
  const candidates = await sql<PatientSearchResult & { ord: number }>`
    SELECT r.ord, ${SUMMARY}
    FROM jsonb_to_recordset(${json}::jsonb) AS r(ord int, first text, last text, dob date, phone text, "check" boolean)
    JOIN patients p ON p.date_of_birth = r.dob AND lower(p.first_name) = lower(r.first) AND lower(p.last_name) = lower(r.last)
    WHERE r."check"
    UNION
    SELECT r.ord, ${SUMMARY}
    FROM jsonb_to_recordset(${json}::jsonb) AS r(ord int, first text, last text, dob date, phone text, "check" boolean)
    JOIN patients p ON p.contact_number = r.phone
    WHERE r."check" AND r.phone IS NOT NULL`.execute(trx);
  const duplicatesOf = new Map<number, PatientSearchResult[]>();
  for (const { ord, ...patient } of candidates.rows) duplicatesOf.set(ord, [...(duplicatesOf.get(ord) ?? []), patient].slice(0, 10));

  const toInsert = parsed.filter((p) => !duplicatesOf.has(p.ord));
  const inserted = toInsert.length
    ? await sql<PatientSummary>`
        INSERT INTO patients (first_name, last_name, date_of_birth, gender, contact_number, address, email)
        SELECT r.first_name, r.last_name, r.date_of_birth, r.gender, r.contact_number, r.address, r.email
        FROM jsonb_to_recordset(${JSON.stringify(toInsert.map((p) => ({ ord: p.ord, first_name: p.input.firstName, last_name: p.input.lastName, date_of_birth: p.input.dateOfBirth, gender: p.input.gender, contact_number: p.input.contactNumber, address: p.input.address, email: p.input.email })))}::jsonb)
          AS r(ord int, first_name text, last_name text, date_of_birth date, gender text, contact_number text, address text, email text)
        ORDER BY r.ord
        RETURNING patient_id AS "patientId", first_name AS "firstName", last_name AS "lastName", date_of_birth AS "dateOfBirth", gender, contact_number AS "contactNumber", email, department_id AS "departmentId"`.execute(trx)
    : { rows: [] };
  // Rows in a run are distinct (checked above), so each returned row maps back to exactly one entry.
  const byIdentity = new Map(inserted.rows.map((p) => [identity(p), p]));

  const outcomes: RunOutcome[] = parsed.map(({ entry, input, ord }) => {
    const duplicates = duplicatesOf.get(ord);
    if (duplicates) return { key: entry.key, outcome: 'needs-attention', error: toClinicError(possibleDuplicate('This walk-in may already be registered: the same name and birth date, or the same phone.', duplicates), () => undefined), entry };
    const patient = byIdentity.get(identity(input));
    if (!patient) throw new Error('A registered walk-in could not be matched to its row');
    return { key: entry.key, outcome: 'applied', value: spec.output.parse({ status: 'registered', patient }) };
  });

  const stored = await storeResults(
    trx,
    outcomes.map((o, i) => ({ entry: run[i]!, status: o.outcome === 'applied' ? ('applied' as const) : ('rejected' as const), result: o.outcome === 'applied' ? o.value : o.error })),
  );
  // Another replay stored some of these keys meanwhile: undo the run, go change by change.
  if (!stored) return null;
  return outcomes;
}
