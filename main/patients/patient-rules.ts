import type { PatientSearchResult } from '../../contract/index.js';
import { failure } from '../shared/failure.js';

// The registration rules, one home for the online path, the offline desk and replay.

export interface NewPatient {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  gender: string | null;
  contactNumber: string | null;
  address: string | null;
  email: string | null;
}

/**
 * The rule for "possibly the same person", as keys two registrations share: the same name and birth
 * date, or the same phone. findPossibleDuplicates (patients.repository.ts) is the same rule in SQL.
 */
export const duplicateKeys = (p: { firstName: string; lastName: string; dateOfBirth: string; contactNumber: string | null }): string[] => [
  `name:${p.firstName.toLowerCase()}|${p.lastName.toLowerCase()}|${p.dateOfBirth}`,
  ...(p.contactNumber ? [`phone:${p.contactNumber}`] : []),
];

/** What a replayed walk-in that may already be on file is refused with. */
export const POSSIBLE_DUPLICATE = 'This walk-in may already be registered: the same name and birth date, or the same phone.';

/** Refuses a birth date after today (the clinic's date), naming the field. */
export function checkBirthDate(dateOfBirth: string, today: string): void {
  if (dateOfBirth > today)
    throw failure('Validation', 'The date of birth is in the future.', [
      { path: 'dateOfBirth', message: 'The date of birth is in the future.' },
    ]);
}

/** A search result as the patient summary the contract answers with. */
export const summaryOf = ({ address: _address, match: _match, ...summary }: PatientSearchResult) => summary;
