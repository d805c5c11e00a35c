import type { PatientSearchResult } from './patients.js';

// The closed set of error codes that may cross from main to the renderer.
export const ERROR_CODES = ['Validation', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'Unavailable', 'Internal'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

/** What the renderer sees of any failure: a code, a sentence a clerk can read, and field issues. */
export interface ClinicError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  /** With a booking Conflict: the next free slots of the same doctor, earliest first. */
  nextFreeSlots?: { date: string; time: string }[];
  /** With a registration replayed from offline: the existing patients it may be. */
  possibleDuplicates?: PatientSearchResult[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ClinicError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, issues?: FieldIssue[]): Result<never> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});
