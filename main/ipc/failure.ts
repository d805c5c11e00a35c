import type { ErrorCode, FieldIssue } from '../../contract/errors.js';

/** A failure a handler or service means to report; its message is written for the user. */
export class ClinicFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ClinicFailure';
  }
}

export const failure = (code: ErrorCode, message: string, issues?: FieldIssue[]) =>
  new ClinicFailure(code, message, issues);
