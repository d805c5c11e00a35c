// Directions in plain words for the label and the order screens: "Take ONE tablet TWICE a day for 7 days."
// One module, so the label, the order detail and the prescriber's preview never word a frequency differently.
import type { Frequency, Route } from '../../../contract/pharmacy.js';

const COUNT_WORDS = ['', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE', 'TEN'];
const TIMES_A_DAY: Record<'OD' | 'BD' | 'TDS' | 'QDS', string> = {
  OD: 'ONCE a day',
  BD: 'TWICE a day',
  TDS: 'THREE times a day',
  QDS: 'FOUR times a day',
};
const COUNTABLE_FORMS = new Set(['tablet', 'capsule', 'suppository', 'patch', 'lozenge', 'pessary', 'sachet']);

/** How often, in words: "TWICE a day", "every 6 hours", "when needed: at least 4 hours apart, at most 4 doses in 24 hours". */
export function frequencyWords(frequency: Frequency | null): string {
  if (!frequency) return 'as directed';
  switch (frequency.code) {
    case 'STAT':
      return 'ONCE, straight away';
    case 'QxH':
      return frequency.intervalHours === 1 ? 'every hour' : `every ${frequency.intervalHours} hours`;
    case 'PRN':
      return `when needed: at least ${frequency.minIntervalHours} ${frequency.minIntervalHours === 1 ? 'hour' : 'hours'} apart, at most ${frequency.maxPer24h} ${frequency.maxPer24h === 1 ? 'dose' : 'doses'} in 24 hours`;
    default:
      return TIMES_A_DAY[frequency.code];
  }
}

/** "500 mg" → { amount: 500, unit: 'mg' }; null when the strength is not a single amount. */
export function parseStrength(strength: string): { amount: number; unit: string } | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Zµ]+)\s*$/.exec(strength);
  return match ? { amount: Number(match[1]), unit: match[2]!.toLowerCase() } : null;
}

const plural = (form: string, n: number) => (n > 1 ? `${form}s` : form);

/**
 * The dose as a patient counts it: "ONE tablet", "HALF a tablet", "TWO capsules" when the dose is a whole
 * (or half) number of the medicine's units; otherwise the amount and unit as prescribed ("5 ml", "2.5 mg").
 */
export function doseWords(doseAmount: string, doseUnit: string, form: string, strength: string): string {
  const amount = Number(doseAmount);
  const unitForm = form.toLowerCase();
  if (doseUnit.toLowerCase() === unitForm && Number.isInteger(amount) && amount <= 10)
    return `${COUNT_WORDS[amount]} ${plural(unitForm, amount)}`;
  const per = parseStrength(strength);
  if (COUNTABLE_FORMS.has(unitForm) && per && per.unit === doseUnit.toLowerCase() && per.amount > 0) {
    const units = amount / per.amount;
    if (units === 0.5) return `HALF a ${unitForm}`;
    if (Number.isInteger(units) && units >= 1 && units <= 10) return `${COUNT_WORDS[units]} ${plural(unitForm, units)}`;
  }
  return `${doseAmount} ${doseUnit}`;
}

const VERB: Record<Route, string> = {
  oral: 'Take',
  sublingual: 'Let dissolve under the tongue',
  inhaled: 'Inhale',
  topical: 'Apply',
  rectal: 'Insert',
  iv: 'Give',
  im: 'Give',
  sc: 'Give',
  other: 'Use',
};
const ROUTE_TAIL: Partial<Record<Route, string>> = {
  iv: ' into a vein (IV)',
  im: ' into a muscle (IM)',
  sc: ' under the skin (SC)',
  rectal: ' into the back passage',
};

export interface DirectionsInput {
  doseAmount: string;
  doseUnit: string;
  form: string;
  strength: string;
  route: Route;
  frequency: Frequency | null;
  durationDays: number | null;
}

/** The whole direction line: "Take ONE tablet TWICE a day for 7 days." */
export function directionsInWords(order: DirectionsInput): string {
  const dose = doseWords(order.doseAmount, order.doseUnit, order.form, order.strength);
  const course =
    order.durationDays && order.frequency?.code !== 'STAT' ? ` for ${order.durationDays} ${order.durationDays === 1 ? 'day' : 'days'}` : '';
  return `${VERB[order.route]} ${dose}${ROUTE_TAIL[order.route] ?? ''} ${frequencyWords(order.frequency)}${course}.`;
}

/** "OD", "Q6H", "PRN" — the short code pharmacists read in lists. */
export function frequencyCode(frequency: Frequency | null): string {
  if (!frequency) return '—';
  if (frequency.code === 'QxH') return `Q${frequency.intervalHours}H`;
  return frequency.code;
}

/** The amount and unit at the start of an order's stored dose ("500 mg oral BD"); null for older free-text doses. */
export function splitDose(dose: string): { doseAmount: string; doseUnit: string } | null {
  const match = /^(\d+(?:\.\d+)?)\s+(\S+)/.exec(dose.trim());
  return match ? { doseAmount: match[1]!, doseUnit: match[2]! } : null;
}

/** Doses in a day at most (PRN: its maximum), to work out a quantity from a duration. STAT: one dose in all. */
export function dosesPerDay(frequency: Frequency): number {
  switch (frequency.code) {
    case 'OD':
    case 'STAT':
      return 1;
    case 'BD':
      return 2;
    case 'TDS':
      return 3;
    case 'QDS':
      return 4;
    case 'QxH':
      return Math.max(1, Math.floor(24 / frequency.intervalHours));
    case 'PRN':
      return frequency.maxPer24h;
  }
}

/** Units to supply for a course: doses × units per dose, when the dose counts in the medicine's own units. */
export function suggestedQuantity(input: DirectionsInput): number | null {
  if (!input.frequency || !input.doseAmount) return null;
  const days = input.frequency.code === 'STAT' ? 1 : input.durationDays;
  if (!days) return null;
  const per = parseStrength(input.strength);
  const amount = Number(input.doseAmount);
  const unitsPerDose =
    input.doseUnit.toLowerCase() === input.form.toLowerCase()
      ? amount
      : per && per.unit === input.doseUnit.toLowerCase() && per.amount > 0
        ? amount / per.amount
        : null;
  if (unitsPerDose === null || !Number.isFinite(unitsPerDose) || unitsPerDose <= 0) return null;
  return Math.ceil(unitsPerDose * dosesPerDay(input.frequency) * (input.frequency.code === 'STAT' ? 1 : days));
}
