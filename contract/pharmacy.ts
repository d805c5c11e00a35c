import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDate, IsoDateTime, PatientId, Uuid, WitnessInput } from './common.js';

// Pharmacy: prescribing with medication checks, the verification queue, dispensing from lots
// (first expiry first out), receiving stock, and allergies.

const Id = z.number().int().positive().max(2_147_483_647);
const Reason = z.string().trim().min(5, 'Give a reason of at least 5 characters').max(500);
/** Decimal dose as a string, so no float ever reaches NUMERIC. */
const Decimal = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'Use a number like 500 or 2.5');

export const Route = z.enum(['oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'sublingual', 'other']);
export type Route = z.infer<typeof Route>;
export const Urgency = z.enum(['routine', 'urgent', 'STAT']);
export type Urgency = z.infer<typeof Urgency>;
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

/** A recorded allergy, and whether the checks can match it: a medicine in the formulary has it as its generic name or class. */
export const RecordedAllergy = Allergy.extend({
  matchesFormulary: z.boolean(),
  /** It matches nothing as recorded but is the other kind in the formulary (e.g. a class recorded as a generic name). */
  matchesAsOtherKind: z.boolean(),
});
export type RecordedAllergy = z.infer<typeof RecordedAllergy>;

export const OrderDetail = QueueItem.extend({
  /** The patient's latest recorded weight (kg, as a decimal string), or null when none is recorded. */
  weightKg: z.string().nullable(),
  weightRecordedAt: IsoDateTime.nullable(),
  cancelledReason: z.string().nullable(),
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
  /** The last day of the course what is left would cover if dispensed today: a lot expiring before it is flagged before dispensing. */
  courseEndsOn: IsoDate,
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
  /** The witness of a controlled drug's dispense (display name), else null. */
  witnessedBy: z.string().nullable(),
});
export type DispenseResult = z.infer<typeof DispenseResult>;

// Stock movements, reports, the ledger, controlled drugs and the prescriber's side (issue 10, second slice).

export const LedgerType = z.enum(['Dispense', 'Receive', 'Return', 'Adjust', 'Dispose']);
export type LedgerType = z.infer<typeof LedgerType>;
/** A signed adjustment after a count: never zero. */
const SignedQuantity = z
  .number()
  .int()
  .min(-1_000_000)
  .max(1_000_000)
  .refine((n) => n !== 0, 'An adjustment moves at least one unit (use a minus sign to lower the stock)');
const Quantity = z.number().int().min(1, 'Quantity must be at least 1').max(1_000_000);
/** Money as a decimal string (NUMERIC), never a float: "1234.50". */
const Money = z.string();
/** An opaque paging cursor handed back by the previous page. */
const Cursor = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor from this list');

/** One movement just written: the ledger row and the lot's stock after it. */
export const StockMovementResult = z.object({
  transactionId: Id,
  lotId: Id,
  lotNumber: z.string(),
  medicineId: Id,
  type: LedgerType,
  quantity: z.number().int(),
  quantityOnHand: z.number().int(),
  /** The witness's display name for a controlled drug, else null. */
  witnessedBy: z.string().nullable(),
});
export type StockMovementResult = z.infer<typeof StockMovementResult>;

/** A lot with its medicine, stock and value (unit price × stock). */
export const LotRow = z.object({
  lotId: Id,
  medicineId: Id,
  medicineName: z.string(),
  strength: z.string(),
  form: z.string(),
  isControlled: z.boolean(),
  lotNumber: z.string(),
  expiryDate: IsoDate,
  supplier: z.string().nullable(),
  quantityOnHand: z.number().int(),
  expired: z.boolean(),
  /** Days until expiry (negative once expired). */
  daysLeft: z.number().int(),
  unitPrice: Money,
  value: Money,
});
export type LotRow = z.infer<typeof LotRow>;

export const LowStockRow = z.object({
  medicineId: Id,
  name: z.string(),
  genericName: z.string().nullable(),
  strength: z.string(),
  form: z.string(),
  isControlled: z.boolean(),
  reorderLevel: z.number().int(),
  /** Units in lots that have not expired (what counts against the reorder level). */
  usableStock: z.number().int(),
  totalStock: z.number().int(),
});
export type LowStockRow = z.infer<typeof LowStockRow>;

export const StockOnHandRow = z.object({
  medicineId: Id,
  name: z.string(),
  genericName: z.string().nullable(),
  strength: z.string(),
  form: z.string(),
  isControlled: z.boolean(),
  reorderLevel: z.number().int(),
  unitPrice: Money,
  quantityOnHand: z.number().int(),
  usableQuantity: z.number().int(),
  lots: z.number().int(),
  value: Money,
});
export type StockOnHandRow = z.infer<typeof StockOnHandRow>;

/** One ledger row as the grids show it. */
export const LedgerEntry = z.object({
  transactionId: Id,
  at: IsoDateTime,
  type: LedgerType,
  medicineId: Id,
  medicineName: z.string(),
  strength: z.string(),
  form: z.string(),
  lotId: Id.nullable(),
  lotNumber: z.string().nullable(),
  /** Signed: negative left the pharmacy. */
  quantity: z.number().int(),
  prescriptionId: Id.nullable(),
  patientId: PatientId.nullable(),
  /** Null when the patient is not one the reader may see. */
  patientName: z.string().nullable(),
  performedById: Uuid.nullable(),
  performedBy: z.string().nullable(),
  witnessedBy: z.string().nullable(),
  notes: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerSort = z.enum(['date', 'medicine', 'type', 'quantity']);
export type LedgerSort = z.infer<typeof LedgerSort>;

export const LedgerQuery = z
  .object({
    medicineId: Id.optional(),
    patientId: PatientId.optional(),
    /** Who performed the movement. */
    userId: Uuid.optional(),
    /** Inclusive days, in the clinic's time zone. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    types: z.array(LedgerType).min(1).max(5).optional(),
    sort: LedgerSort.default('date'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    /** From the previous page's nextCursor; null for the first page. */
    cursor: Cursor.nullable().default(null),
    /** Up to 10,000 rows a page: 100,000 rows load in ten calls. */
    limit: z.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The start date must not be after the end date', path: ['to'] });

export const ReturnableLot = z.object({
  lotId: Id,
  lotNumber: z.string(),
  expiryDate: IsoDate,
  dispensed: z.number().int(),
  returned: z.number().int(),
  /** What may still come back into this lot from this order. */
  returnable: z.number().int(),
});

export const ControlledRegisterEntry = z.object({
  transactionId: Id,
  at: IsoDateTime,
  type: LedgerType,
  lotId: Id.nullable(),
  lotNumber: z.string().nullable(),
  quantity: z.number().int(),
  /** The medicine's balance over all its lots after this row. */
  balance: z.number().int(),
  prescriptionId: Id.nullable(),
  patientId: PatientId.nullable(),
  patientName: z.string().nullable(),
  performedBy: z.string().nullable(),
  witnessedBy: z.string().nullable(),
  notes: z.string().nullable(),
});

export const ControlledCount = z.object({
  countId: Id,
  medicineId: Id,
  medicineName: z.string(),
  strength: z.string(),
  form: z.string(),
  countedAt: IsoDateTime,
  countedBy: z.string().nullable(),
  witnessedBy: z.string().nullable(),
  /** The register's balance when the count was entered (computed by the database). */
  bookBalance: z.number().int(),
  counted: z.number().int(),
  /** counted − book balance: negative means units are missing. */
  difference: z.number().int(),
  note: z.string().nullable(),
  resolvedAt: IsoDateTime.nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
});
export type ControlledCount = z.infer<typeof ControlledCount>;

export const QueriedOrder = QueueItem.extend({ queriedReason: z.string(), queriedBy: z.string().nullable() });
export type QueriedOrder = z.infer<typeof QueriedOrder>;

/** An open order of a patient, and whether the signed-in prescriber may change or stop it (their own). */
export const OpenOrder = QueueItem.extend({ changeable: z.boolean() });
export type OpenOrder = z.infer<typeof OpenOrder>;

/** A weight in kilograms as a decimal string ("72.5"), 0.2 to 400 kg. */
const WeightKg = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, 'Use kilograms like 72.5')
  .refine((w) => Number(w) >= 0.2 && Number(w) <= 400, 'A weight is between 0.2 and 400 kg');

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
        /** Required for a controlled drug: a second pharmacist or nurse signs in on this terminal. */
        witness: WitnessInput.optional(),
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
    output: RecordedAllergy,
    access: 'allergies.write',
    doc: "Records an allergy (a generic name or a drug class) on a patient's record, and says whether the checks can match it.",
  }),
  'pharmacy/list-allergies': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: z.array(Allergy),
    access: 'prescriptions.read',
    doc: "A patient's allergies (those entered in error left out).",
  }),
  'pharmacy/mark-allergy-in-error': defineChannel({
    input: z.object({ allergyId: Id, reason: Reason }).strict(),
    output: z.object({ allergyId: Id }),
    access: 'allergies.write',
    doc: 'Marks an allergy as entered in error, with the reason (it is never deleted; the record keeps who, when and why).',
  }),
  'pharmacy/adjust-stock': defineChannel({
    input: z
      .object({
        lotId: Id,
        quantity: SignedQuantity,
        reason: Reason,
        /** Required for a controlled drug. */
        witness: WitnessInput.optional(),
      })
      .strict(),
    output: StockMovementResult,
    access: 'pharmacy.stock',
    doc: "Corrects a lot's stock after a count with a signed Adjust row and a reason (controlled drugs need a witness).",
  }),
  'pharmacy/list-returnable': defineChannel({
    input: z.object({ prescriptionId: Id }).strict(),
    output: z.array(ReturnableLot),
    access: 'pharmacy.dispense',
    doc: 'The lots an order was dispensed from, with how much may still be returned into each.',
  }),
  'pharmacy/return-from-ward': defineChannel({
    input: z.object({ prescriptionId: Id, lotId: Id, quantity: Quantity, reason: Reason }).strict(),
    output: StockMovementResult,
    access: 'pharmacy.dispense',
    doc: 'Takes back units a ward returns, into the lot they were dispensed from, never more than was dispensed.',
  }),
  'pharmacy/dispose-stock': defineChannel({
    input: z
      .object({
        lotId: Id,
        quantity: Quantity,
        disposalKind: z.enum(['expired', 'damaged', 'recalled', 'other']),
        reason: Reason,
        /** Required for a controlled drug. */
        witness: WitnessInput.optional(),
      })
      .strict(),
    output: StockMovementResult,
    access: 'pharmacy.stock',
    doc: 'Disposes of expired or damaged units with a Dispose row and a reason (controlled drugs need a witness).',
  }),
  'pharmacy/list-lots': defineChannel({
    input: z
      .object({
        medicineId: Id.optional(),
        /** Lots with no stock left are left out unless asked for. */
        includeEmpty: z.boolean().default(false),
        limit: z.number().int().min(1).max(20_000).default(5000),
      })
      .strict(),
    output: z.array(LotRow),
    access: 'pharmacy.stock',
    doc: 'Lots with their stock, expiry and value, first expiry first (the stock grid).',
  }),
  'pharmacy/report-low-stock': defineChannel({
    input: z.object({}).strict(),
    output: z.array(LowStockRow),
    access: 'pharmacy.stock',
    doc: 'Active medicines whose usable stock is at or under their reorder level, emptiest first.',
  }),
  'pharmacy/report-expiring': defineChannel({
    input: z
      .object({
        withinDays: z.number().int().min(0).max(3650).default(30),
        /** Lots already expired (still on the shelf) are listed first unless left out. */
        includeExpired: z.boolean().default(true),
      })
      .strict(),
    output: z.array(LotRow),
    access: 'pharmacy.stock',
    doc: 'Lots with stock that expire within N days (and those already expired), soonest first.',
  }),
  'pharmacy/report-stock-on-hand': defineChannel({
    input: z.object({ controlledOnly: z.boolean().default(false), includeEmpty: z.boolean().default(false) }).strict(),
    output: z.object({ rows: z.array(StockOnHandRow), totalValue: Money }),
    access: 'pharmacy.stock',
    doc: 'Stock on hand per medicine with its value at unit price, and the total value.',
  }),
  'pharmacy/list-ledger': defineChannel({
    input: LedgerQuery,
    output: z.object({ rows: z.array(LedgerEntry), nextCursor: Cursor.nullable() }),
    access: 'pharmacy.stock',
    doc: 'A page of ledger rows filtered by medicine, patient, user and dates, in a fixed sort; nextCursor fetches the next.',
  }),
  'pharmacy/list-ledger-users': defineChannel({
    input: z.object({}).strict(),
    output: z.array(z.object({ userId: Uuid, displayName: z.string() })),
    access: 'pharmacy.stock',
    doc: "The people who have moved stock, for the ledger's user filter.",
  }),
  'pharmacy/get-controlled-register': defineChannel({
    input: z
      .object({
        medicineId: Id,
        from: IsoDate.optional(),
        to: IsoDate.optional(),
        limit: z.number().int().min(1).max(10_000).default(2000),
      })
      .strict(),
    output: z.object({
      medicineId: Id,
      medicineName: z.string(),
      strength: z.string(),
      form: z.string(),
      isControlled: z.boolean(),
      /** The balance before the first entry shown. */
      openingBalance: z.number().int(),
      /** Stock on hand now over every lot: the register's last balance. */
      bookBalance: z.number().int(),
      entries: z.array(ControlledRegisterEntry),
      /** True when more entries exist in the range than `limit` (the latest are shown). */
      truncated: z.boolean(),
      counts: z.array(ControlledCount),
    }),
    access: 'pharmacy.stock',
    doc: "A controlled drug's register: every movement with its running balance, witnesses, and the physical counts.",
  }),
  'pharmacy/record-controlled-count': defineChannel({
    input: z
      .object({
        medicineId: Id,
        countedQuantity: z.number().int().min(0, 'A count cannot be negative').max(1_000_000),
        note: z.string().trim().max(500).nullable().default(null),
        /** A second person who counted too (optional). */
        witness: WitnessInput.optional(),
      })
      .strict(),
    output: ControlledCount,
    access: 'pharmacy.stock',
    doc: 'Records a physical count of a controlled drug against the book balance; a difference is flagged to the administrator.',
  }),
  'pharmacy/list-count-discrepancies': defineChannel({
    input: z.object({ includeResolved: z.boolean().default(false) }).strict(),
    output: z.array(ControlledCount),
    access: 'audit.read',
    doc: 'Controlled-drug counts that differed from the book balance, open ones first (for the administrator).',
  }),
  'pharmacy/resolve-count-discrepancy': defineChannel({
    input: z.object({ countId: Id, resolution: Reason }).strict(),
    output: ControlledCount,
    access: 'audit.read',
    doc: 'An administrator closes a count discrepancy with what was found.',
  }),
  'pharmacy/list-queried-orders': defineChannel({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(QueriedOrder),
    access: 'prescriptions.write',
    doc: "The signed-in prescriber's orders a pharmacist queried back, with the reason, oldest first.",
  }),
  'pharmacy/list-open-orders': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: z.array(OpenOrder),
    access: 'prescriptions.write',
    doc: "A patient's open orders (waiting, queried, verified, part dispensed), newest first; the prescriber's own can be changed or stopped.",
  }),
  'pharmacy/cancel-order': defineChannel({
    input: z.object({ prescriptionId: Id, reason: Reason }).strict(),
    output: z.object({ prescriptionId: Id, status: PrescriptionStatus }),
    access: 'prescriptions.write',
    doc: 'Cancels an open order of the signed-in prescriber with a reason (a change is a new order that replaces it).',
  }),
  'pharmacy/record-weight': defineChannel({
    input: z.object({ patientId: PatientId, weightKg: WeightKg }).strict(),
    output: z.object({ weightId: Id, patientId: PatientId, weightKg: z.string(), recordedAt: IsoDateTime }),
    access: 'medical_records.write',
    doc: "Records a patient's weight in kg (a new row each time; the latest shows with their orders).",
  }),
} satisfies ChannelMap<'pharmacy'>;
