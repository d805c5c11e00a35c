import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDate, IsoDateTime, LocalId, PatientId, Queued } from './common.js';
import { PatientSearchResult } from './patients.js';

// The appointment book, and the front desk's offline inbox (what replay could not apply).

export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 09:30');

export const Slot = z.object({ date: IsoDate, time: ClockTime });
export type Slot = z.infer<typeof Slot>;

export const AppointmentStatus = z.enum(['Scheduled', 'CheckedIn', 'Completed', 'Cancelled', 'NoShow']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const Appointment = z.object({
  appointmentId: LocalId,
  patientId: LocalId,
  patientName: z.string(),
  patientDateOfBirth: IsoDate,
  doctorId: z.number().int(),
  doctorName: z.string(),
  date: IsoDate,
  time: ClockTime,
  durationMinutes: z.number().int(),
  purpose: z.string().nullable(),
  status: AppointmentStatus,
  cancelReason: z.string().nullable(),
  queued: Queued,
});
export type Appointment = z.infer<typeof Appointment>;

export const Doctor = z.object({
  doctorId: z.number().int(),
  name: z.string(),
  specialization: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  slotMinutes: z.number().int(),
});
export type Doctor = z.infer<typeof Doctor>;

export const BookDay = z.object({
  doctorId: z.number().int(),
  date: IsoDate,
  /** Every slot of the doctor's working hours that day; `appointmentId` set where it is taken. */
  slots: z.array(z.object({ time: ClockTime, appointmentId: z.number().int().nullable() })),
  appointments: z.array(Appointment),
});
export type BookDay = z.infer<typeof BookDay>;

export const AttentionFix = z.enum(['book-slot', 'use-patient', 'register-anyway', 'discard']);
export type AttentionFix = z.infer<typeof AttentionFix>;

export const AttentionItem = z.object({
  /** The change's idempotency key. */
  key: z.string(),
  channel: z.string(),
  /** What the clerk asked for, in words ("Book Dr Adams, 2026-11-27 10:00, for Ana Diaz"). */
  summary: z.string(),
  madeBy: z.string(),
  madeAt: IsoDateTime,
  code: z.string(),
  reason: z.string(),
  nextFreeSlots: z.array(Slot),
  possibleDuplicates: z.array(PatientSearchResult),
  /** Set when this change waits on another item (a booking for a walk-in whose registration is in question). */
  blockedBy: z.string().nullable(),
  fixes: z.array(AttentionFix),
});
export type AttentionItem = z.infer<typeof AttentionItem>;

export const ResolveAttention = z.discriminatedUnion('fix', [
  z.object({ key: z.string().min(1).max(100), fix: z.literal('book-slot'), slot: Slot }).strict(),
  z.object({ key: z.string().min(1).max(100), fix: z.literal('use-patient'), patientId: PatientId }).strict(),
  z.object({ key: z.string().min(1).max(100), fix: z.literal('register-anyway') }).strict(),
  z.object({ key: z.string().min(1).max(100), fix: z.literal('discard') }).strict(),
]);
export type ParsedResolveAttention = z.output<typeof ResolveAttention>;

/** Doctors, the appointment book, bookings and their states; the offline Needs-attention inbox. */
export const schedulingChannels = {
  'scheduling/list-doctors': defineChannel({
    input: z.object({ departmentId: z.number().int().positive().optional() }).strict(),
    output: z.array(Doctor),
    access: 'appointments.read',
    doc: 'Active doctors (of one department, or all), with their slot length.',
  }),
  'scheduling/get-book': defineChannel({
    input: z
      .object({ doctorIds: z.array(z.number().int().positive()).min(1).max(20), from: IsoDate, days: z.number().int().min(1).max(7) })
      .strict(),
    output: z.array(BookDay),
    access: 'appointments.read',
    doc: "The appointment book: each doctor's slots and appointments for one to seven days.",
  }),
  'scheduling/list-patient-appointments': defineChannel({
    input: z.object({ patientId: LocalId }).strict(),
    output: z.array(Appointment),
    access: 'appointments.read',
    doc: "A patient's appointments from today on.",
  }),
  'scheduling/book-appointment': defineChannel({
    input: z
      .object({
        patientId: LocalId,
        doctorId: z.number().int().positive(),
        slot: Slot,
        purpose: z.string().trim().max(255).nullable().default(null),
      })
      .strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Book a slot; a clash comes back as Conflict with the next free slots.',
  }),
  'scheduling/reschedule-appointment': defineChannel({
    input: z.object({ appointmentId: LocalId, slot: Slot }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Move an appointment to another slot of the same doctor.',
  }),
  'scheduling/cancel-appointment': defineChannel({
    input: z.object({ appointmentId: LocalId, reason: z.string().trim().min(1, 'Give a reason').max(255) }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Cancel an appointment with a reason; the slot is free again.',
  }),
  'scheduling/set-appointment-status': defineChannel({
    input: z.object({ appointmentId: LocalId, status: z.enum(['CheckedIn', 'NoShow', 'Completed']) }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Check a patient in, mark a no-show, or mark the appointment completed.',
  }),
  'offline/list-attention-items': defineChannel({
    input: Empty,
    output: z.array(AttentionItem),
    access: 'appointments.read',
    doc: "This terminal's Needs-attention inbox: changes made offline that the server refused or that clashed.",
  }),
  'offline/resolve-attention-item': defineChannel({
    input: ResolveAttention,
    output: z.array(AttentionItem),
    access: 'appointments.write',
    doc: 'Fix one Needs-attention item (book a free slot, use the existing patient, register anyway, discard); returns the inbox.',
  }),
} as const satisfies ChannelMap<'scheduling' | 'offline'>;
