import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDateTime, PatientId } from './common.js';
import { BedBoard, Mar } from './ward.js';

// The ward terminal's last-known copy: what a ward shows while the hospital database is away. Read
// only; nothing clinical is recorded offline. Main keeps it sealed (main/ward/offline/).

export const WardCopyAllergies = z.object({ patientId: PatientId, allergies: z.array(z.string()) });

export const WardLastKnownCopy = z.object({
  /** When the copy was read from the server. */
  takenAt: IsoDateTime,
  /** Whose view of the ward it is (the copy is shown only to them). */
  takenFor: z.string(),
  board: BedBoard,
  /** Per occupied bed: the allergies on record ("penicillins (rash, severe)"). */
  allergies: z.array(WardCopyAllergies),
  /** The MAR for the next 12 hours; null: it could not be read when the copy was taken. */
  mar: Mar.nullable(),
});
export type WardLastKnownCopy = z.infer<typeof WardLastKnownCopy>;

export const wardOfflineChannels = {
  'ward/get-last-known-copy': defineChannel({
    input: z.object({}).strict(),
    output: WardLastKnownCopy.nullable(),
    // Names, allergies and medicines: for those who read charts (the copy is kept only for them).
    access: 'medical_records.read',
    doc: "This ward terminal's sealed last-known board, allergies and 12-hour MAR, for downtime; null where none is kept for this user.",
  }),
} satisfies ChannelMap<'ward'>;
