import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { IsoDate, LocalId, PatientId, Queued } from './common.js';

export const PatientSummary = z.object({
  patientId: LocalId,
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: IsoDate,
  gender: z.string().nullable(),
  contactNumber: z.string().nullable(),
  email: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  queued: Queued,
});
export type PatientSummary = z.infer<typeof PatientSummary>;

/** A patient's chart as a clinician opens it: demographics plus the (decrypted) medical history. */
export const PatientChart = z.object({
  patient: PatientSummary,
  medicalHistory: z.string().nullable(),
});
export type PatientChart = z.infer<typeof PatientChart>;

export const PatientSearchResult = PatientSummary.extend({
  address: z.string().nullable(),
  /** 'exact': names start so; 'partial': the text is inside a name; 'similar': one typo away. */
  match: z.enum(['exact', 'partial', 'similar']),
});
export type PatientSearchResult = z.infer<typeof PatientSearchResult>;

export const NewPatient = z
  .object({
    firstName: z.string().trim().min(1, 'Enter the first name').max(50),
    lastName: z.string().trim().min(1, 'Enter the last name').max(50),
    dateOfBirth: IsoDate,
    gender: z.enum(['M', 'F', 'X', 'U']).nullable().default(null),
    contactNumber: z
      .string()
      .trim()
      .regex(/^[0-9 +()-]{6,15}$/, 'Use digits, spaces, + ( ) -')
      .nullable()
      .default(null),
    address: z.string().trim().max(255).nullable().default(null),
    email: z.string().trim().toLowerCase().email('Enter a valid email address').max(100).nullable().default(null),
    /** Set after the clerk has seen the possible duplicates and chosen to register anyway. */
    confirmNotDuplicate: z.boolean().default(false),
  })
  .strict();

/** Finding, registering and charting patients. */
export const patientsChannels = {
  'patients/get-patient': defineChannel({
    input: z.object({ patientId: LocalId }).strict(),
    output: PatientSummary,
    access: 'patients.read',
    doc: "One patient's demographics by id.",
  }),
  'patients/open-chart': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: PatientChart,
    access: 'medical_records.read',
    doc: "Open a patient's chart with the medical history; audited as a read.",
  }),
  'patients/save-medical-history': defineChannel({
    input: z.object({ patientId: PatientId, medicalHistory: z.string().max(20_000) }).strict(),
    output: z.object({ saved: z.literal(true) }),
    access: 'medical_records.write',
    doc: "Replace a patient's medical history (stored encrypted).",
  }),
  'patients/search-patients': defineChannel({
    input: z
      .object({
        query: z.string().trim().min(1).max(100),
        limit: z.number().int().min(1).max(50).default(20),
        /** false: only names that start so (the first, fast answer while typing); true: also inside a name and one typo away. */
        wider: z.boolean().default(true),
      })
      .strict(),
    output: z.array(PatientSearchResult),
    access: 'patients.read',
    doc: 'Find patients by "last, first", first last, partial names, birth date, phone or number; tolerates a typo.',
  }),
  'patients/register-patient': defineChannel({
    input: NewPatient,
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('registered'), patient: PatientSummary }),
      z.object({ status: z.literal('possible-duplicates'), candidates: z.array(PatientSearchResult) }),
    ]),
    access: 'patients.write',
    doc: 'Register a patient, first warning of possible duplicates (same name and birth date, or same phone).',
  }),
} as const satisfies ChannelMap<'patients'>;
