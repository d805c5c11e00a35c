import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDateTime } from './common.js';

// Housekeeping: the cleaning queue (cleaning_service) — beds left by discharges and transfers (the
// ward writes those tasks), spills and deep cleans asked for, and a routine clean of every room each
// day; start / complete / skip with a reason, overdue highlighted. A bed is free again when its task
// is completed: the ward's bed state (ward_bed_states) reads the same rows.

const Id = z.number().int().positive().max(2_147_483_647);

export const CleaningType = z.enum(['Routine', 'Discharge', 'Deep', 'Spill', 'Isolation']);
export type CleaningType = z.infer<typeof CleaningType>;
export const CleaningStatus = z.enum(['Scheduled', 'InProgress', 'Completed', 'Skipped']);
export type CleaningStatus = z.infer<typeof CleaningStatus>;

export const CleaningTask = z.object({
  cleaningId: Id,
  roomId: Id,
  roomNumber: z.string(),
  departmentName: z.string().nullable(),
  /** null: the whole room. */
  bedNumber: z.number().int().nullable(),
  type: CleaningType,
  status: CleaningStatus,
  scheduledAt: IsoDateTime,
  dueAt: IsoDateTime,
  overdue: z.boolean(),
  startedAt: IsoDateTime.nullable(),
  completedAt: IsoDateTime.nullable(),
  staffName: z.string().nullable(),
  skipReason: z.string().nullable(),
  notes: z.string().nullable(),
});
export type CleaningTask = z.infer<typeof CleaningTask>;

export const CleaningQueue = z.object({
  /** Open tasks, most urgent (earliest due) first. */
  open: z.array(CleaningTask),
  /** Tasks closed today, latest first. */
  closedToday: z.array(CleaningTask),
});
export type CleaningQueue = z.infer<typeof CleaningQueue>;

/** A room a clean can be asked for, with its beds. */
export const CleanableRoom = z.object({
  roomId: Id,
  roomNumber: z.string(),
  departmentName: z.string().nullable(),
  bedCount: z.number().int(),
});
export type CleanableRoom = z.infer<typeof CleanableRoom>;

/** A spill, deep or isolation clean asked for: a room, or one bed of it. */
export const CleaningRequest = z
  .object({
    roomId: Id,
    bedNumber: z.number().int().min(1).max(50).optional(),
    type: z.enum(['Spill', 'Deep', 'Isolation']),
    notes: z.string().trim().max(300, 'Keep the note under 300 characters').optional(),
  })
  .strict();
export type CleaningRequest = z.infer<typeof CleaningRequest>;

const TaskRef = z.object({ cleaningId: Id }).strict();

export const housekeepingChannels = {
  'housekeeping/get-queue': defineChannel({
    input: Empty,
    output: CleaningQueue,
    access: 'cleaning.read',
    doc: 'Open cleaning tasks by due time (overdue marked) and those closed today.',
  }),
  'housekeeping/plan-routine': defineChannel({
    input: Empty,
    output: z.object({ added: z.number().int() }),
    access: 'cleaning.write',
    doc: "Adds today's routine clean for every room that has none yet.",
  }),
  'housekeeping/list-rooms': defineChannel({
    input: Empty,
    output: z.array(CleanableRoom),
    access: 'cleaning.read',
    doc: 'Every room by number, with its department and beds, to ask for a clean of.',
  }),
  'housekeeping/request-cleaning': defineChannel({
    input: CleaningRequest,
    output: z.object({ cleaningId: Id }),
    access: 'cleaning.write',
    doc: 'Asks for a spill, deep or isolation clean of a room or bed.',
  }),
  'housekeeping/start-task': defineChannel({
    input: TaskRef,
    output: z.object({ cleaningId: Id, status: CleaningStatus }),
    access: 'cleaning.write',
    doc: 'Starts a scheduled cleaning task.',
  }),
  'housekeeping/complete-task': defineChannel({
    input: TaskRef,
    output: z.object({ cleaningId: Id, status: CleaningStatus }),
    access: 'cleaning.write',
    doc: 'Completes a cleaning task: the room or bed is available again.',
  }),
  'housekeeping/skip-task': defineChannel({
    input: z
      .object({
        cleaningId: Id,
        reason: z.string().trim().min(5, 'Give a reason of at least 5 characters').max(300, 'Keep the reason under 300 characters'),
      })
      .strict(),
    output: z.object({ cleaningId: Id, status: CleaningStatus }),
    access: 'cleaning.write',
    doc: 'Skips a routine or deep clean, with a reason (a bed a patient left is never skipped).',
  }),
} satisfies ChannelMap<'housekeeping'>;
