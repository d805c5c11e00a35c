import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDateTime, PatientId } from './common.js';

// Ward: the bed board and census, admit / transfer / discharge, bed cleaning, and observations scored
// with NEWS2. Vitals are typed here; which values are possible is main/ward/vitals-validation.ts's rule.

const Id = z.number().int().positive().max(2_147_483_647);
const BedNumber = z.number().int().min(1).max(50);

export const BedState = z.enum(['free', 'occupied', 'to-clean', 'maintenance', 'closed']);
export type BedState = z.infer<typeof BedState>;
export const News2Response = z.enum(['low', 'low-medium', 'medium', 'high']);
export type News2Response = z.infer<typeof News2Response>;
export const Consciousness = z.enum(['A', 'C', 'V', 'P', 'U']);
export const DischargeDestination = z.enum(['home', 'home-with-support', 'care-home', 'other-hospital', 'died', 'other']);

export const LatestNews2 = z.object({ score: z.number().int(), response: News2Response, takenAt: IsoDateTime });

/** An occupied bed's patient, as far as the reader may see them (null for the front desk). */
export const BedPatient = z.object({
  patientId: PatientId,
  name: z.string(),
  ageYears: z.number().int(),
  admittedAt: IsoDateTime,
  daysSinceAdmission: z.number().int(),
  /** null: no allergy list could be read for this patient. */
  hasAllergy: z.boolean().nullable(),
  latestNews2: LatestNews2.nullable(),
});

export const Bed = z.object({
  roomId: Id,
  roomNumber: z.string(),
  floor: z.number().int().nullable(),
  roomType: z.string().nullable(),
  bedNumber: BedNumber,
  state: BedState,
  assignmentId: Id.nullable(),
  cleaningId: Id.nullable(),
  patient: BedPatient.nullable(),
});
export type Bed = z.infer<typeof Bed>;

export const BedBoard = z.object({ departmentId: Id, departmentName: z.string(), beds: z.array(Bed) });
export type BedBoard = z.infer<typeof BedBoard>;

export const CensusRow = z.object({
  departmentId: Id.nullable(),
  departmentName: z.string(),
  free: z.number().int(),
  occupied: z.number().int(),
  toClean: z.number().int(),
  maintenance: z.number().int(),
  closed: z.number().int(),
  total: z.number().int(),
});
export type CensusRow = z.infer<typeof CensusRow>;

export const VitalsInput = z
  .object({
    respirationRate: z.number(),
    spo2: z.number(),
    onOxygen: z.boolean(),
    systolicBp: z.number(),
    pulse: z.number(),
    consciousness: Consciousness,
    temperature: z.number(),
  })
  .strict();

export const Observation = z.object({
  observationId: Id,
  patientId: PatientId,
  takenAt: IsoDateTime,
  recordedBy: z.string(),
  respirationRate: z.number().int(),
  spo2: z.number().int(),
  spo2Scale: z.union([z.literal(1), z.literal(2)]),
  onOxygen: z.boolean(),
  systolicBp: z.number().int(),
  pulse: z.number().int(),
  consciousness: Consciousness,
  temperature: z.number(),
  news2Score: z.number().int(),
  news2Response: News2Response,
  news2SingleThree: z.boolean(),
  /** Plausible extremes worth a second look, e.g. "pulse-high". */
  flags: z.array(z.string()),
  correctsObservationId: Id.nullable(),
  enteredInError: z.boolean(),
});
export type Observation = z.infer<typeof Observation>;

export const wardChannels = {
  'ward/get-bed-board': defineChannel({
    input: z.object({ departmentId: Id.optional() }).strict(),
    output: BedBoard,
    access: 'rooms.read',
    doc: "Every room and bed of a department (default: the user's own) with its state and, where the reader may see them, the patient.",
  }),
  'ward/get-census': defineChannel({
    input: z.object({}).strict(),
    output: z.array(CensusRow),
    access: 'rooms.read',
    doc: 'Bed counts per department and state for the whole hospital.',
  }),
  'ward/admit-patient': defineChannel({
    input: z.object({ patientId: PatientId, roomId: Id, bedNumber: BedNumber, notes: z.string().trim().max(500).optional() }).strict(),
    output: z.object({ assignmentId: Id }),
    access: 'rooms.assign',
    doc: "Admits a registered patient into a free bed of the user's department; a taken bed is a Conflict naming the free beds.",
  }),
  'ward/transfer-patient': defineChannel({
    input: z.object({ assignmentId: Id, roomId: Id, bedNumber: BedNumber }).strict(),
    output: z.object({ assignmentId: Id }),
    access: 'rooms.assign',
    doc: 'Moves a patient to a free bed of this or another ward in one transaction; the old bed goes to cleaning.',
  }),
  'ward/discharge-patient': defineChannel({
    input: z.object({ assignmentId: Id, reason: z.string().trim().min(3).max(200), destination: DischargeDestination }).strict(),
    output: z.object({ cleaningId: Id }),
    access: 'rooms.assign',
    doc: 'Discharges a patient with a reason and destination; the bed shows to-clean until its Discharge cleaning is completed.',
  }),
  'ward/complete-cleaning': defineChannel({
    input: z.object({ cleaningId: Id }).strict(),
    output: z.object({ cleaningId: Id }),
    access: 'rooms.assign',
    doc: "Marks a cleaning task of the user's rooms completed, freeing its bed.",
  }),
  'ward/record-observation': defineChannel({
    input: z.object({ patientId: PatientId, takenAt: IsoDateTime, vitals: VitalsInput, correctsObservationId: Id.optional() }).strict(),
    output: Observation,
    access: 'medical_records.write',
    doc: "Records a set of vitals scored with NEWS2 on the patient's SpO2 scale; a correction marks the row it replaces entered-in-error.",
  }),
  'ward/get-observations': defineChannel({
    input: z.object({ patientId: PatientId, hours: z.number().int().min(1).max(72).default(72) }).strict(),
    output: z.array(Observation),
    access: 'medical_records.read',
    doc: 'Observations of the last hours (72 at most), newest first, entered-in-error rows included and marked.',
  }),
  'ward/set-saturation-scale': defineChannel({
    input: z
      .object({ patientId: PatientId, scale: z.union([z.literal(1), z.literal(2)]), reason: z.string().trim().min(5).max(300) })
      .strict(),
    output: z.object({ scale: z.union([z.literal(1), z.literal(2)]) }),
    access: 'prescriptions.write',
    doc: "A doctor records the patient's SpO2 scale (2: target 88–92 %, hypercapnic respiratory failure).",
  }),
} satisfies ChannelMap<'ward'>;
