// The one rule set for medication safety, used at prescribing, at verification and (later) at the
// bedside: allergy (by generic name and by drug class), duplicate therapy, interactions, maximum
// daily dose. Plain functions of what the repositories read; no SQL, no clock.
import type { CheckKind, Frequency, MedicationCheck } from '../../contract/pharmacy.js';

export interface CheckedMedicine {
  name: string;
  genericName: string | null;
  drugClass: string | null;
  maxDailyDose: string | null;
  doseUnit: string | null;
}

export interface CheckedOrder {
  medicine: CheckedMedicine;
  doseAmount: string;
  doseUnit: string;
  frequency: Frequency;
}

export interface PatientMedicationContext {
  allergies: { substance: string; matchKind: 'generic' | 'class'; severity: string; reaction: string | null }[];
  /** The patient's other current orders (not this one, nor the one it replaces). */
  otherOrders: { prescriptionId: number; medicineName: string; genericName: string | null; dose?: string }[];
  /** Known interacting pairs that involve this medicine's generic name. */
  interactions: { genericA: string; genericB: string; severity: string; advice: string }[];
}

const normal = (name: string | null) => (name ?? '').trim().toLowerCase();

/** How many doses a day the frequency gives at most (PRN: its maximum per 24 h). */
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
      return Math.ceil(24 / frequency.intervalHours);
    case 'PRN':
      return frequency.maxPer24h;
  }
}

const UNIT_FACTORS: Record<string, number> = { g: 1_000_000, mg: 1000, mcg: 1 };

/** The dose expressed in the medicine's unit, or null when the two units cannot be compared. */
export function doseInUnit(amount: string, from: string, to: string): number | null {
  const a = normal(from);
  const b = normal(to);
  if (a === b) return Number(amount);
  const fromFactor = UNIT_FACTORS[a];
  const toFactor = UNIT_FACTORS[b];
  if (fromFactor === undefined || toFactor === undefined) return null;
  return (Number(amount) * fromFactor) / toFactor;
}

/** Every check that fires for this order, each with its reason in plain words. */
export function runMedicationChecks(order: CheckedOrder, patient: PatientMedicationContext): MedicationCheck[] {
  const checks: MedicationCheck[] = [];
  const generic = normal(order.medicine.genericName);
  const drugClass = normal(order.medicine.drugClass);
  for (const allergy of patient.allergies) {
    const substance = normal(allergy.substance);
    const byGeneric = allergy.matchKind === 'generic' && substance !== '' && substance === generic;
    const byClass = allergy.matchKind === 'class' && substance !== '' && substance === drugClass;
    if (!byGeneric && !byClass) continue;
    const reaction = allergy.reaction ? ` (${allergy.reaction})` : '';
    checks.push({
      kind: 'allergy',
      severity: allergy.severity,
      message: byGeneric
        ? `Patient is allergic to ${allergy.substance}${reaction}: ${order.medicine.name} is ${generic}.`
        : `Patient is allergic to ${allergy.substance}${reaction}: ${order.medicine.name} is one of them.`,
    });
  }
  for (const other of patient.otherOrders) {
    if (generic !== '' && normal(other.genericName) === generic)
      checks.push({
        kind: 'duplicate',
        severity: 'moderate',
        message: `Duplicate therapy: ${generic} is already ordered (${other.medicineName}, order ${other.prescriptionId}).`,
      });
  }
  const others = new Set(patient.otherOrders.map((o) => normal(o.genericName)));
  for (const pair of patient.interactions) {
    const partner = pair.genericA === generic ? pair.genericB : pair.genericB === generic ? pair.genericA : null;
    if (partner && others.has(partner))
      checks.push({
        kind: 'interaction',
        severity: pair.severity,
        message: `Interaction ${generic} + ${partner} (${pair.severity}): ${pair.advice}`,
      });
  }
  const { maxDailyDose, doseUnit } = order.medicine;
  if (maxDailyDose !== null && doseUnit !== null) {
    const perDose = doseInUnit(order.doseAmount, order.doseUnit, doseUnit);
    const daily = perDose === null ? null : perDose * dosesPerDay(order.frequency);
    if (daily !== null && daily > Number(maxDailyDose))
      checks.push({
        kind: 'max-dose',
        severity: 'major',
        message: `Up to ${formatAmount(daily)} ${doseUnit} a day is above the maximum of ${formatAmount(Number(maxDailyDose))} ${doseUnit} for ${order.medicine.name}.`,
      });
  }
  return checks;
}

/** The kinds of fired checks that have no override reason yet. */
export function checksWithoutReason(checks: MedicationCheck[], overrides: { kind: CheckKind }[]): MedicationCheck[] {
  const given = new Set(overrides.map((o) => o.kind));
  return checks.filter((c) => !given.has(c.kind));
}

const formatAmount = (n: number) => String(Math.round(n * 1000) / 1000);
