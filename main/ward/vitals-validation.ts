// One rule for which vitals can be stored: physiologically impossible values are refused (a typo or a
// probe off the finger, never a patient), plausible extremes are accepted and flagged for a second look.
// migrations/022_ward.sql holds the same refusal limits as CHECKs, so no other client stores them either.
import type { FieldIssue } from '../../contract/errors.js';
import type { Vitals } from './news2.js';

interface Limit {
  field: keyof Vitals;
  label: string;
  unit: string;
  /** Outside [min, max] cannot be a living patient's reading. */
  min: number;
  max: number;
  /** Inside the limits but outside [flagBelow, flagAbove]: rare enough to ask "re-measured?". */
  flagBelow: number;
  flagAbove: number;
  integer: boolean;
}

// Why these limits: respiration 1–80 (apnoea is an arrest call, not a chart entry; 80 is beyond a
// panting neonate); SpO2 40–100 (over 100 % is impossible, oximeters are uncalibrated far below 70 and
// under 40 is a lost signal); systolic 30–300 mmHg (below 30 there is no measurable cuff pressure,
// 300 is the top of ward sphygmomanometers); pulse 20–300 (300 is the ceiling of a conducted
// tachycardia); temperature 25–45 °C (below 25 °C only in profound accidental hypothermia, which no
// ward thermometer reads; above 45 °C is incompatible with life).
export const VITAL_LIMITS: readonly Limit[] = [
  { field: 'respirationRate', label: 'Respiration rate', unit: '/min', min: 1, max: 80, flagBelow: 6, flagAbove: 40, integer: true },
  { field: 'spo2', label: 'SpO2', unit: '%', min: 40, max: 100, flagBelow: 80, flagAbove: 100, integer: true },
  { field: 'systolicBp', label: 'Systolic blood pressure', unit: 'mmHg', min: 30, max: 300, flagBelow: 70, flagAbove: 250, integer: true },
  { field: 'pulse', label: 'Pulse', unit: '/min', min: 20, max: 300, flagBelow: 35, flagAbove: 180, integer: true },
  { field: 'temperature', label: 'Temperature', unit: '°C', min: 25, max: 45, flagBelow: 32, flagAbove: 41, integer: false },
];

export type VitalsCheck = { ok: true; flags: string[] } | { ok: false; issues: FieldIssue[] };

const hasOneDecimalAtMost = (value: number) => Math.abs(Math.round(value * 10) - value * 10) < 1e-9;

/** Refuses the impossible with a sentence per field; flags plausible extremes (e.g. "pulse-high"). */
export function checkVitals(vitals: Vitals): VitalsCheck {
  const issues: FieldIssue[] = [];
  const flags: string[] = [];
  for (const limit of VITAL_LIMITS) {
    const value = vitals[limit.field] as number;
    if (!Number.isFinite(value)) {
      issues.push({ path: limit.field, message: `${limit.label} must be a number.` });
    } else if (limit.integer && !Number.isInteger(value)) {
      issues.push({ path: limit.field, message: `${limit.label} must be a whole number.` });
    } else if (!limit.integer && !hasOneDecimalAtMost(value)) {
      issues.push({ path: limit.field, message: `${limit.label} takes one decimal place (e.g. 37.2).` });
    } else if (value < limit.min || value > limit.max) {
      issues.push({
        path: limit.field,
        message: `${limit.label} ${value} ${limit.unit} is not possible; it must be between ${limit.min} and ${limit.max} ${limit.unit}. Check the reading.`,
      });
    } else if (value < limit.flagBelow) {
      flags.push(`${limit.field}-low`);
    } else if (value > limit.flagAbove) {
      flags.push(`${limit.field}-high`);
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, flags };
}
