// The codes this app prints (wristbands, dispensing labels) and reads back from a keyboard-wedge
// scanner. One module so the printer and the scanner can never disagree about a format.

const PREFIX = { wristband: 'PT', dispenseLabel: 'RX', medicine: 'MD' } as const;
const DIGITS = 8;
const pad = (n: number) => n.toString().padStart(DIGITS, '0');

/** Printed on a patient's wristband (Code 128): the patient number. */
export const wristbandCode = (patientId: number): string => `${PREFIX.wristband}${pad(patientId)}`;
/** Printed on a dispensing label (Code 128): the dispense's first ledger row, which leads to the order. */
export const dispenseLabelCode = (transactionId: number): string => `${PREFIX.dispenseLabel}${pad(transactionId)}`;
/** A medicine's own code, for stock scanned straight from the shelf. */
export const medicineCode = (medicineId: number): string => `${PREFIX.medicine}${pad(medicineId)}`;

export type ScannedCode =
  | { kind: 'wristband'; patientId: number }
  | { kind: 'dispense-label'; transactionId: number }
  | { kind: 'medicine'; medicineId: number }
  | { kind: 'unknown'; text: string };

const PATTERN = /^(PT|RX|MD)(\d{1,10})$/;

/** What a scanned text names; anything else is 'unknown' (a nurse sees "not a code this app knows"). */
export function parseScannedCode(raw: string): ScannedCode {
  const text = raw.trim().toUpperCase();
  const match = PATTERN.exec(text);
  const id = match ? Number(match[2]) : 0;
  if (!match || id < 1 || id > 2_147_483_647) return { kind: 'unknown', text: raw.trim().slice(0, 64) };
  if (match[1] === PREFIX.wristband) return { kind: 'wristband', patientId: id };
  if (match[1] === PREFIX.dispenseLabel) return { kind: 'dispense-label', transactionId: id };
  return { kind: 'medicine', medicineId: id };
}
