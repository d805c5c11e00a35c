import type { ReactNode } from 'react';
import type { ClinicError, FieldIssue } from '../../../contract/index.js';

/**
 * How a failure's field issues are told:
 * - 'instead' (default): the issues when there are any, else the message;
 * - 'after': the message, then the issues;
 * - 'none': the message only.
 */
type IssueDisplay = 'instead' | 'after' | 'none';

/** The text a failure is shown as; `fieldName` puts the field before each issue ("port: …"). */
export function describeFailure(error: ClinicError, issues: IssueDisplay = 'instead', fieldName?: (path: string) => string): string {
  const list = error.issues ?? [];
  const issue = (i: FieldIssue) => (fieldName ? `${fieldName(i.path)}: ${i.message}` : i.message);
  const joined = list.map(issue).join(fieldName ? '; ' : ' ');
  if (issues === 'instead' && list.length > 0) return joined;
  if (issues === 'after' && list.length > 0) return `${error.message} ${joined}`;
  return error.message;
}

/**
 * The one way a failure from main (or a form's own check) is shown: an alert, read out at once.
 * With children (the next free slots, a field's issues) it becomes a block holding them below the text.
 */
export function FormError({
  error,
  issues,
  fieldName,
  text,
  children,
}: {
  error: ClinicError | null | undefined;
  issues?: IssueDisplay;
  fieldName?: (path: string) => string;
  /** A sentence that suits this screen better than main's (e.g. for a Validation error). */
  text?: (error: ClinicError) => string | undefined;
  children?: ReactNode;
}) {
  if (!error) return null;
  const sentence = text?.(error) ?? describeFailure(error, issues, fieldName);
  if (children === undefined)
    return (
      <p className="form-error" role="alert">
        {sentence}
      </p>
    );
  return (
    <div className="form-error" role="alert">
      <p>{sentence}</p>
      {children}
    </div>
  );
}
