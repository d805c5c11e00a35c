import { useEffect, useEffectEvent } from 'react';

/** A keyboard-wedge scanner types a whole code at a few ms per key; people average far slower. */
const MAX_AVERAGE_GAP_MS = 50;
/** A pause this long starts a new code: what came before it was a person's typing. */
const PAUSE_MS = 300;
const MIN_LENGTH = 4;
/** Keys a scanner presses around a character (Shift for each capital letter) that type nothing themselves. */
const SILENT_KEYS = new Set(['Shift', 'CapsLock']);

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(target.type)));

/** One keydown as the reader needs it. */
export interface WedgeKey {
  key: string;
  timeStamp: number;
  /** The focus is in a text field: the key is the person's typing there. */
  inTextField: boolean;
  /** Alt, Ctrl or Meta held: a shortcut, not a scanned character. */
  withShortcutModifier: boolean;
}

/**
 * Reads codes from keydowns: printable keys are buffered, and an Enter closing a run typed at scanner
 * speed (on average, so one late key from a busy computer does not split a code) gives the code; any
 * other keydown gives null. Shift and Caps Lock are passed over, as a scanner presses Shift for each
 * capital letter of a code like PT00003001.
 */
export function createWedgeReader(): (key: WedgeKey) => string | null {
  let buffer = '';
  let first = 0;
  let last = 0;
  return ({ key, timeStamp: now, inTextField, withShortcutModifier }) => {
    if (inTextField || withShortcutModifier) {
      buffer = '';
      return null;
    }
    if (SILENT_KEYS.has(key)) return null;
    const paused = now - last > PAUSE_MS;
    if (key === 'Enter') {
      const code = buffer;
      const averageGap = (last - first) / Math.max(code.length - 1, 1);
      buffer = '';
      return code.length >= MIN_LENGTH && !paused && averageGap <= MAX_AVERAGE_GAP_MS ? code : null;
    }
    if (key.length !== 1) {
      buffer = '';
      return null;
    }
    if (paused || buffer === '') {
      buffer = key;
      first = now;
    } else buffer += key;
    last = now;
    return null;
  };
}

/**
 * Scans from a keyboard-wedge scanner anywhere on the screen, without a special field (createWedgeReader);
 * the Enter that closes a scan is kept from the page. Ignored while the focus is in a text field, so
 * typing there is never taken.
 */
export function useWedgeScanner(onScan: (code: string) => void, enabled = true): void {
  const fire = useEffectEvent(onScan);
  useEffect(() => {
    if (!enabled) return;
    const read = createWedgeReader();
    const onKey = (event: KeyboardEvent) => {
      const code = read({
        key: event.key,
        timeStamp: event.timeStamp,
        inTextField: typingIn(event.target),
        withShortcutModifier: event.altKey || event.ctrlKey || event.metaKey,
      });
      if (code === null) return;
      event.preventDefault();
      event.stopPropagation();
      fire(code);
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
