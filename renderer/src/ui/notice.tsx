import type { ReactNode } from 'react';

/** Something that went well, read out politely: "Saved.", "Booked: …". */
export function Notice({ children, className }: { children: ReactNode; className?: string }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <p className={className ? `form-ok ${className}` : 'form-ok'} role="status">
      {children}
    </p>
  );
}

export interface NoticeMessage {
  kind: 'ok' | 'error' | 'code';
  text: string;
  /** A one-time code shown with the text (shown only now: the person copies it). */
  code?: string;
}

/** A notice that stays until dismissed: an outcome, a refusal (read out at once) or a one-time code. */
export function NoticeBox({ notice, onDismiss }: { notice: NoticeMessage | null; onDismiss(): void }) {
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <p>{notice.text}</p>
      {notice.code && (
        <code className="reset-code" data-testid="reset-code">
          {notice.code}
        </code>
      )}
      <button type="button" className="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
