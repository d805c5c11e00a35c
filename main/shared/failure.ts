import type { PatientSearchResult } from '../../contract/index.js';
import type { ErrorCode, FieldIssue } from '../../contract/errors.js';

/** A failure a handler or service means to report; its message is written for the user. */
export class ClinicFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    /** Commit what the handler wrote before failing (a failed sign-in's counter and audit row). */
    readonly commitFirst = false,
    /** With a booking clash: where the clerk can book instead. */
    readonly nextFreeSlots?: { date: string; time: string }[],
    /** With a registration replayed from offline: the existing patients it may be. */
    readonly possibleDuplicates?: PatientSearchResult[],
  ) {
    super(message);
    this.name = 'ClinicFailure';
  }
}

export const failure = (code: ErrorCode, message: string, issues?: FieldIssue[]) => new ClinicFailure(code, message, issues);

/** A failure whose transaction is still committed: what the handler recorded about it must stay. */
export const committedFailure = (code: ErrorCode, message: string) => new ClinicFailure(code, message, undefined, true);

/** A booking clash, with the next free slots for the clerk to pick from. */
export const bookingConflict = (message: string, nextFreeSlots: { date: string; time: string }[]) =>
  new ClinicFailure('Conflict', message, undefined, false, nextFreeSlots);

/** A replayed walk-in that may already be on file: the clerk decides between these and a new record. */
export const possibleDuplicate = (message: string, candidates: PatientSearchResult[]) =>
  new ClinicFailure('Conflict', message, undefined, false, undefined, candidates);
