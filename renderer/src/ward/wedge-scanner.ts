import { useEffect, useEffectEvent } from 'react';

/** A keyboard-wedge scanner types a whole code at a few ms per key; people average far slower. */
const MAX_AVERAGE_GAP_MS = 50;
/** A pause this long starts a new code: what came before it was a person's typing. */
const PAUSE_MS = 300;
const MIN_LENGTH = 4;

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(target.type)));

/**
 * Scans from a keyboard-wedge scanner anywhere on the screen, without a special field: printable
 * keys are buffered, and an Enter closing a run typed at scanner speed (on average, so one late key
 * from a busy computer does not split a code) is a scan; that Enter is kept from the page. Ignored
 * while the focus is in a text field, so typing there is never taken.
 */
export function useWedgeScanner(onScan: (code: string) => void, enabled = true): void {
  const fire = useEffectEvent(onScan);
  useEffect(() => {
    if (!enabled) return;
    let buffer = '';
    let first = 0;
    let last = 0;
    const onKey = (event: KeyboardEvent) => {
      if (typingIn(event.target) || event.altKey || event.ctrlKey || event.metaKey) {
        buffer = '';
        return;
      }
      const now = event.timeStamp;
      const paused = now - last > PAUSE_MS;
      if (event.key === 'Enter') {
        const code = buffer;
        const averageGap = (last - first) / Math.max(code.length - 1, 1);
        buffer = '';
        if (code.length >= MIN_LENGTH && !paused && averageGap <= MAX_AVERAGE_GAP_MS) {
          event.preventDefault();
          event.stopPropagation();
          fire(code);
        }
        return;
      }
      if (event.key.length !== 1) {
        buffer = '';
        return;
      }
      if (paused || buffer === '') {
        buffer = event.key;
        first = now;
      } else buffer += event.key;
      last = now;
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
