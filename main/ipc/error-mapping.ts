import { z } from 'zod';
import type { ClinicError, FieldIssue } from '../../contract/errors.js';
import { ClinicFailure } from '../shared/failure.js';

const MAX_ISSUES = 10;

export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message.slice(0, 200),
  }));
}

/** Node/pg error codes that mean "the database cannot be reached right now". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

function isUnreachable(error: Error & { code?: string }): boolean {
  if (error.code && UNREACHABLE_CODES.has(error.code)) return true;
  // SQLSTATE class 08 (connection exception), 57P01-03 (server shutting down / cannot connect now).
  if (error.code && (/^08/.test(error.code) || /^57P0[123]$/.test(error.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}

/** SQLSTATE → what a clerk is told. Only these words cross to the renderer, never the SQL text. */
function fromSqlState(code: string): ClinicError | null {
  switch (code) {
    case '23505':
      return { code: 'Conflict', message: 'This record already exists.' };
    case '23P01':
      return { code: 'Conflict', message: 'This clashes with an existing booking or assignment.' };
    case '23503':
      return { code: 'Conflict', message: 'This refers to a record that does not exist or is still in use.' };
    case '23514':
    case '23502':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
      return { code: 'Validation', message: 'The database refused a value as invalid.' };
    case '42501':
      return { code: 'Forbidden', message: 'You are not allowed to see or change this record.' };
    case '40001':
    case '40P01':
      return { code: 'Conflict', message: 'Someone else changed this at the same moment. Try again.' };
    case '55P03':
      // lock_timeout: a placement (039) waited too long for another session's lock.
      return { code: 'Conflict', message: 'Someone else is changing this right now. Try again in a moment.' };
    case '57014':
      return { code: 'Unavailable', message: 'The database took too long to answer. Try again.' };
    default:
      return null;
  }
}

export type InternalLogger = (message: string, error: unknown) => void;

/** Maps anything thrown to the closed set of codes; unknown errors are logged here with their stack. */
export function toClinicError(error: unknown, log: InternalLogger): ClinicError {
  if (error instanceof ClinicFailure) {
    return {
      code: error.code,
      message: error.message,
      ...(error.issues ? { issues: error.issues } : {}),
      ...(error.nextFreeSlots ? { nextFreeSlots: error.nextFreeSlots } : {}),
      ...(error.possibleDuplicates ? { possibleDuplicates: error.possibleDuplicates } : {}),
    };
  }
  if (error instanceof z.ZodError) {
    return { code: 'Validation', message: 'Some of the details are not valid.', issues: issuesFromZod(error) };
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (typeof code === 'string') {
      const mapped = fromSqlState(code);
      if (mapped) return mapped;
    }
    if (isUnreachable(error as Error & { code?: string })) {
      return { code: 'Unavailable', message: 'The hospital database cannot be reached right now.' };
    }
  }
  log('Internal error in an IPC handler', error);
  return { code: 'Internal', message: 'Something went wrong on this workstation. The problem has been logged.' };
}
