// The ward's keyboard-wedge scanner reader, fed keydowns as a USB scanner and a person produce them.
import { describe, expect, it } from 'vitest';
import { createWedgeReader, type WedgeKey } from '../../renderer/src/ward/wedge-scanner.js';

const plain = { inTextField: false, withShortcutModifier: false };

/** The keydowns a scanner sends for `code` then Enter, `gap` ms apart; Shift pressed around each capital letter. */
function scanned(code: string, start = 1000, gap = 4): WedgeKey[] {
  const keys: WedgeKey[] = [];
  let t = start;
  for (const ch of code) {
    if (/[A-Z]/.test(ch)) keys.push({ key: 'Shift', timeStamp: (t += gap), ...plain });
    keys.push({ key: ch, timeStamp: (t += gap), ...plain });
  }
  keys.push({ key: 'Enter', timeStamp: t + gap, ...plain });
  return keys;
}

const read = (keys: WedgeKey[]) => {
  const reader = createWedgeReader();
  return keys.map(reader).filter((code) => code !== null);
};

describe('the wedge scanner reader', () => {
  it('reads a code whose capitals a scanner types with Shift held (a wristband, then a label)', () => {
    expect(read([...scanned('PT00003001'), ...scanned('RX00000042', 5000)])).toEqual(['PT00003001', 'RX00000042']);
  });

  it('takes one late key from a busy computer, but not a person typing the same code', () => {
    const late = scanned('PT00003001');
    late.slice(5).forEach((k) => (k.timeStamp += 120)); // one 120 ms stall in the middle of the code
    expect(read(late)).toEqual(['PT00003001']);
    expect(read(scanned('PT00003001', 1000, 180))).toEqual([]);
  });

  it('starts afresh after a pause, a shortcut, a key that types nothing, or typing in a field; short runs are not codes', () => {
    const typedThenScanned = [{ key: 'x', timeStamp: 10, ...plain }, ...scanned('PT00003001', 2000)];
    expect(read(typedThenScanned)).toEqual(['PT00003001']);
    const withShortcut = scanned('PT00003001');
    withShortcut.splice(3, 0, { key: 'b', timeStamp: withShortcut[2]!.timeStamp + 1, inTextField: false, withShortcutModifier: true });
    expect(read(withShortcut)).not.toContain('PT00003001'); // what follows may read as a code of its own, which the checks refuse
    const withArrow = scanned('PT00003001');
    withArrow.splice(3, 0, { key: 'ArrowDown', timeStamp: withArrow[2]!.timeStamp + 1, ...plain });
    expect(read(withArrow)).not.toContain('PT00003001');
    expect(read(scanned('PT00003001').map((k) => ({ ...k, inTextField: true })))).toEqual([]);
    expect(read(scanned('P1'))).toEqual([]);
  });
});
