import type { Kysely } from 'kysely';
import type { Allergy, RecordedAllergy } from '../../contract/pharmacy.js';
import type { Database } from '../db/database.js';
import { failure } from '../shared/failure.js';
import {
  countFormularyMatches,
  findAllergies,
  findAllergyState,
  findVisiblePatient,
  insertAllergy,
  markAllergyInError,
} from './prescriptions.repository.js';

/**
 * Records an allergy as the signed-in clinician, for a patient they can see, and says whether the checks
 * can match it (they compare it with each medicine's generic name or class): an allergy the checks never
 * match looks reassuring on the banner and protects no one, so the screen asks for it to be put right.
 */
export async function recordAllergy(
  db: Kysely<Database>,
  allergy: { patientId: number; substance: string; matchKind: 'generic' | 'class'; reaction: string | null; severity: Allergy['severity'] },
  userId: string,
): Promise<RecordedAllergy> {
  if (!(await findVisiblePatient(db, allergy.patientId))) throw failure('NotFound', 'No such patient, or not one in your care.');
  const allergyId = await insertAllergy(db, { ...allergy, recordedBy: userId });
  const recorded = (await findAllergies(db, allergy.patientId)).find((a) => a.allergyId === allergyId);
  if (!recorded) throw failure('Internal', 'The allergy was not stored.');
  const matches = await countFormularyMatches(db, allergy.substance);
  const [asRecorded, asOther] =
    allergy.matchKind === 'generic' ? [matches.generic, matches.drugClass] : [matches.drugClass, matches.generic];
  return { ...recorded, matchesFormulary: asRecorded > 0, matchesAsOtherKind: asRecorded === 0 && asOther > 0 };
}

export async function listAllergies(db: Kysely<Database>, patientId: number): Promise<Allergy[]> {
  if (!(await findVisiblePatient(db, patientId))) throw failure('NotFound', 'No such patient, or not one in your care.');
  return findAllergies(db, patientId);
}

/** Entered in error instead of deleted, with why: the row, the reason and the audit trail stay. */
export async function markInError(db: Kysely<Database>, allergyId: number, reason: string, userId: string) {
  if ((await markAllergyInError(db, allergyId, reason, userId)) === 1) return { allergyId };
  const state = await findAllergyState(db, allergyId);
  if (!state) throw failure('NotFound', 'No such allergy, or not on a patient in your care.');
  throw failure('Conflict', 'This allergy is already marked as entered in error.');
}
