import type { Kysely } from 'kysely';
import { channels } from '../../../contract/index.js';
import type { PatientSearchResult } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { possibleDuplicate } from '../../shared/failure.js';
import { toClinicError } from '../../ipc/error-mapping.js';
import { duplicateKeys, findPossibleDuplicates, insertPatients, POSSIBLE_DUPLICATE } from '../../patients/index.js';
import { localNow } from '../../shared/clinic-time.js';
import type { OutboxEntry } from './outbox.js';
import { storeResults } from './replay-store.js';

type Registration = ReturnType<(typeof channels)['patients/register-patient']['input']['parse']>;
export type RunOutcome =
  | { key: string; outcome: 'applied'; value: unknown }
  | { key: string; outcome: 'needs-attention'; error: ReturnType<typeof toClinicError>; entry: OutboxEntry };

const identity = (r: {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  contactNumber: string | null;
  gender: string | null;
  email: string | null;
}) => JSON.stringify([r.firstName, r.lastName, r.dateOfBirth, r.contactNumber, r.gender, r.email]);

/**
 * Replays a run of walk-in registrations by one user as a few set-based statements instead of one
 * round trip each: a duplicate check for the whole run and one INSERT (the patients feature's own,
 * the same the online path runs for one), one insert of the stored results. Returns null when the run needs the careful path (an invalid entry, two alike in the
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
  // The same rule as one registration online, for the whole run in one statement.
  const checked = parsed.filter((p) => !p.input.confirmNotDuplicate);
  const found = await findPossibleDuplicates(
    trx,
    checked.map((p) => p.input),
  );
  const duplicatesOf = new Map<number, PatientSearchResult[]>();
  checked.forEach((p, i) => {
    const candidates = found.get(i);
    if (candidates) duplicatesOf.set(p.ord, candidates);
  });

  const toInsert = parsed.filter((p) => !duplicatesOf.has(p.ord));
  const inserted = await insertPatients(
    trx,
    toInsert.map((p) => p.input),
  );
  // Rows in a run are distinct (checked above), so each returned row maps back to exactly one entry.
  const byIdentity = new Map(inserted.map((p) => [identity(p), p]));

  const outcomes: RunOutcome[] = parsed.map(({ entry, input, ord }) => {
    const duplicates = duplicatesOf.get(ord);
    if (duplicates)
      return {
        key: entry.key,
        outcome: 'needs-attention',
        error: toClinicError(possibleDuplicate(POSSIBLE_DUPLICATE, duplicates), () => undefined),
        entry,
      };
    const patient = byIdentity.get(identity(input));
    if (!patient) throw new Error('A registered walk-in could not be matched to its row');
    return { key: entry.key, outcome: 'applied', value: spec.output.parse({ status: 'registered', patient }) };
  });

  const stored = await storeResults(
    trx,
    outcomes.map((o, i) => ({
      entry: run[i]!,
      status: o.outcome === 'applied' ? ('applied' as const) : ('rejected' as const),
      result: o.outcome === 'applied' ? o.value : o.error,
    })),
  );
  // Another replay stored some of these keys meanwhile: undo the run, go change by change.
  if (!stored) return null;
  return outcomes;
}
