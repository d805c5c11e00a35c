// The printed codes read back: every code this app prints parses to what it names, a scanner's
// stray case and whitespace are forgiven, and anything else is "unknown" (never a wrong patient).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispenseLabelCode, medicineCode, parseScannedCode, wristbandCode } from '../../contract/barcodes.js';

const id = fc.integer({ min: 1, max: 2_147_483_647 });

describe('printed codes', () => {
  it('are a prefix and at least eight digits', () => {
    expect(wristbandCode(42)).toBe('PT00000042');
    expect(dispenseLabelCode(7)).toBe('RX00000007');
    expect(medicineCode(123_456_789)).toBe('MD123456789');
  });

  it('property: each reads back as what it names', () => {
    fc.assert(
      fc.property(id, (n) => {
        expect(parseScannedCode(wristbandCode(n))).toEqual({ kind: 'wristband', patientId: n });
        expect(parseScannedCode(dispenseLabelCode(n))).toEqual({ kind: 'dispense-label', transactionId: n });
        expect(parseScannedCode(medicineCode(n))).toEqual({ kind: 'medicine', medicineId: n });
      }),
    );
  });

  it("forgives a scanner's lower case and surrounding whitespace (the Enter it types)", () => {
    expect(parseScannedCode(' pt00000042\n')).toEqual({ kind: 'wristband', patientId: 42 });
  });
});

describe('anything else is unknown', () => {
  it.each([
    ['empty', ''],
    ['no digits', 'PT'],
    ['an unknown prefix', 'XX00000001'],
    ['zero', 'PT00000000'],
    ['past the largest id', 'PT2147483648'],
    ['too many digits', 'PT12345678901'],
    ['letters after the digits', 'PT0000004A'],
    ['a code inside other text', 'xPT00000042'],
    ['garbage', '%%$#@!'],
  ])('%s', (_, raw) => {
    expect(parseScannedCode(raw).kind).toBe('unknown');
  });

  it('keeps at most 64 characters of what was scanned, to show back', () => {
    const parsed = parseScannedCode('y'.repeat(500));
    expect(parsed).toEqual({ kind: 'unknown', text: 'y'.repeat(64) });
  });

  it('property: a random string is never read as a wristband of a different number than it spells', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (raw) => {
        const parsed = parseScannedCode(raw);
        if (parsed.kind === 'wristband') expect(raw.trim().toUpperCase()).toBe(`PT${raw.trim().slice(2)}`.toUpperCase());
        if (parsed.kind === 'wristband') expect(Number(raw.trim().slice(2))).toBe(parsed.patientId);
      }),
    );
  });
});
