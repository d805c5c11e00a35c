import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDateTime, PatientId, WitnessInput } from './common.js';
import { CleaningRequest } from './housekeeping.js';
import { Frequency, Route } from './pharmacy.js';

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
export type DischargeDestination = z.infer<typeof DischargeDestination>;
export type Consciousness = z.infer<typeof Consciousness>;

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
  /** Scheduled doses of this patient due (or late) within the next hour; null: the MAR could not be read. */
  dueNextHour: z.number().int().nullable(),
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
  /** Who charted it (their name as the app shows it). */
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

/** The scale the next vitals are scored on: a doctor's latest decision, or scale 1 where there is none. */
export const SaturationScale = z.object({
  scale: z.union([z.literal(1), z.literal(2)]),
  decision: z.object({ decidedBy: z.string(), decidedAt: z.string(), reason: z.string() }).nullable(),
});
export type SaturationScale = z.infer<typeof SaturationScale>;

// Medication administration record (MAR) -------------------------------------------------------

/**
 * The hospital's standard dose times, minutes after local midnight: the MAR lays doses out on them
 * (main/ward/mar-schedule.ts), and a paper downtime MAR prints the same columns.
 */
export const STANDARD_DOSE_TIMES = {
  OD: [8 * 60],
  BD: [8 * 60, 20 * 60],
  TDS: [8 * 60, 14 * 60, 20 * 60],
  QDS: [6 * 60, 12 * 60, 18 * 60, 22 * 60],
} as const satisfies Record<'OD' | 'BD' | 'TDS' | 'QDS', readonly number[]>;

const Reason = z.string().trim().min(5, 'Give a reason of at least 5 characters').max(500);
/** A raw keyboard-wedge scan: checked by main (garbage is an answer, not a crash). */
const ScanText = z.string().trim().min(1, 'Scan the code').max(200, 'That is not a code this app prints');
/** Administration window, minutes either side of a scheduled time. */
export const WindowMinutes = z.number().int().min(15).max(240);

/**
 * A scheduled dose's state at the time the MAR was read. scheduled: its window has not opened;
 * due: inside its window; late: past the window (giving it needs a reason); missed: the next dose of
 * that order has come (or 12 h passed) with nothing recorded; the others: what was recorded.
 */
export const DoseState = z.enum(['scheduled', 'due', 'late', 'missed', 'given', 'held', 'refused', 'not-given']);
export type DoseState = z.infer<typeof DoseState>;
export const RecordedOutcome = z.enum(['held', 'refused', 'not-given']);
export type RecordedOutcome = z.infer<typeof RecordedOutcome>;

export const MarDose = z.object({
  /** The standard time (PRN: when it was given); the key of the dose with prescriptionId. */
  scheduledFor: IsoDateTime,
  state: DoseState,
  windowOpensAt: IsoDateTime,
  windowClosesAt: IsoDateTime,
  administrationId: Id.nullable(),
  /** When it was given or the outcome recorded, by whom, why, and the witness of a controlled drug. */
  recordedAt: IsoDateTime.nullable(),
  recordedBy: z.string().nullable(),
  reason: z.string().nullable(),
  witnessedBy: z.string().nullable(),
  /** The reader may mark this recorded dose entered in error (its recorder, or an administrator). */
  mayMarkInError: z.boolean().default(false),
});
export type MarDose = z.infer<typeof MarDose>;

export const PrnStatus = z.object({
  minIntervalHours: z.number().int(),
  maxPer24h: z.number().int(),
  givenLast24h: z.number().int(),
  dosesLeft24h: z.number().int(),
  /** null: may be given now. */
  nextAllowedAt: IsoDateTime.nullable(),
});

export type PrnStatus = z.infer<typeof PrnStatus>;

export const MarOrder = z.object({
  prescriptionId: Id,
  medicineId: Id,
  medicineName: z.string(),
  strength: z.string(),
  form: z.string(),
  /** e.g. "500 mg". */
  dose: z.string(),
  route: Route,
  frequency: Frequency,
  /** e.g. "QDS: 06:00, 12:00, 18:00, 22:00". */
  frequencyText: z.string(),
  instructions: z.string().nullable(),
  isControlled: z.boolean(),
  startsAt: IsoDateTime,
  /**
   * When the order was stopped (or replaced by a changed one), if it was in the MAR's span: it stays on the
   * MAR with what was recorded of it, and nothing more is due.
   */
  stoppedAt: IsoDateTime.nullable().default(null),
  /** Scheduled doses of the span, oldest first (PRN: the doses given in it); of a stopped order, the recorded ones. */
  doses: z.array(MarDose),
  prn: PrnStatus.nullable(),
});
export type MarOrder = z.infer<typeof MarOrder>;

export const MarPatient = z.object({
  patientId: PatientId,
  name: z.string(),
  roomNumber: z.string().nullable(),
  bedNumber: z.number().int().nullable(),
  /** "penicillins (rash, severe)", … */
  allergies: z.array(z.string()),
  orders: z.array(MarOrder),
});
export type MarPatient = z.infer<typeof MarPatient>;

export const Mar = z.object({
  departmentId: Id.nullable(),
  /** IANA zone the standard times are laid out in (the hospital's); format times in it. */
  timeZone: z.string(),
  windowMinutes: z.number().int(),
  from: IsoDateTime,
  to: IsoDateTime,
  takenAt: IsoDateTime,
  patients: z.array(MarPatient),
});
export type Mar = z.infer<typeof Mar>;

/** The dose a scan resolved to. */
export const DoseToGive = z.object({
  prescriptionId: Id,
  medicineName: z.string(),
  strength: z.string(),
  form: z.string(),
  dose: z.string(),
  route: Route,
  scheduledFor: IsoDateTime,
  isPrn: z.boolean(),
  isControlled: z.boolean(),
  /** Outside the window: giving it needs outOfWindowReason. */
  outsideWindow: z.boolean(),
});
export type DoseToGive = z.infer<typeof DoseToGive>;

/** Why a scan stopped: each has its own message (and the screen its own sound); nothing was recorded. */
export const ScanStop = z.enum([
  'unreadable-scan',
  'wrong-patient',
  'wrong-medicine',
  'wrong-time',
  'already-given',
  'allergy',
  'witness-needed',
  'witness-refused',
  'prn-too-soon',
  'prn-limit-reached',
]);
export type ScanStop = z.infer<typeof ScanStop>;

export const AdministrationScan = z
  .object({
    /** The patient whose chart is open. */
    patientId: PatientId,
    /** The wristband's raw scanned text (PT…). */
    wristbandScan: ScanText,
    /** The medicine's raw scanned text: a pharmacy label (RX…) or the medicine's code (MD…). */
    medicineScan: ScanText,
    /** The dose the nurse chose on the MAR; omitted: the due dose of the scanned medicine (PRN: now). */
    dose: z.object({ prescriptionId: Id, scheduledFor: IsoDateTime }).strict().optional(),
    /** Needed when the dose is outside its window (early or late). */
    outOfWindowReason: Reason.optional(),
    /** A second nurse's own sign-in: needed for a controlled drug. */
    witness: WitnessInput.optional(),
  })
  .strict();
export type AdministrationScan = z.infer<typeof AdministrationScan>;

const Stopped = z.object({ outcome: z.literal('stopped'), stop: ScanStop, message: z.string() });
export const ScanCheck = z.discriminatedUnion('outcome', [
  Stopped,
  z.object({
    outcome: z.literal('ready'),
    dose: DoseToGive,
    needsReason: z.boolean(),
    needsWitness: z.boolean(),
    warnings: z.array(z.string()),
  }),
]);
export const ScanAdministration = z.discriminatedUnion('outcome', [
  Stopped,
  z.object({
    outcome: z.literal('recorded'),
    administrationId: Id,
    dose: DoseToGive,
    givenAt: IsoDateTime,
    warnings: z.array(z.string()),
  }),
]);
export type ScanAdministration = z.infer<typeof ScanAdministration>;
export type ScanCheck = z.infer<typeof ScanCheck>;

export const DueDose = z.object({
  prescriptionId: Id,
  medicineName: z.string(),
  dose: z.string(),
  scheduledFor: IsoDateTime,
  state: DoseState,
});
export type DueDose = z.infer<typeof DueDose>;
export const DueMedicinesForBed = z.object({
  roomId: Id,
  roomNumber: z.string(),
  bedNumber: BedNumber,
  patientId: PatientId,
  name: z.string(),
  doses: z.array(DueDose),
});
export type DueMedicinesForBed = z.infer<typeof DueMedicinesForBed>;

// Notes and handover ------------------------------------------------------------------------------

export const NoteKind = z.enum(['nursing', 'doctor']);
export type NoteKind = z.infer<typeof NoteKind>;
export const Note = z.object({
  noteId: Id,
  patientId: PatientId,
  /** nursing or doctor: from the author's role, never from the input. */
  kind: NoteKind,
  text: z.string(),
  writtenAt: IsoDateTime,
  author: z.string(),
  correctsNoteId: Id.nullable(),
  enteredInError: z.boolean(),
});
export type Note = z.infer<typeof Note>;

export const HandoverPatient = z.object({
  patientId: PatientId,
  situation: z.object({
    roomNumber: z.string(),
    bedNumber: BedNumber,
    name: z.string(),
    ageYears: z.number().int(),
    daysSinceAdmission: z.number().int(),
    /** The admission's reason (the admit notes), when given. */
    reason: z.string().nullable(),
  }),
  background: z.object({
    allergies: z.array(z.string()),
    activeMedicines: z.array(z.object({ medicineName: z.string(), dose: z.string(), frequencyText: z.string() })),
  }),
  assessment: z.object({
    lastObservation: Observation.nullable(),
    news2: LatestNews2.nullable(),
    dosesDue: z.array(DueDose),
    dosesMissed: z.array(DueDose),
    lastNotes: z.array(Note),
  }),
  /** Empty: the handing-over nurse writes it. */
  recommendation: z.string(),
});
export type HandoverPatient = z.infer<typeof HandoverPatient>;
export const Handover = z.object({
  departmentId: Id,
  departmentName: z.string(),
  takenAt: IsoDateTime,
  patients: z.array(HandoverPatient),
});
export type Handover = z.infer<typeof Handover>;

/** A patient found for admission: only what choosing the right person needs (no contact, address or history). */
export const AdmissionCandidate = z.object({
  patientId: PatientId,
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string(),
  gender: z.string().nullable(),
  /** Already in a bed somewhere: transfer them from there instead. */
  admitted: z.boolean(),
});
export type AdmissionCandidate = z.infer<typeof AdmissionCandidate>;

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
  'ward/find-patients-to-admit': defineChannel({
    input: z
      .object({
        query: z.string().trim().min(2, 'Type at least 2 characters').max(100, 'Type at most 100 characters'),
      })
      .strict(),
    output: z.array(AdmissionCandidate).max(20),
    access: 'rooms.assign',
    doc: 'Finds any registered patient to admit (names either order, birth date, #number): at most 20, identity only, audited.',
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
  'ward/request-cleaning': defineChannel({
    input: CleaningRequest,
    output: z.object({ cleaningId: Id }),
    access: 'rooms.assign',
    doc: "Asks housekeeping for a spill, isolation or deep clean at a bed or room of the user's ward.",
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
  'ward/get-saturation-scale': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: SaturationScale,
    access: 'medical_records.read',
    doc: "The patient's SpO2 scale for NEWS2 now, and the doctor's decision behind it (scale 1 where there is none).",
  }),
  'ward/set-saturation-scale': defineChannel({
    input: z
      .object({ patientId: PatientId, scale: z.union([z.literal(1), z.literal(2)]), reason: z.string().trim().min(5).max(300) })
      .strict(),
    output: z.object({ scale: z.union([z.literal(1), z.literal(2)]) }),
    access: 'prescriptions.write',
    doc: "A doctor records the patient's SpO2 scale (2: target 88–92 %, hypercapnic respiratory failure).",
  }),
  'ward/get-mar': defineChannel({
    input: z
      .object({
        departmentId: Id.optional(),
        /** One patient's chart instead of the whole ward. */
        patientId: PatientId.optional(),
        pastHours: z.number().int().min(0).max(24).default(24),
        nextHours: z.number().int().min(1).max(24).default(24),
      })
      .strict(),
    output: Mar,
    access: 'medical_records.read',
    doc: "The ward's (or one patient's) medication administration record: scheduled doses of verified orders, the last and next hours.",
  }),
  'ward/get-due-medicines': defineChannel({
    input: z.object({ departmentId: Id.optional(), minutes: z.number().int().min(15).max(240).default(60) }).strict(),
    output: z.array(DueMedicinesForBed),
    access: 'medical_records.read',
    doc: 'Per occupied bed of a ward, the doses due, late or coming within the next minutes (60 by default).',
  }),
  'ward/check-administration': defineChannel({
    input: AdministrationScan,
    output: ScanCheck,
    access: 'medical_records.write',
    doc: 'Runs every bedside check on the two scans and says which dose they resolve to; records nothing.',
  }),
  'ward/administer-dose': defineChannel({
    input: AdministrationScan,
    output: ScanAdministration,
    access: 'medical_records.write',
    doc: 'Records a dose given after the wristband and medicine scans pass every check; a failed check records nothing.',
  }),
  'ward/record-dose-outcome': defineChannel({
    input: z
      .object({ patientId: PatientId, prescriptionId: Id, scheduledFor: IsoDateTime, outcome: RecordedOutcome, reason: Reason })
      .strict(),
    output: z.object({ administrationId: Id }),
    access: 'medical_records.write',
    doc: 'Records a scheduled dose as held, refused or not given, with the reason.',
  }),
  'ward/mark-administration-in-error': defineChannel({
    input: z.object({ administrationId: Id, reason: Reason }).strict(),
    output: z.object({ administrationId: Id }),
    access: 'medical_records.write',
    doc: 'Corrects a recorded dose by a new row that marks it entered-in-error; the dose can then be recorded again.',
  }),
  'ward/set-administration-window': defineChannel({
    input: z.object({ minutes: WindowMinutes }).strict(),
    output: z.object({ minutes: WindowMinutes }),
    access: 'settings.manage',
    doc: 'Sets the administration window (minutes either side of a scheduled time, 60 by default).',
  }),
  'ward/add-note': defineChannel({
    input: z
      .object({
        patientId: PatientId,
        text: z.string().trim().min(3, 'Write at least a few words').max(4000, 'Keep a note under 4,000 characters'),
        /** A correction: the note it replaces, which is marked entered-in-error. */
        correctsNoteId: Id.optional(),
      })
      .strict(),
    output: Note,
    access: 'medical_records.write',
    doc: "Adds a nursing or doctor's note (by the author's role); a correction marks the note it replaces entered-in-error.",
  }),
  'ward/list-notes': defineChannel({
    input: z.object({ patientId: PatientId, limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.array(Note),
    access: 'medical_records.read',
    doc: "A patient's nursing and doctor's notes, newest first, entered-in-error notes included and marked.",
  }),
  'ward/get-handover': defineChannel({
    input: z.object({ departmentId: Id.optional() }).strict(),
    output: Handover,
    access: 'medical_records.read',
    doc: 'Per occupied bed of a ward, the SBAR handover prefilled from the bed, observations, NEWS2, doses, allergies and notes.',
  }),
} satisfies ChannelMap<'ward'>;
