import type { Kysely } from 'kysely';
import type { PatientSearchResult } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import { searchByNameWords, searchExact } from './patient-search.repository.js';
import { checkBirthDate, type NewPatient } from './patient-rules.js';
import { findPossibleDuplicates, insertPatients } from './patients.repository.js';
import { parsePatientQuery } from './patient-query.js';

const FEW = 5;

/**
 * Names that start with what was typed come first; when they do not fill the page, names that
 * contain it follow, then names one typo away — each marked, so the clerk knows how it matched.
 */
export async function searchPatients(db: Kysely<Database>, text: string, limit: number, wider = true): Promise<PatientSearchResult[]> {
  const query = parsePatientQuery(text);
  if (!query) return [];
  const found = await searchExact(db, query, limit);
  // The wider passes run only while the page is nearly empty, so typing a common prefix stays cheap.
  if (!wider || query.kind !== 'name' || found.length >= FEW || query.tokens.some((t) => t.length < 3)) return found;
  for (const mode of ['partial', 'similar'] as const) {
    found.push(
      ...(await searchByNameWords(
        db,
        mode,
        query,
        found.map((p) => p.patientId),
        limit - found.length,
      )),
    );
    if (found.length >= FEW) break;
  }
  return found.slice(0, limit);
}

export interface NewPatientInput extends NewPatient {
  confirmNotDuplicate: boolean;
}

export async function registerPatient(db: Kysely<Database>, p: NewPatientInput, today: string) {
  checkBirthDate(p.dateOfBirth, today);
  if (!p.confirmNotDuplicate) {
    // Same name and birth date, or the same phone: shown to the clerk before a second record is made.
    const candidates = (await findPossibleDuplicates(db, [p])).get(0) ?? [];
    if (candidates.length > 0) return { status: 'possible-duplicates' as const, candidates };
  }
  const [patient] = await insertPatients(db, [p]);
  return { status: 'registered' as const, patient: patient! };
}
