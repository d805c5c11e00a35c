import { useEffect, useEffectEvent, useRef, type ReactNode } from 'react';

/** A panel over the screen for one task; Esc backs out, focus returns to where it came from. */
export function WardDialog({
  title,
  onClose,
  children,
  className,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    if (!ref.current?.contains(document.activeElement))
      ref.current?.querySelector<HTMLElement>('[autofocus], input, select, button')?.focus();
    return () => before?.focus?.();
  }, []);
  // Esc backs out even when the focus has left the panel (a print preview hides the focused button).
  const close = useEffectEvent(onClose);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        close();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const id = `dialog-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div
      ref={ref}
      className={`ward-dialog ${className ?? ''}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby={id}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <h2 id={id}>{title}</h2>
      {children}
    </div>
  );
}
