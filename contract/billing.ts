import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDate, IsoDateTime, PatientId } from './common.js';

// Billing: bills from appointments (the department's fee), dispensing lines (written by the pharmacy's
// dispense), bed-days (the room type's daily rate × days admitted) and manual charges; payments (cash,
// card, insurance), part payments, void; a patient's account and printable invoice. Money crosses as
// decimal strings ("120.50"), never as floats: the database's NUMERIC does the arithmetic.

const Id = z.number().int().positive().max(2_147_483_647);

/** An amount of money as typed: up to 9 digits and 2 decimals, more than zero. */
export const MoneyInput = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'Enter an amount like 25 or 25.50')
  .refine((v) => /[1-9]/.test(v), 'The amount must be more than zero');
/** Money as the database computed it (NUMERIC as text). */
export const Money = z.string().regex(/^-?\d+(\.\d+)?$/);

export const BillStatus = z.enum(['Pending', 'PartiallyPaid', 'Paid', 'Cancelled', 'Refunded']);
export type BillStatus = z.infer<typeof BillStatus>;
export const BillSource = z.enum(['manual', 'appointment', 'dispense', 'bed-days']);
export type BillSource = z.infer<typeof BillSource>;
export const PaymentMethod = z.enum(['cash', 'card', 'insurance']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const Bill = z.object({
  billId: Id,
  patientId: PatientId,
  billDate: IsoDateTime,
  description: z.string(),
  source: BillSource,
  appointmentId: Id.nullable(),
  assignmentId: Id.nullable(),
  quantity: Money.nullable(),
  unitPrice: Money.nullable(),
  amount: Money,
  paid: Money,
  owed: Money,
  status: BillStatus,
  voidReason: z.string().nullable(),
});
export type Bill = z.infer<typeof Bill>;

export const Payment = z.object({
  paymentId: Id,
  billId: Id,
  amount: Money,
  method: PaymentMethod,
  reference: z.string().nullable(),
  receivedAt: IsoDateTime,
  receivedBy: z.string(),
});
export type Payment = z.infer<typeof Payment>;

export const PatientAccount = z.object({
  patient: z.object({ patientId: PatientId, name: z.string(), dateOfBirth: IsoDate, address: z.string().nullable() }),
  bills: z.array(Bill),
  payments: z.array(Payment),
  /** Over bills that are not voided. */
  totals: z.object({ charged: Money, paid: Money, owed: Money }),
});
export type PatientAccount = z.infer<typeof PatientAccount>;

export const Balance = z.object({
  patientId: PatientId,
  name: z.string(),
  openBills: z.number().int(),
  owed: Money,
  oldestOpenBill: IsoDateTime,
});
export type Balance = z.infer<typeof Balance>;

/** Something that can be billed and is not yet: a seen appointment, or a finished stay in a bed. */
export const Unbilled = z.object({
  kind: z.enum(['appointment', 'stay']),
  id: Id,
  patientId: PatientId,
  patientName: z.string(),
  date: IsoDate,
  description: z.string(),
  quantity: Money,
  unitPrice: Money,
  amount: Money,
});
export type Unbilled = z.infer<typeof Unbilled>;

const Reason = z.string().trim().min(5, 'Give a reason of at least 5 characters').max(300, 'Keep the reason under 300 characters');

export const billingChannels = {
  'billing/list-balances': defineChannel({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(Balance),
    access: 'billing.read',
    doc: 'Patients who owe money, largest balance first.',
  }),
  'billing/get-account': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: PatientAccount,
    access: 'billing.read',
    doc: "A patient's bills, payments and what they owe (also the printable invoice).",
  }),
  'billing/list-unbilled': defineChannel({
    input: z.object({ patientId: PatientId.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(Unbilled),
    access: 'billing.write',
    doc: 'Seen appointments and finished stays not billed yet, with what each would cost.',
  }),
  'billing/bill-appointment': defineChannel({
    input: z.object({ appointmentId: Id }).strict(),
    output: z.object({ billId: Id }),
    access: 'billing.write',
    doc: "Bills a checked-in or completed appointment at its department's fee.",
  }),
  'billing/bill-stay': defineChannel({
    input: z.object({ assignmentId: Id }).strict(),
    output: z.object({ billId: Id }),
    access: 'billing.write',
    doc: "Bills a finished stay in a bed: the room type's daily rate × days admitted.",
  }),
  'billing/add-charge': defineChannel({
    input: z
      .object({
        patientId: PatientId,
        description: z.string().trim().min(3, 'Describe the charge').max(255, 'Keep the description under 255 characters'),
        amount: MoneyInput,
      })
      .strict(),
    output: z.object({ billId: Id }),
    access: 'billing.write',
    doc: 'Adds a manual charge to a patient.',
  }),
  'billing/take-payment': defineChannel({
    input: z
      .object({
        billId: Id,
        amount: MoneyInput,
        method: PaymentMethod,
        reference: z.string().trim().min(1).max(100, 'Keep the reference under 100 characters').optional(),
      })
      .strict()
      .refine((p) => p.method !== 'insurance' || p.reference, { message: "Enter the insurer's claim number", path: ['reference'] }),
    output: z.object({ paymentId: Id, status: BillStatus, owed: Money }),
    access: 'billing.write',
    doc: 'Takes a full or part payment on a bill.',
  }),
  'billing/void-bill': defineChannel({
    input: z.object({ billId: Id, reason: Reason }).strict(),
    output: z.object({ billId: Id }),
    access: 'billing.write',
    doc: 'Voids a bill that has no payments, with a reason.',
  }),
} satisfies ChannelMap<'billing'>;
