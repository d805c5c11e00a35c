import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDate, IsoDateTime, PatientId } from './common.js';

// Pharmacy: prescribing with medication checks, the verification queue, dispensing from lots
// (first expiry first out), receiving stock, and allergies.

const Id = z.number().int().positive().max(2_147_483_647);
const Reason = z.string().trim().min(5, 'Give a reason of at least 5 characters').max(500);
/** Decimal dose as a string, so no float ever reaches NUMERIC. */
const Decimal = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'Use a number like 500 or 2.5');

export const Route = z.enum(['oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'sublingual', 'other']);
export const Urgency = z.enum(['routine', 'urgent', 'STAT']);
export const PrescriptionStatus = z.enum(['Active', 'Queried', 'Verified', 'PartiallyDispensed', 'Dispensed', 'Cancelled', 'Completed']);
export type PrescriptionStatus = z.infer<typeof PrescriptionStatus>;

/** How often: OD/BD/TDS/QDS, every N hours, as needed (with its limits), or once now. */
export const Frequency = z.discriminatedUnion('code', [
  z.object({ code: z.enum(['OD', 'BD', 'TDS', 'QDS', 'STAT']) }).strict(),
  z.object({ code: z.literal('QxH'), intervalHours: z.number().int().min(1).max(72) }).strict(),
  z
    .object({ code: z.literal('PRN'), minIntervalHours: z.number().int().min(1).max(72), maxPer24h: z.number().int().min(1).max(48) })
    .strict(),
]);
export type Frequency = z.infer<typeof Frequency>;

export const CheckKind = z.enum(['allergy', 'duplicate', 'interaction', 'max-dose']);
export type CheckKind = z.infer<typeof CheckKind>;

/** A medication check that fired: what, why in plain words, and how serious. */
export const MedicationCheck = z.object({
  kind: CheckKind,
  severity: z.string(),
  message: z.string(),
});
export type MedicationCheck = z.infer<typeof MedicationCheck>;

/** Going on past a fired check: one reason per kind of check, stored and audited. */
export const Overrides = z
  .array(z.object({ kind: CheckKind, reason: Reason }).strict())
  .max(4)
  .default([])
  .refine((list) => new Set(list.map((o) => o.kind)).size === list.length, 'One reason per check');

export const MedicineSummary = z.object({
  medicineId: Id,
  name: z.string(),
  genericName: z.string().nullable(),
  form: z.string(),
  strength: z.string(),
  drugClass: z.string().nullable(),
  maxDailyDose: z.string().nullable(),
  doseUnit: z.string().nullable(),
  unitPrice: z.string(),
  isControlled: z.boolean(),
  /** Units in lots that have not expired. */
  usableStock: z.number().int(),
});
export type MedicineSummary = z.infer<typeof MedicineSummary>;

export const OrderInput = z
  .object({
    patientId: PatientId,
    medicineId: Id,
    doseAmount: Decimal,
    doseUnit: z.string().trim().min(1).max(20),
    route: Route,
    frequency: Frequency,
    durationDays: z.number().int().min(1).max(365).nullable().default(null),
    quantity: z.number().int().min(1, 'Quantity must be at least 1').max(100_000),
    instructions: z.string().trim().max(1000).nullable().default(null),
    urgency: Urgency.default('routine'),
    /** A change or a renewal: the order this one replaces (which is cancelled in the same transaction). */
    replacesPrescriptionId: Id.nullable().default(null),
  })
  .strict();
export type OrderInput = z.infer<typeof OrderInput>;

export const QueueItem = z.object({
  prescriptionId: Id,
  patientId: PatientId,
  patientName: z.string(),
  medicineName: z.string(),
  strength: z.string(),
  form: z.string(),
  dose: z.string(),
  urgency: Urgency,
  status: PrescriptionStatus,
  quantity: z.number().int(),
  dispensedQuantity: z.number().int(),
  prescribedAt: IsoDateTime,
  prescriber: z.string().nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const Allergy = z.object({
  allergyId: Id,
  substance: z.string(),
  matchKind: z.enum(['generic', 'class']),
  reaction: z.string().nullable(),
  severity: z.enum(['mild', 'moderate', 'severe', 'life-threatening']),
  recordedAt: IsoDateTime,
});
export type Allergy = z.infer<typeof Allergy>;

export const OrderDetail = QueueItem.extend({
  patientDateOfBirth: IsoDate,
  patientAgeYears: z.number().int(),
  medicineId: Id,
  route: Route,
  frequency: Frequency.nullable(),
  durationDays: z.number().int().nullable(),
  instructions: z.string().nullable(),
  queriedReason: z.string().nullable(),
  allergies: z.array(Allergy),
  otherActiveMedicines: z.array(z.object({ prescriptionId: Id, medicineName: z.string(), dose: z.string() })),
  checks: z.array(MedicationCheck),
  overrides: z.array(z.object({ kind: CheckKind, stage: z.string(), reason: z.string(), overriddenAt: IsoDateTime })),
});
export type OrderDetail = z.infer<typeof OrderDetail>;

/** Either the checks that still need a reason (nothing written), or the stored order. */
const CheckedOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('checks-need-override'), checks: z.array(MedicationCheck) }),
  z.object({ outcome: z.literal('done'), prescriptionId: Id, status: PrescriptionStatus, checks: z.array(MedicationCheck) }),
]);

export const DispenseLine = z.object({
  transactionId: Id,
  lotId: Id,
  lotNumber: z.string(),
  expiryDate: IsoDate,
  quantity: z.number().int(),
  /** The lot expires before the course would end: the label and the ward should know. */
  expiresBeforeCourseEnds: z.boolean(),
});
export const DispenseResult = z.object({
  prescriptionId: Id,
  status: PrescriptionStatus,
  dispensed: z.number().int(),
  remaining: z.number().int(),
  lines: z.array(DispenseLine),
  billId: Id,
  amount: z.string(),
});
export type DispenseResult = z.infer<typeof DispenseResult>;

export const pharmacyChannels = {
  'pharmacy/search-medicines': defineChannel({
    input: z
      .object({ query: z.string().trim().min(1, 'Type part of a name').max(100), limit: z.number().int().min(1).max(100).default(20) })
      .strict(),
    output: z.array(MedicineSummary),
    access: 'prescriptions.read',
    doc: 'Finds active medicines by brand or generic name and strength, with their usable stock.',
  }),
  'pharmacy/check-order': defineChannel({
    input: OrderInput,
    output: z.array(MedicationCheck),
    access: 'prescriptions.write',
    doc: 'Runs the medication checks on an order before it is written (nothing is stored).',
  }),
  'pharmacy/prescribe-medicine': defineChannel({
    input: z.object({ order: OrderInput, overrides: Overrides }).strict(),
    output: CheckedOutcome,
    access: 'prescriptions.write',
    doc: 'Writes an order as the signed-in doctor; a fired check needs an override reason, stored and audited.',
  }),
  'pharmacy/get-verification-queue': defineChannel({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(QueueItem),
    access: 'pharmacy.dispense',
    doc: 'Orders waiting for verification or dispensing: STAT first, then urgent, then oldest.',
  }),
  'pharmacy/get-order': defineChannel({
    input: z.object({ prescriptionId: Id }).strict(),
    output: OrderDetail,
    access: 'prescriptions.read',
    doc: 'One order with its patient, allergies, other active medicines, checks and overrides.',
  }),
  'pharmacy/verify-order': defineChannel({
    input: z.object({ prescriptionId: Id, overrides: Overrides }).strict(),
    output: CheckedOutcome,
    access: 'pharmacy.dispense',
    doc: 'Verifies an order after the checks run again; a fired check needs an override reason.',
  }),
  'pharmacy/query-order': defineChannel({
    input: z.object({ prescriptionId: Id, reason: Reason }).strict(),
    output: z.object({ prescriptionId: Id, status: PrescriptionStatus }),
    access: 'pharmacy.dispense',
    doc: 'Sends an order back to its prescriber with a reason.',
  }),
  'pharmacy/dispense-order': defineChannel({
    input: z
      .object({
        prescriptionId: Id,
        /** Omitted: all that is left of the order. */
        quantity: z.number().int().min(1, 'Quantity must be at least 1').max(100_000).optional(),
        /** The pharmacist's own lot instead of first-expiry-first-out, with why. */
        lotChoice: z.object({ lotId: Id, reason: Reason }).strict().optional(),
      })
      .strict(),
    output: DispenseResult,
    access: 'pharmacy.dispense',
    doc: 'Dispenses a verified order from lots (first expiry first out), with its ledger rows and bill line.',
  }),
  'pharmacy/receive-delivery': defineChannel({
    input: z
      .object({
        medicineId: Id,
        lotNumber: z.string().trim().min(1, 'Enter the lot number').max(50),
        expiryDate: IsoDate,
        quantity: z.number().int().min(1, 'Quantity must be at least 1').max(1_000_000),
        supplier: z.string().trim().min(1, 'Enter the supplier').max(150),
      })
      .strict(),
    output: z.object({ lotId: Id, transactionId: Id, quantityOnHand: z.number().int() }),
    access: 'pharmacy.stock',
    doc: 'Receives a delivery as a new lot, its stock arriving with a Receive row in the ledger.',
  }),
  'pharmacy/record-allergy': defineChannel({
    input: z
      .object({
        patientId: PatientId,
        substance: z.string().trim().toLowerCase().min(2, 'Enter the substance').max(150),
        matchKind: z.enum(['generic', 'class']),
        reaction: z.string().trim().max(255).nullable().default(null),
        severity: z.enum(['mild', 'moderate', 'severe', 'life-threatening']),
      })
      .strict(),
    output: Allergy,
    access: 'allergies.write',
    doc: "Records an allergy (a generic name or a drug class) on a patient's record.",
  }),
  'pharmacy/list-allergies': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: z.array(Allergy),
    access: 'prescriptions.read',
    doc: "A patient's allergies (those entered in error left out).",
  }),
  'pharmacy/mark-allergy-in-error': defineChannel({
    input: z.object({ allergyId: Id }).strict(),
    output: z.object({ allergyId: Id }),
    access: 'allergies.write',
    doc: 'Marks an allergy as entered in error (it is never deleted; the record keeps who and when).',
  }),
} satisfies ChannelMap<'pharmacy'>;
