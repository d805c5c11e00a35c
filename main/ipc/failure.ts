import type { ErrorCode, FieldIssue } from '../../contract/errors.js';

/** A failure a handler or service means to report; its message is written for the user. */
export class ClinicFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    /** Commit what the handler wrote before failing (a failed sign-in's counter and audit row). */
    readonly commitFirst = false,
  ) {
    super(message);
    this.name = 'ClinicFailure';
  }
}

export const failure = (code: ErrorCode, message: string, issues?: FieldIssue[]) =>
  new ClinicFailure(code, message, issues);

/** A failure whose transaction is still committed: what the handler recorded about it must stay. */
export const committedFailure = (code: ErrorCode, message: string) => new ClinicFailure(code, message, undefined, true);
