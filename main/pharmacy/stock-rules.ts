// Which lots a dispense takes from: first expiry first out, never an expired lot, and a flag on a lot
// that runs out before the course does. Plain functions; the database still has the last word on stock.
import type { Frequency } from '../../contract/pharmacy.js';
import { dosesPerDay } from './medication-checks.js';

export interface Lot {
  lotId: number;
  medicineId: number;
  lotNumber: string;
  expiryDate: string;
  quantityOnHand: number;
}

export const isExpired = (lot: { expiryDate: string }, today: string) => lot.expiryDate < today;

/** Takes `quantity` from usable lots, earliest expiry first; `short` is what the lots cannot cover. */
export function planFirstExpiryFirstOut(lots: Lot[], quantity: number, today: string) {
  const usable = lots
    .filter((l) => !isExpired(l, today) && l.quantityOnHand > 0)
    .sort((a, b) => a.expiryDate.localeCompare(b.expiryDate) || a.lotId - b.lotId);
  const takes: { lot: Lot; quantity: number }[] = [];
  let left = quantity;
  for (const lot of usable) {
    if (left === 0) break;
    const take = Math.min(left, lot.quantityOnHand);
    takes.push({ lot, quantity: take });
    left -= take;
  }
  return { takes, short: left };
}

/** The last day of the course: the stated duration, or as long as the quantity lasts at the ordered frequency. */
export function courseEndDate(today: string, durationDays: number | null, quantity: number, frequency: Frequency | null): string {
  const days = durationDays ?? (frequency && frequency.code !== 'STAT' ? Math.ceil(quantity / dosesPerDay(frequency)) : 1);
  const end = new Date(`${today}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + days - 1);
  return end.toISOString().slice(0, 10);
}

/** A lot runs out before the course ends: the label and the ward must know. */
export const expiresBeforeCourseEnds = (lot: { expiryDate: string }, courseEnd: string) => lot.expiryDate < courseEnd;

/** "Lot A12 has 0 left; other lots with stock: B7 (40, expires 2028-01-31)." — the words of a stock Conflict. */
export function describeShortage(lotNumber: string, left: number, others: Lot[], today: string): string {
  const usable = others.filter((l) => !isExpired(l, today) && l.quantityOnHand > 0);
  const elsewhere =
    usable.length === 0
      ? 'no other lot of this medicine has usable stock.'
      : `other lots with stock: ${usable.map((l) => `${l.lotNumber} (${l.quantityOnHand}, expires ${l.expiryDate})`).join(', ')}.`;
  return `Not enough stock: lot ${lotNumber} has ${left} left; ${elsewhere} Nothing was dispensed.`;
}
